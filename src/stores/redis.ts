import type { Cluster, Redis } from 'ioredis'
import type {
  FamilyEntry,
  StoredTokenRef,
  TokenEntry,
  TokenState,
  TokenStore,
  UserCutoffEntry,
} from '../ports/store.js'

/** Options of {@link redisStore}. */
export interface RedisStoreOptions {
  /** The namespace of every key the store writes; it may not contain `{` or `}`. Default `'auth:'`. */
  readonly prefix?: string
  /**
   * The longest wait, in milliseconds, for one Redis answer. Past it the call rejects and the verb
   * answers `StoreUnavailable`, however the client is configured. Default 1000.
   */
  readonly timeoutMs?: number
  /**
   * The most commands this store keeps waiting on the client at once, timed-out ones included.
   * Beyond it a call rejects at once instead of growing the client's queue. Default 10 000.
   */
  readonly maxPending?: number
}

/** Why a {@link redisStore} call rejected without an answer from Redis. */
export type RedisStoreFailure = 'timeout' | 'overloaded' | 'invalid-entry'

/** The error a {@link redisStore} call rejects with when Redis did not answer in time or could not be asked. */
export class RedisStoreError extends Error {
  override readonly name = 'RedisStoreError'
  /** What went wrong: no answer within `timeoutMs`, too many commands pending, or an entry with a non-finite time. */
  readonly reason: RedisStoreFailure

  constructor(reason: RedisStoreFailure, message: string) {
    super(message)
    this.reason = reason
  }
}

/** The ioredis clients {@link redisStore} accepts: a single node (or Sentinel) client, or a Cluster. */
export type RedisStoreClient = Redis | Cluster

/**
 * A {@link TokenStore} in Redis, shared by every instance of a service: revocations, used refresh
 * tokens, revoked families and `revokeAll` cut-offs. Every key expires with the token it covers,
 * `consume` is one `SET NX`, `check` is one `MGET`, and the keys of one user share the hash tag
 * `{userId}`, so a Redis Cluster never sees a cross-slot command. Fails closed: an error, a lost
 * connection or no answer within `timeoutMs` rejects, and the verbs answer `StoreUnavailable`.
 *
 * Defines two Lua commands on `client` (`defineCommand`); the client's `keyPrefix`, if any, is
 * applied before `prefix`.
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis'
 * import { createAuth } from '@saas-kit/auth'
 * import { redisStore } from '@saas-kit/auth/redis'
 *
 * const client = new Redis(process.env.REDIS_URL!, {
 *   enableOfflineQueue: false,
 *   maxRetriesPerRequest: 1,
 *   autoResendUnfulfilledCommands: false,
 *   commandTimeout: 500,
 * })
 * const auth = createAuth({ secret, store: redisStore(client, { prefix: 'auth:', timeoutMs: 500 }) })
 * ```
 */
