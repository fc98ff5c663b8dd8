import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import type { TokenPair } from '../../src/index.js'
import { PRO, planAuth, right } from '../support/auth.js'

describe('a refresh chain of any length', () => {
  it('accepts only the newest refresh token; presenting any older one kills the family', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 8 }), fc.nat(), async (length, pick) => {
        const { auth, clock } = planAuth()
        const chain: TokenPair[] = [await right(auth.issuePair({ userId: 'u', claims: PRO }))]
        for (let i = 0; i < length; i++) {
          clock.advance(1000)
          chain.push(await right(auth.refresh((chain.at(-1) as TokenPair).refreshToken)))
        }
        const old = chain[pick % length] as TokenPair
        const replay = await auth.refresh(old.refreshToken)()
        expect(E.isLeft(replay) && replay.left._tag).toBe('RefreshReused')
        const newest = chain.at(-1) as TokenPair
        const afterReplay = await auth.refresh(newest.refreshToken)()
        expect(E.isLeft(afterReplay) && afterReplay.left._tag).toBe('Revoked')
        for (const pair of chain) {
          expect(E.isLeft(await auth.verify(pair.accessToken)())).toBe(true)
        }
      }),
      { numRuns: 60 },
    )
  })

  it('keeps working while only the newest token is used', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 10 }), async (length) => {
        const { auth, clock } = planAuth()
        let pair = await right(auth.issuePair({ userId: 'u', claims: PRO }))
        for (let i = 0; i < length; i++) {
          clock.advance(1000)
          pair = await right(auth.refresh(pair.refreshToken))
        }
        expect((await right(auth.verify(pair.accessToken))).userId).toBe('u')
      }),
      { numRuns: 30 },
    )
  })
})
