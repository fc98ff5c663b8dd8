/**
 * A bounded map from whole token strings (signature included) to what verifying them proved
 * once: signature, kind, registered and custom claims. Only successes are stored; a hit still
 * re-checks the time window and the store, so no cached answer outlives a token's `exp` or its
 * revocation (the two fast-jwt advisories GHSA-687g-22h4-j4w4 and GHSA-x937-hj6v-793p).
 *
 * Eviction is first-in first-out: a hit costs one `Map.get`, nothing is reordered. A token is
 * admitted on its second successful verification only (a small table of signature hashes keeps
 * the first sightings): a stream of distinct tokens then never fills the cache, so it costs
 * neither memory nor garbage-collector time, while a token used twice is served from it after.
 */
export interface VerifyCache<TValue> {
  readonly get: (token: string) => TValue | undefined
  /** Whether a token verified now should be stored: true from its second sighting on. */
  readonly admit: (token: string) => boolean
  readonly set: (token: string, value: TValue) => void
  readonly delete: (token: string) => void
  readonly clear: () => void
  readonly size: () => number
}

/** A cache of at most `max` entries; `max` 0 disables it. */
export const verifyCache = <TValue>(max: number): VerifyCache<TValue> | undefined => {
  if (max === 0) return undefined
  const entries = new Map<string, TValue>()
  const sightings = new Int32Array(DOORKEEPER_SIZE)
  return {
    get: (token) => entries.get(token),
    admit: (token) => {
      const hash = tailHash(token)
      const slot = hash & (DOORKEEPER_SIZE - 1)
      if (sightings[slot] === hash) return true
      sightings[slot] = hash
      return false
    },
    set: (token, value) => {
      if (entries.size >= max) {
        const oldest = entries.keys().next()
        if (oldest.done !== true) entries.delete(oldest.value)
      }
      entries.set(token, value)
    },
    delete: (token) => {
      entries.delete(token)
    },
    clear: () => entries.clear(),
    size: () => entries.size,
  }
}

const DOORKEEPER_SIZE = 8192

// The last characters of a token are its signature: as good as random, cheap to hash (FNV-1a).
const tailHash = (token: string): number => {
  let hash = 0x811c9dc5 ^ token.length
  for (let i = Math.max(0, token.length - 12); i < token.length; i++) {
    hash = Math.imul(hash ^ token.charCodeAt(i), 0x01000193)
  }
  return hash | 1
}
