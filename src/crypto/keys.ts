import type { JSONWebKeySet } from 'jose'
import { AuthConfigError, type AuthError } from '../errors.js'
import { utf8 } from '../lib/base64url.js'

/** The JWS algorithms a key may be bound to. */
export type Algorithm = 'HS256' | 'HS384' | 'HS512' | 'RS256' | 'PS256' | 'ES256' | 'EdDSA'

/** The HMAC algorithms: keys made from a shared secret. */
export type HmacAlgorithm = 'HS256' | 'HS384' | 'HS512'

/** The asymmetric algorithms: keys with a private and a public half. */
export type AsymmetricAlgorithm = Exclude<Algorithm, HmacAlgorithm>

/** Every algorithm a key ring accepts, in a stable order. */
export const ALGORITHMS: readonly Algorithm[] = ['HS256', 'HS384', 'HS512', 'RS256', 'PS256', 'ES256', 'EdDSA']

/** Tells whether a value names a supported algorithm. */
export const isAlgorithm = (value: unknown): value is Algorithm =>
  typeof value === 'string' && (ALGORITHMS as readonly string[]).includes(value)

/** Tells whether an algorithm is an HMAC one. */
export const isHmac = (alg: Algorithm): alg is HmacAlgorithm => alg.startsWith('HS')

/** A key bound to one algorithm and, optionally, one key id. Built once, used for every token. */
export interface BoundKey {
  readonly kid: string | undefined
  readonly alg: Algorithm
  /** The key signatures are checked with; a promise because Web Crypto imports are asynchronous. */
  readonly verifyKey: Promise<CryptoKey>
  /** The key new signatures are made with: the secret or the private half; absent for a public key. */
  readonly signKey: Promise<CryptoKey> | undefined
}

/** The keys one auth signs and verifies with: what `env.keys` holds. */
export interface KeySet {
  /** The key new tokens are signed with; absent for a verify-only auth. */
  readonly signing: BoundKey | undefined
  /** Verification keys by `kid`. */
  readonly byKid: ReadonlyMap<string, BoundKey>
  /** The key used for a token without `kid`: set only when the set holds exactly one key. */
  readonly sole: BoundKey | undefined
  /** Looks up a key the maps do not hold (a remote JWKS); absent for a local set. */
  readonly resolve: ((kid: string | undefined) => Promise<BoundKey | AuthError>) | undefined
  /** The public keys of a local set as a JWKS document; absent when the set has none to publish. */
  readonly jwks: JSONWebKeySet | undefined
}

/** The shortest HMAC secret per algorithm: as long as the hash output (RFC 7518 §3.2). */
export const HMAC_MIN_BYTES = { HS256: 32, HS384: 48, HS512: 64 } as const
const HMAC_HASH = { HS256: 'SHA-256', HS384: 'SHA-384', HS512: 'SHA-512' } as const

/** The Web Crypto parameters `crypto.subtle.verify` and `sign` take for each algorithm. */
export const SIGNATURE_PARAMS: Readonly<Record<Algorithm, AlgorithmIdentifier | RsaPssParams | EcdsaParams>> = {
  HS256: { name: 'HMAC' },
  HS384: { name: 'HMAC' },
  HS512: { name: 'HMAC' },
  RS256: { name: 'RSASSA-PKCS1-v1_5' },
  // RFC 7518 §3.5: the PSS salt is as long as the hash.
  PS256: { name: 'RSA-PSS', saltLength: 32 },
  ES256: { name: 'ECDSA', hash: 'SHA-256' },
  EdDSA: { name: 'Ed25519' },
}

/** The minimum RSA modulus, in bits (RFC 7518 §3.3, §3.5). */
export const MIN_RSA_BITS = 2048

/** A key set with one HMAC key and no `kid`: the `secret` shorthand of `createAuth`. */
export const secretKeySet = (secret: string | Uint8Array, field = 'secret'): KeySet => {
  const key = importHmac(undefined, secret, 'HS256', field, false)
  return { signing: key, byKid: new Map(), sole: key, resolve: undefined, jwks: undefined }
}

/**
 * Imports an HMAC secret for one algorithm, refusing secrets shorter than the hash (RFC 7518 §3.2)
 * and text that is obviously a public key: using one as an HMAC secret is the classic algorithm
 * confusion attack (RFC 8725 §2.1).
 */
export const importHmac = (
  kid: string | undefined,
  secret: string | Uint8Array,
  alg: HmacAlgorithm,
  field: string,
  extractable: boolean,
): BoundKey => {
  const bytes = typeof secret === 'string' ? utf8(secret) : secret
  if (!(bytes instanceof Uint8Array)) throw new AuthConfigError(field, 'must be a string or a Uint8Array')
  const min = HMAC_MIN_BYTES[alg]
  if (bytes.length < min) {
    throw new AuthConfigError(field, `an ${alg} secret needs at least ${min} bytes, got ${bytes.length}`)
  }
  if (looksLikeKey(bytes)) {
    throw new AuthConfigError(field, 'is a PEM or JWK key, not a random secret; import it with pemKey or jwkKey')
  }
  const key = crypto.subtle.importKey(
    'raw',
    Uint8Array.from(bytes),
    { name: 'HMAC', hash: HMAC_HASH[alg] },
    extractable,
    ['sign', 'verify'],
  )
  // The import cannot fail for raw HMAC bytes; keep an unobserved rejection from crashing Node.
  key.catch(() => undefined)
  return { kid, alg, verifyKey: key, signKey: key }
}

const looksLikeKey = (bytes: Uint8Array): boolean => {
  const head = new TextDecoder().decode(bytes.subarray(0, 64)).trimStart()
  if (head.startsWith('-----BEGIN')) return true
  if (!head.startsWith('{')) return false
  try {
    const parsed = JSON.parse(new TextDecoder().decode(bytes)) as unknown
    return typeof parsed === 'object' && parsed !== null && 'kty' in parsed
  } catch {
    return false
  }
}

/** Builds the lookup maps of a list of keys with distinct kids: `sole` only when there is exactly one. */
export const indexKeys = (
  keys: readonly BoundKey[],
): { readonly byKid: ReadonlyMap<string, BoundKey>; readonly sole: BoundKey | undefined } => {
  const byKid = new Map<string, BoundKey>()
  for (const key of keys) if (key.kid !== undefined) byKid.set(key.kid, key)
  return { byKid, sole: keys.length === 1 ? keys[0] : undefined }
}
