import {
  calculateJwkThumbprint,
  exportJWK,
  generateKeyPair,
  importJWK,
  importPKCS8,
  importSPKI,
  importX509,
  type JSONWebKeySet,
  type JWK,
} from 'jose'
import { AuthConfigError } from '../errors.js'
import { decode, encode } from '../lib/base64url.js'
import {
  type Algorithm,
  type AsymmetricAlgorithm,
  type BoundKey,
  HMAC_MIN_BYTES,
  type HmacAlgorithm,
  importHmac,
  indexKeys,
  isAlgorithm,
  isHmac,
  type KeySet,
  MIN_RSA_BITS,
} from './keys.js'

// model

/** A JSON Web Key (RFC 7517 §4), as jose models it. */
export type Jwk = JWK

/** A JSON Web Key Set document (RFC 7517 §5): `{ keys: [...] }`. */
export type JsonWebKeySet = JSONWebKeySet

/**
 * One key of a ring: a `kid` and the one algorithm it is used with. Build it with
 * {@link hmacKey}, {@link pemKey}, {@link jwkKey} or {@link generateKey}; never by hand.
 */
export interface RingKey extends BoundKey {
  readonly kid: string
  /** `'secret'` (HMAC), `'private'` (signs, and publishes its public half) or `'public'` (verifies only). */
  readonly type: 'secret' | 'private' | 'public'
  /** The public half as published in a JWKS (`kid`, `alg`, `use: 'sig'`); `undefined` for an HMAC key. */
  readonly publicJwk: Readonly<Jwk> | undefined
  /** Whether {@link exportPrivateJwk} may export the secret or private half. */
  readonly extractable: boolean
}

/** One signing key and any number of verification keys, with distinct `kid`s. */
export interface KeyRing {
  /** The key new tokens are signed with. */
  readonly signing: RingKey
  /** Keys that still verify tokens but no longer sign: the previous ones, or the next one pre-published. */
  readonly verifying: readonly RingKey[]
}

/** Options of {@link generateKey} and {@link generateKeyRing}. */
export interface GenerateKeyOptions {
  /** The key id. Default: the RFC 7638 thumbprint of the public key, or 128 random bits for HMAC. */
  readonly kid?: string
  /** Whether {@link exportPrivateJwk} may export the key, to store it. Default `false`. */
  readonly extractable?: boolean
}

const minted = /* @__PURE__ */ new WeakSet<object>()

const mint = <T extends object>(value: T): T => {
  minted.add(Object.freeze(value))
  return value
}

/** Tells whether a value is a key built by this module's constructors. */
export const isRingKey = (value: unknown): value is RingKey =>
  typeof value === 'object' && value !== null && minted.has(value) && 'type' in value

/** Tells whether a value is a key ring built by {@link keyRing} (or a function that calls it). */
export const isKeyRing = (value: unknown): value is KeyRing =>
  typeof value === 'object' && value !== null && minted.has(value) && 'signing' in value

// constructors

/**
 * Makes a key from a shared secret, for one HMAC algorithm. Throws `AuthConfigError` when the
 * secret is shorter than the hash (32, 48, 64 bytes) or is a PEM or JWK key.
 *
 * @example
 * ```ts
 * const ring = keyRing(hmacKey('2026-12', process.env.JWT_SECRET!, 'HS256'))
 * const auth = createAuth({ keys: ring })
 * ```
 */
export const hmacKey = (kid: string, secret: string | Uint8Array, alg: HmacAlgorithm = 'HS256'): RingKey => {
  checkKid(kid)
  if (!isAlgorithm(alg) || !isHmac(alg)) throw new AuthConfigError(fieldOf(kid), 'hmacKey takes HS256, HS384 or HS512')
  return mint({
    ...importHmac(kid, secret, alg, fieldOf(kid), false),
    kid,
    type: 'secret',
    publicJwk: undefined,
    extractable: false,
  })
}

/**
 * Imports a PEM key for one asymmetric algorithm: PKCS#8 (`PRIVATE KEY`, can sign), SPKI
 * (`PUBLIC KEY`) or an X.509 `CERTIFICATE` (verify only). Rejects weak or mismatched keys.
 *
 * @example
 * ```ts
 * const current = await pemKey('2026-12', process.env.JWT_PRIVATE_KEY!, 'ES256')
 * const auth = createAuth({ keys: keyRing(current) })
 * ```
 */