export const redisStore = (client: RedisStoreClient, options: RedisStoreOptions = {}): TokenStore => {
  const prefix = options.prefix ?? 'auth:'
  const timeoutMs = options.timeoutMs ?? 1000
  const maxPending = options.maxPending ?? 10_000
  if (typeof prefix !== 'string' || /[{}]/.test(prefix)) {
    throw new TypeError('redisStore: prefix must be a string without "{" or "}" (they would move the hash tag)')
  }
  if (!Number.isSafeInteger(timeoutMs) || timeoutMs < 1) {
    throw new RangeError('redisStore: timeoutMs must be a positive whole number of milliseconds')
  }
  if (!Number.isSafeInteger(maxPending) || maxPending < 1) {
    throw new RangeError('redisStore: maxPending must be a positive integer')
  }
  if (
    typeof client !== 'object' ||
    client === null ||
    typeof client.defineCommand !== 'function' ||
    typeof client.mget !== 'function' ||
    typeof client.set !== 'function'
  ) {
    throw new TypeError('redisStore: client must be an ioredis client (Redis or Cluster)')
  }
  client.defineCommand(PUT, { numberOfKeys: 1, lua: PUT_LUA })
  client.defineCommand(RELEASE, { numberOfKeys: 1, lua: RELEASE_LUA })
  const scripted = client as unknown as ScriptedClient

  let pending = 0

  // Every command goes through here: bounded in number, bounded in time, never left unobserved.
  const send = <T>(command: () => Promise<T>, onLate?: () => void): Promise<T> => {
    if (pending >= maxPending) {
      return Promise.reject(
        new RedisStoreError('overloaded', `redisStore: ${pending} commands already wait on Redis; refusing more`),
      )
    }
    let reply: Promise<T>
    try {
      reply = command()
    } catch (cause) {
      return Promise.reject(cause)
    }
    pending += 1
    return new Promise<T>((resolve, reject) => {
      let settled = false
      const timer = setTimeout(() => {
        settled = true
        reject(new RedisStoreError('timeout', `redisStore: no answer from Redis within ${timeoutMs} ms`))
      }, timeoutMs)
      const finish = () => {
        pending -= 1
        clearTimeout(timer)
        const late = settled
        settled = true
        if (late) onLate?.()
        return !late
      }
      reply.then(
        (value) => {
          if (finish()) resolve(value)
        },
        (cause: unknown) => {
          if (finish()) reject(cause)
        },
      )
    })
  }

  const key = (userId: string, kind: string, id: string): string => `${prefix}{${hashTag(userId)}}:${kind}:${id}`
  const cutoffKey = (userId: string): string => `${prefix}{${hashTag(userId)}}:cut`

  // Keeps the larger value and the longer life, so two writes in any order leave the stronger one.
  const put = (entryKey: string, value: string, expiresAt: number, now: number): Promise<void> => {
    const invalid = invalidTimes(expiresAt, now)
    if (invalid !== undefined) return Promise.reject(invalid)
    if (expiresAt <= now) return Promise.resolve()
    return send(() => scripted[PUT](entryKey, value, String(ttlMs(expiresAt, now)))).then(() => undefined)
  }

  const check = async (token: StoredTokenRef, now: number): Promise<TokenState> => {
    const invalid = invalidTimes(token.issuedAt, now)
    if (invalid !== undefined) throw invalid
    const keys =
      token.familyId === undefined
        ? [key(token.userId, 'jti', token.tokenId), cutoffKey(token.userId)]
        : [
            key(token.userId, 'jti', token.tokenId),
            cutoffKey(token.userId),
            key(token.userId, 'fam', token.familyId),
            key(token.userId, 'used', token.tokenId),
          ]
    const [denied, cutoff, family, used] = await send(() => client.mget(keys))
    if (denied != null) return 'revoked'
    if (family != null) return used == null ? 'revoked' : 'reused'
    if (cutoff == null) return 'active'
    // A cut-off that is not a number was not written by this store: fail closed.
    const at = Number(cutoff)
    return Number.isNaN(at) || token.issuedAt <= at ? 'revoked' : 'active'
  }

  const consume = async (entry: TokenEntry, now: number): Promise<boolean> => {
    const invalid = invalidTimes(entry.expiresAt, now)
    if (invalid !== undefined) throw invalid
    const usedKey = key(entry.userId, 'used', entry.tokenId)
    // The marker outlives the token by a grace period: a racer that verified the token just before
    // it expired may consume it just after, and must still find the marker.
    const ttl = ttlMs(Math.max(entry.expiresAt, now + CONSUME_GRACE_MS), now)
    const nonce = randomNonce()
    // A consume whose answer we never saw may still have run; undo it, but only if the marker is
    // ours, so the caller's `StoreUnavailable` really leaves the refresh token usable.
    const release = () => {
      try {
        scripted[RELEASE](usedKey, nonce).catch(() => undefined)
      } catch {
        // Best effort: the client refused even to queue it.
      }
    }
    try {
      const reply = await send(() => client.set(usedKey, nonce, 'PX', ttl, 'NX'), release)
      return reply === 'OK'
    } catch (cause) {
      // Refused before sending: there is nothing to undo.
      if (!(cause instanceof RedisStoreError && cause.reason === 'overloaded')) release()
      throw cause
    }
  }

  return {
    check,
    revoke: (entry: TokenEntry, now) => put(key(entry.userId, 'jti', entry.tokenId), '1', entry.expiresAt, now),
    consume,
    revokeFamily: (entry: FamilyEntry, now) => put(key(entry.userId, 'fam', entry.familyId), '1', entry.expiresAt, now),
    revokeUser: (entry: UserCutoffEntry, now) => {
      if (!Number.isFinite(entry.cutoff)) {
        return Promise.reject(new RedisStoreError('invalid-entry', 'redisStore: cutoff must be a finite number'))
      }
      return put(cutoffKey(entry.userId), String(entry.cutoff), entry.expiresAt, now)
    },
  }
}

// How long a used-refresh-token marker is kept at least past the moment of use (ms); as in memoryStore.
const CONSUME_GRACE_MS = 60_000

const PUT = 'saasKitAuthPut'
const RELEASE = 'saasKitAuthRelease'

// KEYS[1] the entry; ARGV[1] its value (a decimal number), ARGV[2] its time to live in ms.
const PUT_LUA = `
local value = ARGV[1]
local ttl = ARGV[2]
local current = redis.call('GET', KEYS[1])
if current then
  if tonumber(current) > tonumber(value) then value = current end
  local left = redis.call('PTTL', KEYS[1])
  if left > tonumber(ttl) then ttl = string.format('%d', left) end
end
redis.call('SET', KEYS[1], value, 'PX', ttl)
return 1
`

// KEYS[1] a used-token marker; ARGV[1] the nonce its writer set.
const RELEASE_LUA = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`

interface ScriptedClient {
  readonly [PUT]: (key: string, value: string, ttl: string) => Promise<unknown>
  readonly [RELEASE]: (key: string, nonce: string) => Promise<unknown>
}

// A hash tag ends at the first `}`: percent-encode `%`, `{` and `}` so that every user id maps to
// its own tag and no id can end the tag early or pose as another (`a{b` vs `a%7Bb`).
const hashTag = (userId: string): string =>
  userId.replace(/[%{}]/g, (char) => (char === '%' ? '%25' : char === '{' ? '%7B' : '%7D'))

// The clock of the auth decides expiry: Redis gets a relative TTL, never an absolute time.
const ttlMs = (expiresAt: number, now: number): number => Math.max(1, Math.ceil(expiresAt - now))

const invalidTimes = (time: number, now: number): RedisStoreError | undefined =>
  Number.isFinite(time) && Number.isFinite(now)
    ? undefined
    : new RedisStoreError('invalid-entry', 'redisStore: times must be finite epoch milliseconds')

const randomNonce = (): string => {
  const bytes = crypto.getRandomValues(new Uint8Array(12))
  let binary = ''
  for (const byte of bytes) binary += String.fromCharCode(byte)
  return btoa(binary)
}
