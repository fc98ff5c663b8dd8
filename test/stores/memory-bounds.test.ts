import { describe, expect, it } from 'vitest'
import { createAuth, fixedClock, MemoryStoreFullError, memoryStore } from '../../src/index.js'
import { expectLeft, right, SECRET, T0 } from '../support/auth.js'

describe('memoryStore bounds', () => {
  it('refuses to build with a bad bound', () => {
    expect(() => memoryStore({ max: 0 })).toThrow(RangeError)
    expect(() => memoryStore({ max: 1.5 })).toThrow(RangeError)
  })

  it('sweeps expired entries when full, and fails closed when nothing can go', async () => {
    const store = memoryStore({ max: 2 })
    await store.revoke({ userId: 'u', tokenId: 'a', expiresAt: T0 + 1000 }, T0)
    await store.revoke({ userId: 'u', tokenId: 'b', expiresAt: T0 + 5000 }, T0)
    await expect(store.revoke({ userId: 'u', tokenId: 'c', expiresAt: T0 + 5000 }, T0)).rejects.toBeInstanceOf(
      MemoryStoreFullError,
    )
    // 'a' has expired by now: its place is reused; 'b' is still denied.
    await store.revoke({ userId: 'u', tokenId: 'c', expiresAt: T0 + 5000 }, T0 + 1000)
    const ref = (tokenId: string) => ({ userId: 'u', tokenId, familyId: undefined, issuedAt: T0 })
    expect(await store.check(ref('a'), T0 + 1000)).toBe('active')
    expect(await store.check(ref('b'), T0 + 1000)).toBe('revoked')
    expect(await store.check(ref('c'), T0 + 1000)).toBe('revoked')
    expect(await store.check(ref('b'), T0 + 5000)).toBe('active')
  })

  it('turns a full store into StoreUnavailable rather than forgetting a revocation', async () => {
    const auth = createAuth({ secret: SECRET, clock: fixedClock(T0), store: memoryStore({ max: 1 }) })
    const a = await right(auth.issue({ userId: '1' }))
    const b = await right(auth.issue({ userId: '1' }))
    await right(auth.revoke(a))
    await expectLeft(auth.revoke(b), 'StoreUnavailable')
    await expectLeft(auth.verify(a), 'Revoked')
  })

  it('does not write entries that would already be expired', async () => {
    const store = memoryStore({ max: 1 })
    await store.revoke({ userId: 'u', tokenId: 'old', expiresAt: T0 }, T0)
    await store.revoke({ userId: 'u', tokenId: 'new', expiresAt: T0 + 1 }, T0)
    expect(await store.check({ userId: 'u', tokenId: 'new', familyId: undefined, issuedAt: T0 }, T0)).toBe('revoked')
  })

  it('keeps the latest cut-off of a user', async () => {
    const store = memoryStore()
    await store.revokeUser({ userId: 'u', cutoff: T0 + 10_000, expiresAt: T0 + 60_000 }, T0)
    await store.revokeUser({ userId: 'u', cutoff: T0, expiresAt: T0 + 30_000 }, T0)
    const at = (issuedAt: number) => store.check({ userId: 'u', tokenId: 'x', familyId: undefined, issuedAt }, T0)
    expect(await at(T0 + 10_000)).toBe('revoked')
    expect(await at(T0 + 10_001)).toBe('active')
  })
})
