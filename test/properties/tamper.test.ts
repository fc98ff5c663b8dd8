import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { PRO, planAuth, right } from '../support/auth.js'

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'

describe('any change to a token', () => {
  it('makes verify answer a Left: every single-character substitution', async () => {
    const { auth } = planAuth()
    const tokens = await Promise.all([
      right(auth.issue({ userId: '42', role: 'admin', claims: PRO })),
      right(auth.guest({ deviceId: 'd-1' })),
    ])
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...tokens),
        fc.nat(),
        fc.constantFrom(...`${BASE64URL}.=+/ `.split('')),
        async (token, at, replacement) => {
          const index = at % token.length
          fc.pre(token[index] !== replacement)
          const mutated = token.slice(0, index) + replacement + token.slice(index + 1)
          const result = await auth.verify(mutated)()
          expect(E.isLeft(result)).toBe(true)
        },
      ),
      { numRuns: 1000 },
    )
  })

  it('makes verify answer a Left: insertions and deletions', async () => {
    const { auth } = planAuth()
    const token = await right(auth.issue({ userId: '42', claims: PRO }))
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.boolean(), fc.constantFrom(...BASE64URL.split('')), async (at, insert, char) => {
        const index = at % token.length
        const mutated = insert
          ? token.slice(0, index) + char + token.slice(index)
          : token.slice(0, index) + token.slice(index + 1)
        expect(E.isLeft(await auth.verify(mutated)())).toBe(true)
      }),
      { numRuns: 500 },
    )
  })
})