export const pemKey = async (kid: string, pem: string, alg: AsymmetricAlgorithm): Promise<RingKey> => {
  checkKid(kid)
  const field = fieldOf(kid)
  checkAsymmetric(alg, field, 'pemKey')
  if (typeof pem !== 'string') throw new AuthConfigError(field, 'the PEM must be a string')
  const label = /-----BEGIN ([A-Z0-9 ]+)-----/.exec(pem)?.[1]
  if (label === 'PRIVATE KEY') {
    const exportable = await attempt(field, alg, () => importPKCS8(pem, alg, { extractable: true }))
    checkStrength(field, alg, exportable)
    const privateJwk = await exportJWK(exportable)
    const signKey = await attempt(field, alg, () => importPKCS8(pem, alg))
    return fromPrivate(kid, alg, privateJwk, signKey, false)
  }
  if (label === 'PUBLIC KEY' || label === 'CERTIFICATE') {
    const importer = label === 'PUBLIC KEY' ? importSPKI : importX509
    const key = await attempt(field, alg, () => importer(pem, alg, { extractable: true }))
    checkStrength(field, alg, key)
    return fromPublic(kid, alg, await exportJWK(key), key)
  }
  if (label !== undefined && /^(RSA|EC) (PRIVATE|PUBLIC) KEY$/.test(label)) {
    throw new AuthConfigError(
      field,
      `a "${label}" PEM is not PKCS#8/SPKI; convert it (openssl pkcs8 -topk8 -nocrypt, or openssl pkey -pubout)`,
    )
  }
  throw new AuthConfigError(field, 'is not a PKCS#8 private key, an SPKI public key or an X.509 certificate PEM')
}

/**
 * Imports a JWK for one algorithm: `kty: 'oct'` for HMAC, a private JWK (with `d`) that can sign,
 * or a public one that only verifies. A `kid`, `alg`, `use` or `key_ops` in the JWK must agree.
 *
 * @example
 * ```ts
 * const previous = await jwkKey('2026-06', JSON.parse(process.env.OLD_PUBLIC_JWK!), 'EdDSA')
 * ```
 */
export const jwkKey = async (kid: string, jwk: Jwk, alg: Algorithm): Promise<RingKey> => {
  checkKid(kid)
  const field = fieldOf(kid)
  if (!isAlgorithm(alg)) throw new AuthConfigError(field, `"${String(alg)}" is not a supported algorithm`)
  if (typeof jwk !== 'object' || jwk === null || Array.isArray(jwk)) {
    throw new AuthConfigError(field, 'the JWK must be an object')
  }
  if (jwk.kid !== undefined && jwk.kid !== kid) throw new AuthConfigError(field, 'the JWK names another "kid"')
  if (jwk.alg !== undefined && jwk.alg !== alg) throw new AuthConfigError(field, `the JWK is bound to ${jwk.alg}`)
  // RFC 7517 §4.2, §4.3: a key meant for encryption never verifies a signature.
  if (jwk.use !== undefined && jwk.use !== 'sig')
    throw new AuthConfigError(field, 'the JWK is not meant for signatures')
  const isPrivate = typeof jwk.d === 'string' || jwk.kty === 'oct'
  if (
    jwk.key_ops !== undefined &&
    !(Array.isArray(jwk.key_ops) && jwk.key_ops.includes(isPrivate ? 'sign' : 'verify'))
  ) {
    throw new AuthConfigError(field, `the JWK's key_ops do not allow ${isPrivate ? 'sign' : 'verify'}`)
  }
  if (isHmac(alg)) {
    if (jwk.kty !== 'oct' || typeof jwk.k !== 'string')
      throw new AuthConfigError(field, `an ${alg} JWK has kty "oct" and k`)
    const secret = decode(jwk.k)
    if (secret === undefined) throw new AuthConfigError(field, 'the JWK "k" is not canonical base64url')
    return hmacKey(kid, secret, alg)
  }
  checkShape(field, alg, jwk)
  const material = keyMaterial(jwk, isPrivate)
  if (isPrivate) {
    const signKey = await attempt(field, alg, () => importJWK(material, alg, { extractable: false }))
    checkStrength(field, alg, signKey as CryptoKey)
    return fromPrivate(kid, alg, material, signKey as CryptoKey, false)
  }
  const verifyKey = await attempt(field, alg, () => importJWK(material, alg))
  checkStrength(field, alg, verifyKey as CryptoKey)
  return fromPublic(kid, alg, material, verifyKey as CryptoKey)
}

