import type {
  FamilyEntry,
  StoredTokenRef,
  TokenEntry,
  TokenState,
  TokenStore,
  UserCutoffEntry,
} from '../ports/store.js'

/** Options of {@link memoryStore}. */
export interface MemoryStoreOptions {
  /**
   * The most entries (revoked ids, used refresh ids, revoked families and user cut-offs) held
   * at once. Expired entries are swept when the store is full; a write that still finds it full
   * is refused, so the verb fails closed with `StoreUnavailable` rather than forgetting a
   * revocation. Default 1 000 000.
   */
  readonly max?: number
}

/** The error a full {@link memoryStore} rejects a write with. */
export class MemoryStoreFullError extends Error {
  override readonly name = 'MemoryStoreFullError'
}

/**
 * An in-process {@link TokenStore}: bounded, every entry expiring by the clock of the auth
 * that uses it, `consume` atomic within the process. For a single instance; use `redisStore`
 * when several instances must share revocations.
 *
 * @example
 * ```ts
 * const auth = createAuth({ secret, store: memoryStore({ max: 10_000 }) })
 * ```
 */
export const memoryStore = (options: MemoryStoreOptions = {}): TokenStore => {
  const max = options.max ?? 1_000_000
  if (!Number.isSafeInteger(max) || max < 1) {
    throw new RangeError('memoryStore: max must be a positive integer')
  }
  // One map, namespaced keys: the bound covers every kind of entry at once.
  const entries = new Map<string, Entry>()

  const live = (key: string, now: number): Entry | undefined => {
    const entry = entries.get(key)
    if (entry === undefined) return undefined
    if (entry.expiresAt <= now) {
      entries.delete(key)
      return undefined
    }
    return entry
  }

  const makeRoom = (key: string, now: number): void => {
    if (entries.size < max || entries.has(key)) return
    for (const [k, entry] of entries) if (entry.expiresAt <= now) entries.delete(k)
    if (entries.size >= max) throw new MemoryStoreFullError(`memoryStore is full (${max} live entries)`)
  }

  const put = (key: string, value: number, expiresAt: number, now: number): void => {
    if (expiresAt <= now) return
    makeRoom(key, now)
    const previous = live(key, now)
    entries.set(key, {
      value: previous === undefined ? value : Math.max(previous.value, value),
      expiresAt: previous === undefined ? expiresAt : Math.max(previous.expiresAt, expiresAt),
    })
  }

  const check = (token: StoredTokenRef, now: number): TokenState => {
    if (live(`jti:${token.tokenId}`, now) !== undefined) return 'revoked'
    if (token.familyId !== undefined && live(`fam:${token.familyId}`, now) !== undefined) {
      return live(`used:${token.tokenId}`, now) === undefined ? 'revoked' : 'reused'
    }
    const cutoff = live(`user:${token.userId}`, now)
    return cutoff !== undefined && token.issuedAt <= cutoff.value ? 'revoked' : 'active'
  }

  const consume = (entry: TokenEntry, now: number): boolean => {
    const key = `used:${entry.tokenId}`
    if (live(key, now) !== undefined) return false
    // The marker outlives the token by a grace period: a racer that verified the token just before
    // it expired may consume it just after, and must still find the marker.
    put(key, 1, Math.max(entry.expiresAt, now + CONSUME_GRACE_MS), now)
    return true
  }

  // Each method is synchronous inside: a promise resolved in one tick is atomic in one process.
  return {
    check,
    revoke: async (entry: TokenEntry, now) => put(`jti:${entry.tokenId}`, 1, entry.expiresAt, now),
    consume: async (entry, now) => consume(entry, now),
    revokeFamily: async (entry: FamilyEntry, now) => put(`fam:${entry.familyId}`, 1, entry.expiresAt, now),
    revokeUser: async (entry: UserCutoffEntry, now) => put(`user:${entry.userId}`, entry.cutoff, entry.expiresAt, now),
  }
}

// How long a used-refresh-token marker is kept at least past the moment of use (ms); as in redisStore.
const CONSUME_GRACE_MS = 60_000

interface Entry {
  readonly value: number
  readonly expiresAt: number
}
