/**
 * A bounded map from whole token strings (signature included) to what verifying them proved
 * once: signature, kind, registered and custom claims. Only successes are stored; a hit still
 * re-checks the time window and the store, so no cached answer outlives a token's `exp` or its
 * revocation (the two fast-jwt advisories GHSA-687g-22h4-j4w4 and GHSA-x937-hj6v-793p).
 *
 * Eviction is first-in first-out: a hit costs one `Map.get`, nothing is reordered.
 */
export interface VerifyCache<TValue> {
  readonly get: (token: string) => TValue | undefined
  readonly set: (token: string, value: TValue) => void
  readonly delete: (token: string) => void
  readonly clear: () => void
  readonly size: () => number
}

/** A cache of at most `max` entries; `max` 0 disables it. */
export const verifyCache = <TValue>(max: number): VerifyCache<TValue> | undefined => {
  if (max === 0) return undefined
  const entries = new Map<string, TValue>()
  return {
    get: (token) => entries.get(token),
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