/**
 * Generates a new key for one algorithm (RSA keys are 2048 bits). Pass `extractable: true` to
 * store it with {@link exportPrivateJwk}; otherwise it lives only as long as the process.
 *
 * @example
 * ```ts
 * const next = await generateKey('ES256', { extractable: true })
 * const ring2 = rotate(ring, next)
 * ```
 */
export const generateKey = async (alg: Algorithm, options: GenerateKeyOptions = {}): Promise<RingKey> => {
  if (!isAlgorithm(alg)) throw new AuthConfigError('alg', `"${String(alg)}" is not a supported algorithm`)
  const extractable = options.extractable === true
  if (isHmac(alg)) {
    const kid = options.kid ?? encode(crypto.getRandomValues(new Uint8Array(16)))
    checkKid(kid)
    const secret = crypto.getRandomValues(new Uint8Array(HMAC_MIN_BYTES[alg]))
    const key = importHmac(kid, secret, alg, fieldOf(kid), extractable)
    return mint({ ...key, kid, type: 'secret', publicJwk: undefined, extractable })
  }
  const pair = await generateKeyPair(
    alg,
    alg.startsWith('RS') || alg.startsWith('PS') ? { extractable, modulusLength: MIN_RSA_BITS } : { extractable },
  )
  const publicJwk = keyMaterial(await exportJWK(pair.publicKey), false)
  const kid = options.kid ?? (await calculateJwkThumbprint(publicJwk))
  checkKid(kid)
  return privateRingKey(kid, alg, publicJwk, pair.publicKey, pair.privateKey, extractable)
}

/**
 * Generates a ring of one new signing key: the start of a new deployment.
 *
 * @example
 * ```ts
 * const auth = createAuth({ keys: await generateKeyRing('EdDSA') })
 * ```
 */
export const generateKeyRing = async (alg: Algorithm, options: GenerateKeyOptions = {}): Promise<KeyRing> =>
  keyRing(await generateKey(alg, options))

/**
 * Exports the secret or private half of an extractable key as a JWK (with `kid` and `alg`), to
 * keep in a secret store and load again with {@link jwkKey}. Throws for a key that is not extractable.
 */
export const exportPrivateJwk = async (key: RingKey): Promise<Jwk> => {
  if (!isRingKey(key)) throw new AuthConfigError('key', 'must be a key built by hmacKey, pemKey, jwkKey or generateKey')
  if (key.signKey === undefined) throw new AuthConfigError(fieldOf(key.kid), 'a public key has no private half')
  if (!key.extractable)
    throw new AuthConfigError(fieldOf(key.kid), 'is not extractable; generate it with extractable: true')
  const jwk = await exportJWK(await key.signKey)
  return { ...keyMaterial(jwk, true), kid: key.kid, alg: key.alg, use: 'sig' }
}

/**
 * Puts keys in a ring: the first signs, the others only verify. Throws `AuthConfigError` for a
 * public signing key or a repeated `kid`.
 *
 * @example
 * ```ts
 * const ring = keyRing(await pemKey('2026-12', privatePem, 'RS256'), await pemKey('2026-06', oldPublicPem, 'RS256'))
 * ```
 */
export const keyRing = (signing: RingKey, ...verifying: readonly RingKey[]): KeyRing => {
  for (const key of [signing, ...verifying]) {
    if (!isRingKey(key))
      throw new AuthConfigError('keys', 'must be keys built by hmacKey, pemKey, jwkKey or generateKey')
  }
  if (signing.signKey === undefined) {
    throw new AuthConfigError(fieldOf(signing.kid), 'a public key cannot be the signing key')
  }
  const seen = new Set<string>()
  for (const key of [signing, ...verifying]) {
    if (seen.has(key.kid)) throw new AuthConfigError(fieldOf(key.kid), 'the kid appears twice in the ring')
    seen.add(key.kid)
  }
  return mint({ signing, verifying: Object.freeze([...verifying]) })
}

