import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it, vi } from 'vitest'
import { createAuth, fixedClock, isRevoked, memoryStore, revoke, revokeAll, type TokenStore } from '../src/index.js'
import { expectLeft, PlanClaims, PRO, planAuth, right, SECRET, T0 } from './support/auth.js'
import { forge, userClaims } from './support/forge.js'

const spyStore = () => {
  const inner = memoryStore()
  const store = {
    check: vi.fn(inner.check),
    revoke: vi.fn(inner.revoke),
    consume: vi.fn(inner.consume),
    revokeFamily: vi.fn(inner.revokeFamily),
    revokeUser: vi.fn(inner.revokeUser),
  } satisfies TokenStore
  return store
}

describe('revoke', () => {
  it('denies the token until it would have expired, and no other token', async () => {
    const { auth } = planAuth()
    const a = await right(auth.issue({ userId: '1', claims: PRO }))
    const b = await right(auth.issue({ userId: '1', claims: PRO }))
    await right(revoke(auth.env)(a))
    await expectLeft(auth.verify(a), 'Revoked')
    await right(auth.verify(b))
  })

  it('writes an entry that expires with the token (plus leeway)', async () => {
    const store = spyStore()
    const auth = createAuth({ secret: SECRET, claims: PlanClaims, clock: fixedClock(T0), store, leeway: 5 })
    const token = await right(auth.issue({ userId: '1', claims: PRO }))
    await right(auth.revoke(token))
    expect(store.revoke).toHaveBeenCalledWith(
      { userId: '1', tokenId: expect.any(String), expiresAt: T0 + 3600_000 + 5000 },
      T0,
    )
  })

  it('revokes guest and refresh tokens too', async () => {
    const { auth } = planAuth()
    const guest = await right(auth.guest())
    await right(auth.revoke(guest))
    await expectLeft(auth.verify(guest), 'Revoked')
    const pair = await right(auth.issuePair({ userId: '1', claims: PRO }))
    await right(auth.revoke(pair.refreshToken))
    await expectLeft(auth.refresh(pair.refreshToken), 'Revoked')
  })

  it('writes nothing for a token that is not validly signed', async () => {
    const store = spyStore()
    const auth = createAuth({ secret: SECRET, claims: PlanClaims, clock: fixedClock(T0), store })
    await expectLeft(auth.revoke('not-a-token'), 'Malformed')
    await expectLeft(
      auth.revoke(await forge(userClaims(T0 / 1000), undefined, 'another-secret-of-at-least-32-bytes!')),
      'InvalidSignature',
    )
    expect(store.revoke).not.toHaveBeenCalled()
  })

  it('accepts an expired token without writing anything that would outlive it', async () => {
    const store = spyStore()
    const clock = fixedClock(T0)
    const auth = createAuth({ secret: SECRET, claims: PlanClaims, clock, store })
    const token = await right(auth.issue({ userId: '1', claims: PRO }))
    clock.advance(7200_000)
    await right(auth.revoke(token))
    await expectLeft(auth.verify(token), 'Expired')
  })
})

describe('isRevoked', () => {
  it('tells revoked from live tokens', async () => {
    const { auth } = planAuth()
    const token = await right(auth.issue({ userId: '1', claims: PRO }))
    expect(await isRevoked(auth.env)(token)()).toEqual(E.right(false))
    await right(auth.revoke(token))
    expect(await auth.isRevoked(token)()).toEqual(E.right(true))
  })

  it('answers a Left for a token that is not ours', async () => {
    const { auth } = planAuth()
    await expectLeft(auth.isRevoked('x.y.z'), 'Malformed')
  })

  it('sees family revocation and logout-everywhere', async () => {
    const { auth, clock } = planAuth()
    const pair = await right(auth.issuePair({ userId: '1', claims: PRO }))
    await right(auth.refresh(pair.refreshToken))
    await expectLeft(auth.refresh(pair.refreshToken), 'RefreshReused')
    expect(await auth.isRevoked(pair.accessToken)()).toEqual(E.right(true))
    const other = await right(auth.issue({ userId: '2', claims: PRO }))
    clock.advance(1000)
    await right(auth.revokeAll('2'))
    expect(await auth.isRevoked(other)()).toEqual(E.right(true))
  })
})

describe('revokeAll', () => {
  it('cuts off every token of the user issued up to now, and only that user', async () => {
    const { auth, clock } = planAuth()
    const pair = await right(auth.issuePair({ userId: '1', claims: PRO }))
    const guestToken = await right(auth.guest())
    const someoneElse = await right(auth.issue({ userId: '2', claims: PRO }))
    clock.advance(10_000)
    await right(revokeAll(auth.env)('1'))
    await expectLeft(auth.verify(pair.accessToken), 'Revoked')
    await expectLeft(auth.refresh(pair.refreshToken), 'Revoked')
    await right(auth.verify(someoneElse))
    await right(auth.verify(guestToken))
  })

  it('lets tokens issued in a later second through', async () => {
    const { auth, clock } = planAuth()
    clock.advance(500)
    await right(auth.revokeAll('1'))
    // Same second as the cut-off: iat has one-second resolution, so it is cut off too (fail safe).
    clock.advance(400)
    const sameSecond = await right(auth.issue({ userId: '1', claims: PRO }))
    await expectLeft(auth.verify(sameSecond), 'Revoked')
    clock.advance(100)
    const later = await right(auth.issue({ userId: '1', claims: PRO }))
    await right(auth.verify(later))
  })

  it('keeps the latest cut-off and expires with the longest token lifetime', async () => {
    const store = spyStore()
    const clock = fixedClock(T0)
    const auth = createAuth({ secret: SECRET, claims: PlanClaims, clock, store })
    await right(auth.revokeAll('1'))
    expect(store.revokeUser).toHaveBeenCalledWith({ userId: '1', cutoff: T0, expiresAt: T0 + 604_800_000 }, T0)
  })

  it('refuses an empty user id', async () => {
    const { auth } = planAuth()
    await expectLeft(auth.revokeAll(''), 'InvalidClaims')
  })
})
