import { describe, expect, it } from 'vitest'
import { createAuth, fixedClock, memoryStore, type TokenStore } from '../src/index.js'
import { expectLeft, PlanClaims, PRO, right, SECRET, T0 } from './support/auth.js'

const cachedAuth = (options: { leeway?: number; store?: TokenStore; cache?: number } = {}) => {
  const clock = fixedClock(T0)
  const auth = createAuth({ secret: SECRET, claims: PlanClaims, clock, ...options })
  return { auth, clock }
}

describe('the verification cache', () => {
  it('is on by default and remembers a token from its second verification on', async () => {
    const { auth } = cachedAuth()
    const token = await right(auth.issue({ userId: '1', claims: PRO }))
    const first = await right(auth.verify(token))
    expect(auth.env.cache?.size()).toBe(0)
    const second = await right(auth.verify(token))
    expect(auth.env.cache?.size()).toBe(1)
    const third = await right(auth.verify(token))
    expect(third).toBe(second)
    expect(third).toEqual(first)
  })

  it('admits nothing from a stream of distinct tokens', async () => {
    const { auth } = cachedAuth()
    for (let i = 0; i < 200; i++) await right(auth.verify(await right(auth.issue({ userId: `${i}`, claims: PRO }))))
    expect(auth.env.cache?.size()).toBe(0)
  })

  it('never serves a token past its exp (GHSA-687g-22h4-j4w4)', async () => {
    const { auth, clock } = cachedAuth()
    const token = await right(auth.issue({ userId: '1', claims: PRO }))
    await right(auth.verify(token))
    await right(auth.verify(token))
    expect(auth.env.cache?.size()).toBe(1)
    clock.set(T0 + 3600_000 - 1)
    await right(auth.verify(token))
    clock.set(T0 + 3600_000)
    await expectLeft(auth.verify(token), 'Expired')
    expect(auth.env.cache?.size()).toBe(0)
  })

  it('applies the configured leeway on a hit, never a wider one (GHSA-x937-hj6v-793p)', async () => {
    const { auth, clock } = cachedAuth({ leeway: 10 })
    const token = await right(auth.issue({ userId: '1', claims: PRO }))
    await right(auth.verify(token))
    await right(auth.verify(token))
    clock.set(T0 + 3610_000 - 1)
    await right(auth.verify(token))
    clock.set(T0 + 3610_000)
    await expectLeft(auth.verify(token), 'Expired')
  })

  it('checks nbf/iat against the clock on a hit', async () => {
    const { auth, clock } = cachedAuth()
    const token = await right(auth.issue({ userId: '1', claims: PRO }))
    await right(auth.verify(token))
    await right(auth.verify(token))
    clock.set(T0 - 1)
    await expectLeft(auth.verify(token), 'NotYetValid')
  })

  it('checks revocation, family and logout-everywhere on a hit', async () => {
    const { auth, clock } = cachedAuth()
    const a = await right(auth.issue({ userId: '1', claims: PRO }))
    await right(auth.verify(a))
    await right(auth.verify(a))
    await right(auth.revoke(a))
    await expectLeft(auth.verify(a), 'Revoked')
    const pair = await right(auth.issuePair({ userId: '2', claims: PRO }))
    await right(auth.verify(pair.accessToken))
    await right(auth.verify(pair.accessToken))
    await right(auth.refresh(pair.refreshToken))
    await expectLeft(auth.refresh(pair.refreshToken), 'RefreshReused')
    await expectLeft(auth.verify(pair.accessToken), 'Revoked')
    const b = await right(auth.issue({ userId: '3', claims: PRO }))
    await right(auth.verify(b))
    await right(auth.verify(b))
    clock.advance(1000)
    await right(auth.revokeAll('3'))
    await expectLeft(auth.verify(b), 'Revoked')
  })

  it('checks the kind on a hit', async () => {
    const { auth } = cachedAuth()
    const pair = await right(auth.issuePair({ userId: '1', claims: PRO }))
    await right(auth.verify(pair.refreshToken, { kind: 'refresh' }))
    await right(auth.verify(pair.refreshToken, { kind: 'refresh' }))
    await expectLeft(auth.verify(pair.refreshToken), 'WrongKind')
  })

  it('caches no failure: a token refused while the store was down verifies once it is back', async () => {
    const inner = memoryStore()
    let down = true
    const flaky: TokenStore = {
      ...inner,
      check: (ref, now) => (down ? Promise.reject(new Error('down')) : inner.check(ref, now)),
    }
    const { auth } = cachedAuth({ store: flaky })
    const token = await right(auth.issue({ userId: '1', claims: PRO }))
    await expectLeft(auth.verify(token), 'StoreUnavailable')
    expect(auth.env.cache?.size()).toBe(0)
    down = false
    await right(auth.verify(token))
  })

  it('caches no failure: a forged token stays refused and takes no place', async () => {
    const { auth } = cachedAuth()
    const token = await right(auth.issue({ userId: '1', claims: PRO }))
    const forged = `${token.slice(0, -2)}AA`
    await expectLeft(auth.verify(forged), 'InvalidSignature')
    await expectLeft(auth.verify(forged), 'InvalidSignature')
    expect(auth.env.cache?.size()).toBe(0)
  })

  it('is bounded and can be turned off', async () => {
    const { auth } = cachedAuth({ cache: 3 })
    for (let i = 0; i < 10; i++) {
      const token = await right(auth.issue({ userId: `${i}`, claims: PRO }))
      await right(auth.verify(token))
      await right(auth.verify(token))
    }
    expect(auth.env.cache?.size()).toBe(3)
    expect(cachedAuth({ cache: 0 }).auth.env.cache).toBeUndefined()
  })

  it('hands out cached principals nobody can change, and never caches one a caller changed', async () => {
    const { auth } = cachedAuth()
    const token = await right(auth.issue({ userId: '1', claims: PRO }))
    const first = await right(auth.verify(token))
    ;(first as { role: string }).role = 'admin'
    const principal = await right(auth.verify(token))
    expect(principal.role).toBe('user')
    expect(() => {
      ;(principal as { role: string }).role = 'admin'
    }).toThrow(TypeError)
    expect(() => {
      if (!principal.isGuest) (principal.claims.limits as { daily_limit: number }).daily_limit = 1e9
    }).toThrow(TypeError)
    expect((await right(auth.verify(token))).role).toBe('user')
  })

  it('is not shared between auths with different keys', async () => {
    const one = cachedAuth().auth
    const other = createAuth({ secret: `${SECRET}-other`, claims: PlanClaims, clock: fixedClock(T0) })
    const token = await right(one.issue({ userId: '1', claims: PRO }))
    await right(one.verify(token))
    await expectLeft(other.verify(token), 'InvalidSignature')
  })

  it('refuses a bad size at configuration', () => {
    expect(() => createAuth({ secret: SECRET, cache: -1 })).toThrow(/cache/)
    expect(() => createAuth({ secret: SECRET, cache: 1.5 })).toThrow(/cache/)
  })
})