// combinators

/**
 * Answers a ring that signs with `next` and still verifies every key of `ring`, the previous
 * signing key included. `next` may already be in the ring as a pre-published verification key.
 *
 * @example
 * ```ts
 * const rotated = rotate(ring, await generateKey('ES256'))
 * // later, once tokens signed with the old key have expired:
 * const cleaned = retire(rotated, ring.signing.kid)
 * ```
 */
export const rotate = (ring: KeyRing, next: RingKey): KeyRing => {
  checkRing(ring)
  const kept = ring.verifying.filter((key) => key !== next)
  return keyRing(next, ring.signing, ...kept)
}

/** Answers a ring that also verifies with `key`, for example to publish the next key before it signs. */
export const addKey = (ring: KeyRing, key: RingKey): KeyRing => {
  checkRing(ring)
  return keyRing(ring.signing, ...ring.verifying, key)
}

/**
 * Answers a ring without the key `kid`: tokens it signed stop verifying. The signing key cannot
 * be retired (rotate first); an unknown `kid` throws, since it usually means a typo.
 */
export const retire = (ring: KeyRing, kid: string): KeyRing => {
  checkRing(ring)
  if (ring.signing.kid === kid)
    throw new AuthConfigError(fieldOf(kid), 'the signing key cannot be retired; rotate first')
  if (!ring.verifying.some((key) => key.kid === kid))
    throw new AuthConfigError(fieldOf(kid), 'no key of the ring has this kid')
  return keyRing(ring.signing, ...ring.verifying.filter((key) => key.kid !== kid))
}

// destructors

/**
 * The public keys of a ring as a JWKS document, each with `kid`, `alg` and `use: 'sig'`. HMAC
 * keys and private members never appear.
 *
 * @example
 * ```ts
 * const body = JSON.stringify(toJwks(ring)) // serve at /.well-known/jwks.json
 * ```
 */
export const toJwks = (ring: KeyRing): JsonWebKeySet => {
  checkRing(ring)
  const keys: Jwk[] = []
  for (const key of [ring.signing, ...ring.verifying]) if (key.publicJwk !== undefined) keys.push({ ...key.publicJwk })
  return { keys }
}

/** The key set `createAuth({ keys })` verifies and signs with. */
export const ringKeySet = (ring: KeyRing): KeySet => {
  checkRing(ring)
  const all = [ring.signing, ...ring.verifying]
  const jwks = toJwks(ring)
  return {
    signing: ring.signing,
    ...indexKeys(all),
    resolve: undefined,
    jwks: jwks.keys.length === 0 ? undefined : jwks,
  }
}

// internals

const fieldOf = (kid: string): string => `keys.${kid}`

const checkKid = (kid: unknown): void => {
  if (typeof kid !== 'string' || kid.length === 0 || kid.length > 256) {
    throw new AuthConfigError('kid', 'must be a non-empty string of at most 256 characters')
  }
}

const checkRing = (ring: unknown): void => {
  if (!isKeyRing(ring)) throw new AuthConfigError('keys', 'must be a KeyRing built by keyRing or generateKeyRing')
}

const checkAsymmetric = (alg: unknown, field: string, importer: string): void => {
  if (!isAlgorithm(alg)) throw new AuthConfigError(field, `"${String(alg)}" is not a supported algorithm`)
  if (isHmac(alg)) throw new AuthConfigError(field, `${importer} imports asymmetric keys; use hmacKey for ${alg}`)
}

const attempt = async <T>(field: string, alg: Algorithm, run: () => Promise<T>): Promise<T> => {
  try {
    return await run()
  } catch (cause) {
    const detail = cause instanceof Error ? `: ${cause.message}` : ''
    throw new AuthConfigError(field, `the key cannot be imported as ${alg}${detail}`)
  }
}

// RFC 7518 §3.3, §3.4, §3.5 and RFC 8037 §3.1: each algorithm takes one kind of key.
const checkShape = (field: string, alg: AsymmetricAlgorithm, jwk: Jwk): void => {
  const expected = requiredShape(alg)
  if (jwk.kty !== expected.kty || (expected.crv !== undefined && jwk.crv !== expected.crv)) {
    throw new AuthConfigError(field, `${alg} needs a ${expected.crv ?? expected.kty} key`)
  }
}

