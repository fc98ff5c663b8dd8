import * as E from 'fp-ts/lib/Either.js'
import { afterEach, describe, expect, it } from 'vitest'
import { createAuth, fixedClock, type TokenStore } from '../../src/index.js'
import { expectLeft, PlanClaims, PRO, ROLES, right, SECRET, T0 } from '../support/auth.js'

/** A fresh, empty store for one test, and how to clean up after it. */
export interface StoreUnderTest {
  readonly store: TokenStore
  readonly cleanup?: () => Promise<void>
}

const ACCESS_TTL = 900
const REFRESH_TTL = 7 * 86_400

/**
 * The behaviour every {@link TokenStore} owes the verbs, driven through `createAuth` over a fixed
 * clock, plus the laws of the port itself. Run it against any implementation:
 * `storeContract('myStore', async () => ({ store: myStore() }))`.
 */
export const storeContract = (name: string, makeStore: () => Promise<StoreUnderTest>): void => {
  describe(`TokenStore contract: ${name}`, () => {
    const cleanups: Array<() => Promise<void>> = []
    afterEach(async () => {
      await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()))
    })

    const fresh = async () => {
      const { store, cleanup } = await makeStore()
      if (cleanup !== undefined) cleanups.push(cleanup)
      return store
    }

    const setup = async (wrap: (store: TokenStore) => TokenStore = (store) => store) => {
      const store = await fresh()
      const clock = fixedClock(T0)
      const auth = createAuth({
        secret: SECRET,
        claims: PlanClaims,
        roles: ROLES,
        clock,
        store: wrap(store),
        accessTtl: ACCESS_TTL,
        refreshTtl: REFRESH_TTL,
      })
      const pairOf = (userId: string) => right(auth.issuePair({ userId, claims: PRO }))
      const accessOf = (userId: string) => right(auth.issue({ userId, claims: PRO }))
      return { auth, clock, store, pairOf, accessOf }
    }

    describe('through the verbs', () => {
      it('revoke denies that token and no other', async () => {
        const { auth, pairOf, accessOf } = await setup()
        const pair = await pairOf('u1')
        const other = await accessOf('u1')
        await right(auth.revoke(pair.accessToken))
        await expectLeft(auth.verify(pair.accessToken), 'Revoked')
        expect(await right(auth.isRevoked(pair.accessToken))).toBe(true)
        expect((await right(auth.verify(other))).userId).toBe('u1')
        expect(await right(auth.isRevoked(other))).toBe(false)
        // The refresh token of the same pair has its own id and still rotates.
        await right(auth.refresh(pair.refreshToken))
      })

      it('revoke denies refresh and guest tokens', async () => {
        const { auth, pairOf } = await setup()
        const pair = await pairOf('u1')
        await right(auth.revoke(pair.refreshToken))
        await expectLeft(auth.verify(pair.refreshToken, { kind: 'refresh' }), 'Revoked')
        await expectLeft(auth.refresh(pair.refreshToken), 'Revoked')
        const guest = await right(auth.guest({ deviceId: 'device-1' }))
        await right(auth.revoke(guest))
        await expectLeft(auth.verify(guest), 'Revoked')
        expect(await right(auth.isRevoked(guest))).toBe(true)
      })

      it('revokeAll cuts off every token of the user issued up to now, the same second included', async () => {
        const { auth, clock, pairOf, accessOf } = await setup()
        clock.set(T0 + 200)
        const before = await pairOf('u1')
        const bystander = await accessOf('u2')
        clock.set(T0 + 700)
        await right(auth.revokeAll('u1'))
        // `iat` has one-second resolution: a token issued later in the same second cannot be told apart.
        clock.set(T0 + 900)
        const sameSecond = await accessOf('u1')
        await expectLeft(auth.verify(before.accessToken), 'Revoked')
        await expectLeft(auth.refresh(before.refreshToken), 'Revoked')
        await expectLeft(auth.verify(sameSecond), 'Revoked')
        expect(await right(auth.isRevoked(before.accessToken))).toBe(true)
        expect((await right(auth.verify(bystander))).userId).toBe('u2')
        clock.set(T0 + 1000)
        const after = await pairOf('u1')
        expect((await right(auth.verify(after.accessToken))).userId).toBe('u1')
        await right(auth.refresh(after.refreshToken))
      })

      it('revokeAll keeps the latest cut-off and the longest life when calls disagree', async () => {
        const { auth, clock } = await setup()
        clock.set(T0 + 10_000)
        await right(auth.revokeAll('u1'))
        // A second instance whose clock lags behind logs the user out again.
        clock.set(T0 + 2_000)
        await right(auth.revokeAll('u1'))
        clock.set(T0 + 5_000)
        const between = await right(auth.issueRefresh({ userId: 'u1', claims: PRO }))
        await expectLeft(auth.verify(between, { kind: 'refresh' }), 'Revoked')
        // Past the life of the second entry, before that of the first: still revoked.
        clock.set(T0 + 2_000 + REFRESH_TTL * 1000 + 1_000)
        await expectLeft(auth.verify(between, { kind: 'refresh' }), 'Revoked')
      })

      it('a refresh token is single use; reuse revokes the whole family and only it', async () => {
        const { auth, pairOf } = await setup()
        const pair = await pairOf('u1')
        const sibling = await pairOf('u1')
        const next = await right(auth.refresh(pair.refreshToken))
        await expectLeft(auth.refresh(pair.refreshToken), 'RefreshReused')
        await expectLeft(auth.verify(pair.accessToken), 'Revoked')
        await expectLeft(auth.verify(next.accessToken), 'Revoked')
        await expectLeft(auth.refresh(next.refreshToken), 'Revoked')
        expect(await right(auth.isRevoked(next.refreshToken))).toBe(true)
        expect((await right(auth.verify(sibling.accessToken))).userId).toBe('u1')
        await right(auth.refresh(sibling.refreshToken))
      })

      it('of concurrent refreshes with one token exactly one succeeds', async () => {
        const { auth, pairOf } = await setup()
        const pair = await pairOf('u1')
        const results = await Promise.all(Array.from({ length: 25 }, () => auth.refresh(pair.refreshToken)()))
        expect(results.filter(E.isRight)).toHaveLength(1)
        expect(results.filter(E.isLeft).map((result) => result.left._tag)).toEqual(Array(24).fill('RefreshReused'))
      })

      it('keeps an entry until the token expires, then the token answers Expired', async () => {
        const { auth, clock, pairOf } = await setup()
        const pair = await pairOf('u1')
        await right(auth.revoke(pair.accessToken))
        clock.set(T0 + ACCESS_TTL * 1000 - 1)
        await expectLeft(auth.verify(pair.accessToken), 'Revoked')
        clock.set(T0 + ACCESS_TTL * 1000)
        await expectLeft(auth.verify(pair.accessToken), 'Expired')
        // Revoking an expired token succeeds and changes nothing.
        await right(auth.revoke(pair.accessToken))
        await expectLeft(auth.verify(pair.accessToken), 'Expired')
      })

      it('user ids with braces and percent signs are kept apart', async () => {
        const { auth, accessOf } = await setup()
        const ids = ['a{b}', 'a%7Bb%7D', '{a}b', '}{', 'a{b', 'a%b']
        const tokens = await Promise.all(ids.map((id) => accessOf(id)))
        await right(auth.revokeAll('a{b}'))
        await right(auth.revoke(tokens[3] as string))
        const answers = await Promise.all(tokens.map((token) => right(auth.isRevoked(token))))
        expect(answers).toEqual([true, false, false, true, false, false])
      })

      it('a refresh whose consume fails answers StoreUnavailable and leaves the token usable once', async () => {
        let failing = true
        const { auth, pairOf } = await setup((store) => ({
          ...store,
          consume: (entry, now) => (failing ? Promise.reject(new Error('store down')) : store.consume(entry, now)),
        }))
        const pair = await pairOf('u1')
        await expectLeft(auth.refresh(pair.refreshToken), 'StoreUnavailable')
        failing = false
        await right(auth.refresh(pair.refreshToken))
        await expectLeft(auth.refresh(pair.refreshToken), 'RefreshReused')
      })
    })

    describe('the port', () => {
      const ref = (tokenId: string, issuedAt: number, familyId?: string) => ({
        userId: 'u1',
        tokenId,
        familyId,
        issuedAt,
      })

      it('check answers active for an unknown token, with or without a family', async () => {
        const store = await fresh()
        expect(await store.check(ref('t1', T0), T0)).toBe('active')
        expect(await store.check(ref('t1', T0, 'f1'), T0)).toBe('active')
      })

      it('check answers revoked for a denied id, a denied family or a cut-off at or after issuedAt', async () => {
        const store = await fresh()
        const until = T0 + 60_000
        await store.revoke({ userId: 'u1', tokenId: 't1', expiresAt: until }, T0)
        await store.revokeFamily({ userId: 'u1', familyId: 'f1', expiresAt: until }, T0)
        await store.revokeUser({ userId: 'u1', cutoff: T0 + 1_000, expiresAt: until }, T0)
        expect(await store.check(ref('t1', T0 + 5_000), T0)).toBe('revoked')
        expect(await store.check(ref('t2', T0 + 5_000, 'f1'), T0)).toBe('revoked')
        expect(await store.check(ref('t2', T0 + 1_000), T0)).toBe('revoked')
        expect(await store.check(ref('t2', T0 + 1_001), T0)).toBe('active')
        expect(await store.check(ref('t2', T0 + 5_000, 'f2'), T0)).toBe('active')
      })

      it('revokeUser keeps the larger cut-off whatever the order of the calls', async () => {
        const store = await fresh()
        await store.revokeUser({ userId: 'u1', cutoff: T0 + 10_000, expiresAt: T0 + 60_000 }, T0)
        await store.revokeUser({ userId: 'u1', cutoff: T0 + 5_000, expiresAt: T0 + 30_000 }, T0)
        expect(await store.check(ref('t1', T0 + 8_000), T0)).toBe('revoked')
      })

      it('consume answers true once, then false, per token id', async () => {
        const store = await fresh()
        const entry = { userId: 'u1', tokenId: 'r1', expiresAt: T0 + 60_000 }
        expect(await store.consume(entry, T0)).toBe(true)
        expect(await store.consume(entry, T0)).toBe(false)
        expect(await store.consume({ ...entry, tokenId: 'r2' }, T0)).toBe(true)
        // Using a token is not revoking it.
        expect(await store.check(ref('r1', T0), T0)).toBe('active')
      })

      it('consume stays single use for a token expiring as it is used', async () => {
        const store = await fresh()
        const entry = { userId: 'u1', tokenId: 'r1', expiresAt: T0 }
        expect(await store.consume(entry, T0)).toBe(true)
        expect(await store.consume(entry, T0 + 5)).toBe(false)
      })

      it('skips a write whose entry would expire at once', async () => {
        const store = await fresh()
        await store.revoke({ userId: 'u1', tokenId: 't1', expiresAt: T0 }, T0)
        await store.revokeFamily({ userId: 'u1', familyId: 'f1', expiresAt: T0 - 1 }, T0)
        await store.revokeUser({ userId: 'u1', cutoff: T0, expiresAt: T0 }, T0)
        expect(await store.check(ref('t1', T0 - 1_000, 'f1'), T0)).toBe('active')
      })
    })
  })
}
