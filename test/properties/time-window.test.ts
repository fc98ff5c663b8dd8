import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { PRO, planAuth, right, T0 } from '../support/auth.js'

describe('the validity window', () => {
  it('is exactly [iat − leeway, exp + leeway) for any clock offset and leeway', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 300 }),
        fc.integer({ min: -4_000_000, max: 4_000_000 }),
        async (leeway, offsetMs) => {
          const { auth, clock } = planAuth({ leeway })
          const token = await right(auth.issue({ userId: '1', claims: PRO }))
          const iat = T0
          const exp = T0 + 3600_000
          clock.set(T0 + offsetMs)
          const result = await auth.verify(token)()
          const inside = T0 + offsetMs >= iat - leeway * 1000 && T0 + offsetMs < exp + leeway * 1000
          expect(E.isRight(result)).toBe(inside)
          if (E.isLeft(result)) {
            expect(result.left._tag).toBe(T0 + offsetMs < iat ? 'NotYetValid' : 'Expired')
          }
        },
      ),
      { numRuns: 300 },
    )
  })

  it('has exact edges: the last valid millisecond and the first invalid one', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 3600 }), async (leeway) => {
        const { auth, clock } = planAuth({ leeway })
        const token = await right(auth.issue({ userId: '1', claims: PRO }))
        const end = T0 + (3600 + leeway) * 1000
        clock.set(end - 1)
        expect(E.isRight(await auth.verify(token)())).toBe(true)
        clock.set(end)
        expect(E.isLeft(await auth.verify(token)())).toBe(true)
        clock.set(T0 - leeway * 1000)
        expect(E.isRight(await auth.verify(token)())).toBe(true)
        clock.set(T0 - leeway * 1000 - 1)
        expect(E.isLeft(await auth.verify(token)())).toBe(true)
      }),
      { numRuns: 100 },
    )
  })
})
