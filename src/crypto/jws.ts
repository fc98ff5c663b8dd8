import { CompactSign, flattenedVerify } from 'jose'
import { type AuthError, algorithmNotAllowed, invalidSignature, malformed, unknownKey } from '../errors.js'
import { utf8 } from '../lib/base64url.js'
import type { ParsedToken } from '../lib/compact.js'
import type { BoundKey, KeySet } from './keys.js'

/** Signs a payload as a compact JWS with the set's signing key; the header gets `alg` and `kid` from the key. */
export const signCompact = async (
  keys: KeySet,
  typ: string,
  payload: Readonly<Record<string, unknown>>,
): Promise<string> => {
  const signing = keys.signing
  if (signing === undefined) throw new Error('this auth has no signing key')
  const header = signing.kid === undefined ? { alg: signing.alg, typ } : { alg: signing.alg, kid: signing.kid, typ }
  return new CompactSign(utf8(JSON.stringify(payload))).setProtectedHeader(header).sign(await signing.key)
}

/**
 * Picks the key a token names and checks its signature with that key's algorithm only.
 * RFC 8725 §3.1: the header's `alg` never chooses the algorithm, it must equal the key's.
 */
export const verifySignature = async (keys: KeySet, token: ParsedToken): Promise<AuthError | undefined> => {
  const selected = selectKey(keys, token.header)
  if (!('alg' in selected)) return selected.error
  if (token.header.alg !== selected.alg) return algorithmNotAllowed()
  const dot = token.signingInput.indexOf('.')
  try {
    await flattenedVerify(
      {
        protected: token.signingInput.slice(0, dot),
        payload: token.signingInput.slice(dot + 1),
        signature: token.signature,
      },
      await selected.key,
      { algorithms: [selected.alg] },
    )
    return undefined
  } catch (error) {
    return (error as { code?: unknown }).code === 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED'
      ? invalidSignature()
      : malformed('the signature could not be checked')
  }
}

const selectKey = (
  keys: KeySet,
  header: Readonly<Record<string, unknown>>,
): BoundKey | { readonly error: AuthError } => {
  if (typeof header.alg !== 'string') return { error: malformed('the header has no "alg"') }
  const kid = header.kid
  if (kid === undefined) {
    return keys.sole ?? { error: unknownKey() }
  }
  if (typeof kid !== 'string') return { error: malformed('the header "kid" is not a string') }
  const key = keys.byKid.get(kid) ?? (keys.sole?.kid === kid ? keys.sole : undefined)
  return key ?? { error: unknownKey() }
}
