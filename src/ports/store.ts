/**
 * The storage port behind revocation, single-use refresh tokens, refresh families and
 * logout-everywhere. All times are epoch milliseconds. Every entry may be forgotten at its
 * `expiresAt`: by then the token it covers can no longer verify anyway.
 *
 * A method that cannot answer must reject its promise; the verbs then fail closed with
 * `StoreUnavailable`. Implementations: `memoryStore()` (root) and `redisStore()` (`/redis`).
 */
export interface TokenStore {
  /**
   * The state of one token, in one round trip: its id, its family and its user's cut-off. An
   * in-process store may answer synchronously, which spares every verify a turn of the event loop.
   */
  readonly check: (token: StoredTokenRef, now: number) => TokenState | Promise<TokenState>
  /** Denies one token id until `expiresAt`. */
  readonly revoke: (entry: TokenEntry, now: number) => Promise<void>
  /**
   * Marks a refresh token id as used. Resolves `true` for the first call with that id and
   * `false` for every later one, atomically, across every process sharing the store.
   */
  readonly consume: (entry: TokenEntry, now: number) => Promise<boolean>
  /** Denies every token of a refresh family until `expiresAt`. */
  readonly revokeFamily: (entry: FamilyEntry, now: number) => Promise<void>
  /** Denies every token of `userId` issued at or before `cutoff` until `expiresAt`. */
  readonly revokeUser: (entry: UserCutoffEntry, now: number) => Promise<void>
}

/** What a store needs to know of a token to answer {@link TokenStore.check}. */
export interface StoredTokenRef {
  readonly userId: string
  readonly tokenId: string
  readonly familyId: string | undefined
  /** The token's `iat`, epoch milliseconds. */
  readonly issuedAt: number
}

/**
 * The answer of {@link TokenStore.check}: `'reused'` is `'revoked'` for a token that was also
 * consumed before (a spent refresh token presented again after its family was revoked), so that
 * every replay is reported as one, whenever it arrives.
 */
export type TokenState = 'active' | 'revoked' | 'reused'

/** A token id to deny or consume. */
export interface TokenEntry {
  readonly userId: string
  readonly tokenId: string
  readonly expiresAt: number
}

/** A refresh family to deny. */
export interface FamilyEntry {
  readonly userId: string
  readonly familyId: string
  readonly expiresAt: number
}

/** A per-user cut-off: tokens issued at or before `cutoff` are denied. */
export interface UserCutoffEntry {
  readonly userId: string
  readonly cutoff: number
  readonly expiresAt: number
}
