import { AuthConfigError } from '../errors.js'
import { utf8 } from '../lib/base64url.js'

/** The JWS algorithms a key may be bound to. */
export type Algorithm = 'HS256' | 'HS384' | 'HS512' | 'RS256' | 'PS256' | 'ES256' | 'EdDSA'

/** A key bound to one algorithm and, optionally, one key id. Built once, used for every token. */
export interface BoundKey {
  readonly kid: string | undefined
  readonly alg: Algorithm
  /** The imported key, ready for jose; a promise because Web Crypto imports are asynchronous. */
  readonly key: Promise<CryptoKey>
}

/** The keys one auth signs and verifies with. */
export interface KeySet {
  /** The key new tokens are signed with; absent for a verify-only auth. */
  readonly signing: BoundKey | undefined
  /** Verification keys by `kid`. */
  readonly byKid: ReadonlyMap<string, BoundKey>
  /** The key used for a token without `kid`: set only when the set holds exactly one key. */
  readonly sole: BoundKey | undefined
}

const HMAC_HASH = { HS256: 'SHA-256', HS384: 'SHA-384', HS512: 'SHA-512' } as const
const HMAC_MIN_BYTES = { HS256: 32, HS384: 48, HS512: 64 } as const

/** A key set with one HMAC key and no `kid`: the `secret` shorthand of `createAuth`. */
export const secretKeySet = (secret: string | Uint8Array, field = 'secret'): KeySet => {
  const key = hmacKey(undefined, secret, 'HS256', field)
  return { signing: key, byKid: new Map(), sole: key }
}

/** Imports an HMAC secret for one algorithm, refusing secrets shorter than the hash (RFC 7518 §3.2). */
export const hmacKey = (
  kid: string | undefined,
  secret: string | Uint8Array,
  alg: 'HS256' | 'HS384' | 'HS512',
  field: string,
): BoundKey => {
  const bytes = typeof secret === 'string' ? utf8(secret) : secret
  if (!(bytes instanceof Uint8Array)) throw new AuthConfigError(field, 'must be a string or a Uint8Array')
  const min = HMAC_MIN_BYTES[alg]
  if (bytes.length < min) {
    throw new AuthConfigError(field, `an ${alg} secret needs at least ${min} bytes, got ${bytes.length}`)
  }
  const key = crypto.subtle.importKey('raw', Uint8Array.from(bytes), { name: 'HMAC', hash: HMAC_HASH[alg] }, false, [
    'sign',
    'verify',
  ])
  // The import cannot fail for raw HMAC bytes; keep an unobserved rejection from crashing Node.
  key.catch(() => undefined)
  return { kid, alg, key }
}
