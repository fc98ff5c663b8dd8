import * as v from 'valibot'
import { describe, expect, it, vi } from 'vitest'
import { createAuth, fixedClock, memoryStore, refresh, type TokenStore } from '../src/index.js'
import { decodeSegment, expectLeft, PlanClaims, PRO, planAuth, ROLES, right, SECRET, T0 } from './support/auth.js'

describe('refresh', () => {
  it('rotates: a new pair in the same family, claims and role carried over', async () => {
    const { auth, clock } = planAuth()
    const first = await right(auth.issuePair({ userId: '9', role: 'premium', claims: PRO }))
    clock.advance(60_000)
    const next = await right(refresh(auth.env)(first.refreshToken))
    const access = decodeSegment(next.accessToken, 1)
    const rt = decodeSegment(next.refreshToken, 1)
    expect(access).toMatchObject({ sub: '9', role: 'premium', ...PRO, iat: T0 / 1000 + 60 })
    expect(rt.fam).toBe(decodeSegment(first.refreshToken, 1).fam)
    expect(access.fam).toBe(rt.fam)
    expect(rt.jti).not.toBe(decodeSegment(first.refreshToken, 1).jti)
    expect(next.expiresIn).toBe(3600)
    await right(auth.verify(next.accessToken))
  })

  it('is single use: a second presentation is RefreshReused and kills the whole family', async () => {
    const { auth } = planAuth()
    const first = await right(auth.issuePair({ userId: '9', claims: PRO }))
    const second = await right(auth.refresh(first.refreshToken))
    await expectLeft(auth.refresh(first.refreshToken), 'RefreshReused')
    // Every member of the family is dead: the old and new access tokens and the new refresh token.
    await expectLeft(auth.verify(first.accessToken), 'Revoked')
    await expectLeft(auth.verify(second.accessToken), 'Revoked')
    await expectLeft(auth.refresh(second.refreshToken), 'Revoked')
    // Another family of the same user lives on.
    const other = await right(auth.issuePair({ userId: '9', claims: PRO }))
    await right(auth.verify(other.accessToken))
    await right(auth.refresh(other.refreshToken))
  })

  it('reports every later replay of a spent token as reuse, and an unspent one of the dead family as revoked', async () => {
    const { auth } = planAuth()
    const first = await right(auth.issuePair({ userId: '9', claims: PRO }))
    const second = await right(auth.refresh(first.refreshToken))
    await expectLeft(auth.refresh(first.refreshToken), 'RefreshReused')
    await expectLeft(auth.refresh(first.refreshToken), 'RefreshReused')
    await expectLeft(auth.verify(first.refreshToken, { kind: 'refresh' }), 'RefreshReused')
    expect(await auth.isRevoked(first.refreshToken)()).toEqual({ _tag: 'Right', right: true })
    await expectLeft(auth.refresh(second.refreshToken), 'Revoked')
    await expectLeft(auth.refresh(second.refreshToken), 'Revoked')
  })

  it('lets exactly one of many concurrent refreshes with one token win', async () => {
    const { auth } = planAuth()
    const pair = await right(auth.issuePair({ userId: '9', claims: PRO }))
    const results = await Promise.all(Array.from({ length: 20 }, () => auth.refresh(pair.refreshToken)()))
    const tags = results.map((r) => (r._tag === 'Right' ? 'ok' : r.left._tag))
    expect(tags.filter((t) => t === 'ok')).toHaveLength(1)
    expect(tags.filter((t) => t === 'RefreshReused')).toHaveLength(19)
  })

  it('refuses access and guest tokens, expired and revoked refresh tokens', async () => {
    const { auth, clock } = planAuth()
    const pair = await right(auth.issuePair({ userId: '9', claims: PRO }))
    await expectLeft(auth.refresh(pair.accessToken), 'WrongKind')
    await expectLeft(auth.refresh(await right(auth.guest())), 'WrongKind')
    const revokedPair = await right(auth.issuePair({ userId: '9', claims: PRO }))
    await right(auth.revoke(revokedPair.refreshToken))
    await expectLeft(auth.refresh(revokedPair.refreshToken), 'Revoked')
    clock.advance(604_800_000)
    await expectLeft(auth.refresh(pair.refreshToken), 'Expired')
  })

  it('picks up the current role and claims through loadClaims', async () => {
    const loadClaims = vi.fn(async (_userId: string) => ({
      role: 'admin' as const,
      claims: { plan: 'enterprise' as const, limits: { daily_limit: 10_000, features: ['sso'] } },
    }))
    const auth = createAuth({ secret: SECRET, claims: PlanClaims, roles: ROLES, clock: fixedClock(T0), loadClaims })
    const pair = await right(auth.issuePair({ userId: '9', claims: PRO }))
    const next = await right(auth.refresh(pair.refreshToken))
    expect(loadClaims).toHaveBeenCalledWith('9')
    expect(decodeSegment(next.accessToken, 1)).toMatchObject({ role: 'admin', plan: 'enterprise' })
  })

  it('dates the new pair from before its checks, so a concurrent family denial outlives it', async () => {
    const clock = fixedClock(T0)
    const auth = createAuth({
      secret: SECRET,
      claims: PlanClaims,
      clock,
      loadClaims: async () => {
        clock.advance(600_000) // a slow lookup: ten minutes pass during the refresh
        return { claims: PRO }
      },
    })
    const pair = await right(auth.issuePair({ userId: '9', claims: PRO }))
    const next = await right(auth.refresh(pair.refreshToken))
    expect(decodeSegment(next.refreshToken, 1).iat).toBe(T0 / 1000)
  })

  it('answers Revoked when loadClaims says the user is gone, and keeps the token unspent', async () => {
    let gone = true
    const auth = createAuth({
      secret: SECRET,
      claims: PlanClaims,
      clock: fixedClock(T0),
      loadClaims: async () => (gone ? null : { claims: PRO }),
    })
    const pair = await right(auth.issuePair({ userId: '9', claims: PRO }))
    await expectLeft(auth.refresh(pair.refreshToken), 'Revoked')
    gone = false
    await right(auth.refresh(pair.refreshToken))
  })

  it('refuses claims from loadClaims that the schema rejects', async () => {
    const auth = createAuth({
      secret: SECRET,
      claims: PlanClaims,
      clock: fixedClock(T0),
      loadClaims: async () => ({ claims: { plan: 'gold' } as never }),
    })
    const pair = await right(auth.issuePair({ userId: '9', claims: PRO }))
    await expectLeft(auth.refresh(pair.refreshToken), 'InvalidClaims')
  })

  it('answers StoreUnavailable when loadClaims throws', async () => {
    const auth = createAuth({
      secret: SECRET,
      claims: v.object({}),
      clock: fixedClock(T0),
      loadClaims: async () => {
        throw new Error('database down')
      },
    })
    const pair = await right(auth.issuePair({ userId: '9' }))
    await expectLeft(auth.refresh(pair.refreshToken), 'StoreUnavailable')
  })

  it('leaves the refresh token usable when the store fails to consume it', async () => {
    const inner = memoryStore()
    let down = true
    const flaky: TokenStore = {
      ...inner,
      consume: (entry, now) => (down ? Promise.reject(new Error('timeout')) : inner.consume(entry, now)),
    }
    const auth = createAuth({ secret: SECRET, claims: PlanClaims, clock: fixedClock(T0), store: flaky })
    const pair = await right(auth.issuePair({ userId: '9', claims: PRO }))
    await expectLeft(auth.refresh(pair.refreshToken), 'StoreUnavailable')
    down = false
    await right(auth.refresh(pair.refreshToken))
    await expectLeft(auth.refresh(pair.refreshToken), 'RefreshReused')
  })
})
