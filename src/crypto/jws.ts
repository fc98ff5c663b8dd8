import { CompactSign } from 'jose'
import { type AuthError, algorithmNotAllowed, invalidSignature, malformed, unknownKey } from '../errors.js'
import { decode, utf8 } from '../lib/base64url.js'
import type { ParsedToken } from '../lib/compact.js'
import { type KeySet, SIGNATURE_PARAMS } from './keys.js'

/** Signs a payload as a compact JWS with the set's signing key; the header gets `alg` and `kid` from the key. */
export const signCompact = async (
  keys: KeySet,
  typ: string,
  payload: Readonly<Record<string, unknown>>,
): Promise<string> => {
  const signing = keys.signing
  if (signing?.signKey === undefined) throw new Error('this auth has no signing key')
  const header = signing.kid === undefined ? { alg: signing.alg, typ } : { alg: signing.alg, kid: signing.kid, typ }
  return new CompactSign(utf8(JSON.stringify(payload))).setProtectedHeader(header).sign(await signing.signKey)
}

/**
 * Picks the key a token names and checks its signature with that key's algorithm only.
 * RFC 8725 §3.1: the header's `alg` never chooses the algorithm, it must equal the key's.
 */
export const verifySignature = (keys: KeySet, token: ParsedToken): Promise<AuthError | undefined> =>
  checkSignature(keys, token.header, token.signingInput, token.signature)

// ECDSA P-256 (RFC 7518 §3.4) and Ed25519 (RFC 8037 §3.1) signatures have one exact length.
const FIXED_SIGNATURE_BYTES: Readonly<Partial<Record<string, number>>> = { ES256: 64, EdDSA: 64 }

/**
 * The signature layer on its own: selects the key by `kid`, binds the algorithm, and checks the
 * signature over `signingInput` (`BASE64URL(header).BASE64URL(payload)`, whatever the payload
 * bytes are). The header must already be decoded; `verifySignature` is this for parsed tokens.
 */
export const checkSignature = async (
  keys: KeySet,
  header: Readonly<Record<string, unknown>>,
  signingInput: string,
  signature: string,
): Promise<AuthError | undefined> => {
  const alg = header.alg
  if (typeof alg !== 'string') return malformed('the header has no "alg"')
  const kid = header.kid
  if (kid !== undefined && typeof kid !== 'string') return malformed('the header "kid" is not a string')
  // RFC 7515 §4.1.4: `kid` picks the key; without one, only a set of exactly one key can answer.
  const local = kid === undefined ? keys.sole : keys.byKid.get(kid)
  const selected = local ?? (keys.resolve === undefined ? unknownKey() : await keys.resolve(kid))
  if (!('verifyKey' in selected)) return selected
  if (alg !== selected.alg) return algorithmNotAllowed()
  const bytes = decode(signature)
  if (bytes === undefined) return malformed('the signature is not canonical base64url')
  const fixed = FIXED_SIGNATURE_BYTES[alg]
  if (fixed !== undefined && bytes.length !== fixed) return invalidSignature()
  let key: CryptoKey
  try {
    key = await selected.verifyKey
  } catch (cause) {
    return unknownKey(cause)
  }
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