const requiredShape = (alg: AsymmetricAlgorithm): { readonly kty: string; readonly crv?: string } =>
  alg === 'ES256' ? { kty: 'EC', crv: 'P-256' } : alg === 'EdDSA' ? { kty: 'OKP', crv: 'Ed25519' } : { kty: 'RSA' }

/** Throws unless an imported key is strong enough for its algorithm and of the right curve. */
export const checkStrength = (field: string, alg: Algorithm, key: CryptoKey): void => {
  const algorithm = key.algorithm as Partial<RsaHashedKeyAlgorithm & EcKeyAlgorithm>
  if (alg === 'RS256' || alg === 'PS256') {
    if (typeof algorithm.modulusLength !== 'number' || algorithm.modulusLength < MIN_RSA_BITS) {
      throw new AuthConfigError(field, `${alg} needs an RSA key of at least ${MIN_RSA_BITS} bits`)
    }
  } else if (alg === 'ES256' && algorithm.namedCurve !== 'P-256') {
    throw new AuthConfigError(field, 'ES256 needs a P-256 key')
  } else if (alg === 'EdDSA' && algorithm.name !== 'Ed25519') {
    throw new AuthConfigError(field, 'EdDSA needs an Ed25519 key')
  }
}

const PUBLIC_MEMBERS: Readonly<Record<string, readonly string[]>> = {
  RSA: ['kty', 'n', 'e'],
  EC: ['kty', 'crv', 'x', 'y'],
  OKP: ['kty', 'crv', 'x'],
  oct: ['kty'],
}
const PRIVATE_MEMBERS: Readonly<Record<string, readonly string[]>> = {
  RSA: ['d', 'p', 'q', 'dp', 'dq', 'qi'],
  EC: ['d'],
  OKP: ['d'],
  oct: ['k'],
}

/** Copies only the key material of a JWK: no `kid`, `alg`, `use`, `key_ops`, `ext` or extras. */
export const keyMaterial = (jwk: Jwk, withPrivate: boolean): Jwk => {
  const kty = typeof jwk.kty === 'string' ? jwk.kty : ''
  const names = [...(PUBLIC_MEMBERS[kty] ?? []), ...(withPrivate ? (PRIVATE_MEMBERS[kty] ?? []) : [])]
  const out: Record<string, unknown> = {}
  const source = jwk as Readonly<Record<string, unknown>>
  for (const name of names) if (source[name] !== undefined) out[name] = source[name]
  return out as Jwk
}

const published = (publicJwk: Jwk, kid: string, alg: Algorithm): Readonly<Jwk> =>
  Object.freeze({ ...publicJwk, kid, alg, use: 'sig' })

const fromPrivate = async (
  kid: string,
  alg: AsymmetricAlgorithm,
  privateJwk: Jwk,
  signKey: CryptoKey,
  extractable: boolean,
): Promise<RingKey> => {
  const publicJwk = keyMaterial(privateJwk, false)
  const verifyKey = (await importJWK(publicJwk, alg)) as CryptoKey
  return privateRingKey(kid, alg, publicJwk, verifyKey, signKey, extractable)
}

// A ring key that can sign: its private half signs, its public half verifies and is published.
const privateRingKey = (
  kid: string,
  alg: AsymmetricAlgorithm,
  publicJwk: Jwk,
  verifyKey: CryptoKey,
  signKey: CryptoKey,
  extractable: boolean,
): RingKey =>
  mint({
    kid,
    alg,
    type: 'private',
    publicJwk: published(publicJwk, kid, alg),
    extractable,
    verifyKey: Promise.resolve(verifyKey),
    signKey: Promise.resolve(signKey),
  })

const fromPublic = (kid: string, alg: AsymmetricAlgorithm, jwk: Jwk, verifyKey: CryptoKey): RingKey =>
  mint({
    kid,
    alg,
    type: 'public',
    publicJwk: published(keyMaterial(jwk, false), kid, alg),
    extractable: false,
    verifyKey: Promise.resolve(verifyKey),
    signKey: undefined,
  })
