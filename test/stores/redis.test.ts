import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { createAuth, fixedClock, type TokenStore } from '../../src/index.js'
import { RedisStoreError, redisStore } from '../../src/stores/redis.js'
import { expectLeft, PlanClaims, PRO, ROLES, right, SECRET, T0 } from '../support/auth.js'
import { connectRedis, deleteKeys, describeRedis, freePort, scanKeys, timed, uniquePrefix } from '../support/redis.js'
import { storeContract } from './contract.js'

describeRedis('redisStore against a real Redis', () => {
  let client: Redis
  const prefixes: string[] = []

  beforeAll(async () => {
    client = await connectRedis()
  })
  afterAll(async () => {
    await Promise.all(prefixes.map((prefix) => deleteKeys(client, prefix)))
    client?.disconnect()
  })

  const newPrefix = (label: string) => {
    const prefix = uniquePrefix(label)
    prefixes.push(prefix)
    return prefix
  }

  storeContract('redisStore', async () => {
    const prefix = uniquePrefix('contract')
    return { store: redisStore(client, { prefix }), cleanup: () => deleteKeys(client, prefix) }
  })

  const setup = (store: TokenStore) => {
    const clock = fixedClock(T0)
    const auth = createAuth({ secret: SECRET, claims: PlanClaims, roles: ROLES, clock, store, accessTtl: 900 })
    return { auth, clock }
  }

  it('gives every key it writes a TTL, equal to the remaining life of the token it covers', async () => {
    const prefix = newPrefix('ttl')
    const { auth, clock } = setup(redisStore(client, { prefix }))
    const pair = await right(auth.issuePair({ userId: 'u1', claims: PRO }))
    const guest = await right(auth.guest({ deviceId: 'd1' }))
    await right(auth.revoke(pair.accessToken))
    await right(auth.revoke(guest))
    const next = await right(auth.refresh(pair.refreshToken))
    await expectLeft(auth.refresh(pair.refreshToken), 'RefreshReused')
    await right(auth.refresh((await right(auth.issuePair({ userId: 'u2', claims: PRO }))).refreshToken))
    clock.advance(5_000)
    await right(auth.revokeAll('u1'))
    await right(auth.revokeAll('{odd}'))
    expect(next.accessToken).not.toBe(pair.accessToken)

    const keys = await scanKeys(client, prefix)
    // jti (access, guest), used (two refreshes), fam (reuse), cut (two users)
    expect(keys).toHaveLength(7)
    const ttls = await Promise.all(keys.map((key) => client.pttl(key)))
    for (const ttl of ttls) expect(ttl).toBeGreaterThan(0)
    const byKind = Object.fromEntries(keys.map((key, index) => [key.slice(key.indexOf('}:') + 2), ttls[index]]))
    const payload = JSON.parse(Buffer.from(pair.accessToken.split('.')[1] as string, 'base64url').toString())
    const accessTtl = byKind[`jti:${payload.jti}`] as number
    expect(accessTtl).toBeLessThanOrEqual(900_000)
    expect(accessTtl).toBeGreaterThan(900_000 - 5_000)
    expect(byKind.cut).toBeLessThanOrEqual(7 * 86_400_000)
    expect(byKind.cut).toBeGreaterThan(7 * 86_400_000 - 5_000)
  })

  it('forgets an entry once its time is up', async () => {
    const prefix = newPrefix('expiry')
    const store = redisStore(client, { prefix })
    const now = Date.now()
    await store.revoke({ userId: 'u1', tokenId: 't1', expiresAt: now + 50 }, now)
    expect(await store.check({ userId: 'u1', tokenId: 't1', familyId: undefined, issuedAt: now }, now)).toBe('revoked')
    await new Promise((resolve) => setTimeout(resolve, 120))
    expect(await store.check({ userId: 'u1', tokenId: 't1', familyId: undefined, issuedAt: now }, now)).toBe('active')
    expect(await scanKeys(client, prefix)).toEqual([])
  })

  it('writes nothing for a token that has already expired', async () => {
    const prefix = newPrefix('expired')
    const { auth, clock } = setup(redisStore(client, { prefix }))
    const token = await right(auth.issue({ userId: 'u1', claims: PRO }))
    clock.advance(900_000)
    await right(auth.revoke(token))
    expect(await scanKeys(client, prefix)).toEqual([])
  })

  it('puts every key of one user in one hash slot, whatever the user id', async () => {
    const prefix = newPrefix('slots')
    const store = redisStore(client, { prefix })
    const until = T0 + 60_000
    for (const userId of ['a{b}c', '}', '{', '%7B', 'plain']) {
      await store.revoke({ userId, tokenId: 'x}{y', expiresAt: until }, T0)
      await store.consume({ userId, tokenId: 'r{1}', expiresAt: until }, T0)
      await store.revokeFamily({ userId, familyId: '{f}', expiresAt: until }, T0)
      await store.revokeUser({ userId, cutoff: T0, expiresAt: until }, T0)
    }
    const keys = await scanKeys(client, prefix)
    expect(keys).toHaveLength(20)
    const tags = new Map<string, number>()
    for (const key of keys) {
      // Redis hashes what lies between the first `{` and the first `}` after it.
      const open = key.indexOf('{')
      const close = key.indexOf('}', open + 1)
      expect(open).toBe(prefix.length)
      const tag = key.slice(open + 1, close)
      expect(tag.length).toBeGreaterThan(0)
      tags.set(tag, (tags.get(tag) ?? 0) + 1)
    }
    expect([...tags.values()]).toEqual([4, 4, 4, 4, 4])
    expect([...tags.keys()].sort()).toEqual(['%257B', '%7B', '%7D', 'a%7Bb%7Dc', 'plain'])
  })

  it('costs one round trip per verify, refresh consume and revocation', async () => {
    const prefix = newPrefix('trips')
    const { auth } = setup(redisStore(client, { prefix }))
    const pair = await right(auth.issuePair({ userId: 'u1', claims: PRO }))
    const sent = vi.spyOn(client, 'sendCommand')
    try {
      await right(auth.verify(pair.accessToken))
      expect(sent).toHaveBeenCalledTimes(1)
      sent.mockClear()
      await right(auth.revoke(pair.accessToken))
      expect(sent).toHaveBeenCalledTimes(1)
      sent.mockClear()
      await right(auth.revokeAll('u2'))
      expect(sent).toHaveBeenCalledTimes(1)
      sent.mockClear()
      // refresh: one check of the old token, one consume
      await right(auth.refresh(pair.refreshToken))
      expect(sent).toHaveBeenCalledTimes(2)
    } finally {
      sent.mockRestore()
    }
  })

  it('answers StoreUnavailable when Redis answers an error', async () => {
    const prefix = newPrefix('errors')
    const { auth } = setup(redisStore(client, { prefix }))
    const token = await right(auth.issue({ userId: 'u1', claims: PRO }))
    const jti = JSON.parse(Buffer.from(token.split('.')[1] as string, 'base64url').toString()).jti as string
    // Keys of the wrong type make GET fail with WRONGTYPE inside the scripts.
    await client.hset(`${prefix}{u1}:jti:${jti}`, 'x', '1')
    await client.hset(`${prefix}{u1}:cut`, 'x', '1')
    await client.pexpire(`${prefix}{u1}:jti:${jti}`, 60_000)
    await client.pexpire(`${prefix}{u1}:cut`, 60_000)
    const failure = await expectLeft(auth.revoke(token), 'StoreUnavailable')
    expect(failure._tag === 'StoreUnavailable' && failure.cause).toBeInstanceOf(Error)
    await expectLeft(auth.revokeAll('u1'), 'StoreUnavailable')
  })

  it('checks its options when created', () => {
    expect(() => redisStore(client, { prefix: 'auth:{x}:' })).toThrow(TypeError)
    expect(() => redisStore(client, { timeoutMs: 0 })).toThrow(RangeError)
    expect(() => redisStore(client, { timeoutMs: 1.5 })).toThrow(RangeError)
    expect(() => redisStore(client, { maxPending: 0 })).toThrow(RangeError)
    expect(() => redisStore({} as Redis)).toThrow(TypeError)
  })

  it('rejects entries with times that are not finite numbers', async () => {
    const store = redisStore(client, { prefix: newPrefix('nan') })
    await expect(store.revoke({ userId: 'u', tokenId: 't', expiresAt: Number.NaN }, T0)).rejects.toBeInstanceOf(
      RedisStoreError,
    )
    await expect(store.revokeUser({ userId: 'u', cutoff: Number.NaN, expiresAt: T0 + 1 }, T0)).rejects.toBeInstanceOf(
      RedisStoreError,
    )
  })
})

