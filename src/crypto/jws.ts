import { CompactSign } from 'jose'
import { type AuthError, algorithmNotAllowed, invalidSignature, malformed, unknownKey } from '../errors.js'
import { decode, encode, encodeText, utf8 } from '../lib/base64url.js'
import type { ParsedToken } from '../lib/compact.js'
import { type BoundKey, type KeySet, SIGNATURE_PARAMS } from './keys.js'
import { nodeSigner, nodeVerifier, type SyncSign, type SyncVerify } from './node.js'

/** Signs a payload as a compact JWS with the set's signing key; the header gets `alg` and `kid` from the key. */
export const signCompact = async (
  keys: KeySet,
  typ: string,
  payload: Readonly<Record<string, unknown>>,
): Promise<string> => {
  const signing = keys.signing
  if (signing?.signKey === undefined) throw new Error('this auth has no signing key')
  const header = signing.kid === undefined ? { alg: signing.alg, typ } : { alg: signing.alg, kid: signing.kid, typ }
  const signKey = await signing.signKey
  let fast = syncSigners.get(signKey)
  if (fast === undefined) {
    fast = useNodeCrypto ? ((await nodeSigner(signing.alg, signKey)) ?? null) : null
    syncSigners.set(signKey, fast)
  }
  if (fast === null || !useNodeCrypto) {
    return new CompactSign(utf8(JSON.stringify(payload))).setProtectedHeader(header).sign(signKey)
  }
  // The same bytes jose writes: RFC 7515 §7.1, BASE64URL(UTF8(header)) '.' BASE64URL(payload).
  const signingInput = `${encodeText(JSON.stringify(header))}.${encodeText(JSON.stringify(payload))}`
  return `${signingInput}.${encode(fast(signingInput))}`
}

// Each signing key gets its synchronous Node signer once; `null` records that it has none.
const syncSigners = new WeakMap<CryptoKey, SyncSign | null>()

/**
 * Picks the key a token names and checks its signature with that key's algorithm only.
 * RFC 8725 §3.1: the header's `alg` never chooses the algorithm, it must equal the key's.
 * Synchronous once the key is ready (the hot path); a promise the first time a key is used,
 * when Web Crypto is the only way, and for keys from a remote JWKS.
 */
export const verifySignature = (
  keys: KeySet,
  token: ParsedToken,
): AuthError | undefined | Promise<AuthError | undefined> =>
  checkSignature(keys, token.header, token.signingInput, token.signatureBytes)

// ECDSA P-256 (RFC 7518 §3.4) and Ed25519 (RFC 8037 §3.1) signatures have one exact length.
const FIXED_SIGNATURE_BYTES: Readonly<Partial<Record<string, number>>> = { ES256: 64, EdDSA: 64 }

/**
 * The signature layer on its own: selects the key by `kid`, binds the algorithm, and checks the
 * signature over `signingInput` (`BASE64URL(header).BASE64URL(payload)`, whatever the payload
 * bytes are). The header must already be decoded; `verifySignature` is this for parsed tokens.
 */
export const checkSignature = (
  keys: KeySet,
  header: Readonly<Record<string, unknown>>,
  signingInput: string,
  signature: string | Uint8Array,
): AuthError | undefined | Promise<AuthError | undefined> => {
  const alg = header.alg
  if (typeof alg !== 'string') return malformed('the header has no "alg"')
  const kid = header.kid
  if (kid !== undefined && typeof kid !== 'string') return malformed('the header "kid" is not a string')
  // RFC 7515 §4.1.4: `kid` picks the key; without one, only a set of exactly one key can answer.
  const local = kid === undefined ? keys.sole : keys.byKid.get(kid)
  if (local !== undefined) return checkWithKey(local, alg, signingInput, signature)
  if (keys.resolve === undefined) return unknownKey()
  return keys
    .resolve(kid)
    .then((selected) => ('verifyKey' in selected ? checkWithKey(selected, alg, signingInput, signature) : selected))
}

const checkWithKey = (
  selected: BoundKey,
  alg: string,
  signingInput: string,
  signature: string | Uint8Array,
): AuthError | undefined | Promise<AuthError | undefined> => {
  if (alg !== selected.alg) return algorithmNotAllowed()
  const bytes = typeof signature === 'string' ? decode(signature) : signature
  if (bytes === undefined) return malformed('the signature is not canonical base64url')
  const fixed = FIXED_SIGNATURE_BYTES[alg]
  if (fixed !== undefined && bytes.length !== fixed) return invalidSignature()
  const fast = useNodeCrypto ? syncVerifiers.get(selected) : undefined
  if (fast) return runSync(fast, signingInput, bytes)
  return checkSlowly(selected, signingInput, bytes)
}

const runSync = (verify: SyncVerify, signingInput: string, bytes: Uint8Array): AuthError | undefined => {
  try {
    return verify(signingInput, bytes) ? undefined : invalidSignature()
  } catch {
    return invalidSignature()
  }
}

// First use of a key, or no synchronous verifier: await the import, then learn whether Node's
// crypto can take over for every later token.
const checkSlowly = async (
  selected: BoundKey,
  signingInput: string,
  bytes: Uint8Array,
): Promise<AuthError | undefined> => {
  let key: CryptoKey
  try {
    key = await selected.verifyKey
  } catch (cause) {
    return unknownKey(cause)
  }
  let fast = syncVerifiers.get(selected)
  if (fast === undefined && useNodeCrypto) {
    fast = (await nodeVerifier(selected.alg, key)) ?? null
    syncVerifiers.set(selected, fast)
  }
  if (fast && useNodeCrypto) return runSync(fast, signingInput, bytes)
  try {
    const valid = await crypto.subtle.verify(
      SIGNATURE_PARAMS[selected.alg],
      key,
      bytes as Uint8Array<ArrayBuffer>,
      utf8(signingInput) as Uint8Array<ArrayBuffer>,
    )
    return valid ? undefined : invalidSignature()
  } catch {
    return invalidSignature()
  }
}

// Each bound key gets its synchronous Node verifier once; `null` records that it has none.
const syncVerifiers = new WeakMap<BoundKey, SyncVerify | null>()

let useNodeCrypto = true

/**
 * Chooses the signature-check implementation for this process: Node's synchronous crypto where it
 * is available (the default, measured faster: see docs/performance.md) or Web Crypto everywhere.
 * For tests and benchmarks that compare the two.
 */
export const preferNodeCrypto = (prefer: boolean): void => {
  useNodeCrypto = prefer
}