describe('redisStore without a server', () => {
  it('rejects within timeoutMs and bounds the commands it leaves queued', async () => {
    const port = await freePort()
    // The most forgiving client possible: an offline queue and unlimited retries.
    const client = new Redis(port, '127.0.0.1', { maxRetriesPerRequest: null, retryStrategy: () => 20 })
    client.on('error', () => undefined)
    try {
      const store = redisStore(client, { timeoutMs: 150, maxPending: 2 })
      const ref = { userId: 'u1', tokenId: 't1', familyId: undefined, issuedAt: T0 }
      const first = timed(() => Promise.resolve(store.check(ref, T0)).catch((cause: unknown) => cause))
      const second = timed(() => Promise.resolve(store.check(ref, T0)).catch((cause: unknown) => cause))
      const third = await timed(() => Promise.resolve(store.check(ref, T0)).catch((cause: unknown) => cause))
      expect(third.result).toMatchObject({ name: 'RedisStoreError', reason: 'overloaded' })
      expect(third.ms).toBeLessThan(100)
      for (const { ms, result } of await Promise.all([first, second])) {
        expect(result).toMatchObject({ name: 'RedisStoreError', reason: 'timeout' })
        expect(ms).toBeGreaterThanOrEqual(140)
        expect(ms).toBeLessThan(1000)
      }
      const auth = createAuth({ secret: SECRET, store: redisStore(client, { timeoutMs: 150 }), clock: fixedClock(T0) })
      const token = await right(auth.issue({ userId: 'u1' }))
      const { ms } = await timed(() => expectLeft(auth.verify(token), 'StoreUnavailable'))
      expect(ms).toBeLessThan(1000)
    } finally {
      client.disconnect()
    }
  })
})
