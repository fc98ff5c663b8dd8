import { CompactSign } from 'jose'
import { SECRET } from './auth.js'

const encoder = new TextEncoder()

/** Signs any header and payload with HS256 under a secret: tokens the library would never issue. */
export const forge = (
  payload: Record<string, unknown>,
  header: Record<string, unknown> = { alg: 'HS256', typ: 'at+jwt' },
  secret: string | Uint8Array = SECRET,
): Promise<string> =>
  new CompactSign(encoder.encode(JSON.stringify(payload)))
    .setProtectedHeader(header as { alg: string })
    .sign(typeof secret === 'string' ? encoder.encode(secret) : secret)

/** The registered claims of a valid user access token at `iat` (epoch seconds). */
export const userClaims = (iat: number, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  sub: 'u1',
  jti: 'jti-1',
  iat,
  exp: iat + 3600,
  role: 'user',
  plan: 'pro',
  limits: { daily_limit: 100, features: ['export'] },
  ...extra,
})

/** base64url of a string's UTF-8 bytes, or of raw bytes. */
export const b64 = (data: string | Uint8Array): string => Buffer.from(data).toString('base64url')

/** The HS256 signature of a signing input, as base64url. */
export const hs256 = async (signingInput: string, secret: string = SECRET): Promise<string> => {
  const { createHmac } = await import('node:crypto')
  return createHmac('sha256', secret).update(signingInput).digest('base64url')
}

/**
 * A compact token from raw segment texts (JSON objects are stringified), validly HS256-signed
 * over exactly those segments: to prove a rule refuses what a correct signature would not.
 */
export const signedRaw = async (
  header: Record<string, unknown> | string,
  payload: Record<string, unknown> | string | Uint8Array,
  secret: string = SECRET,
): Promise<string> => {
  const h = b64(typeof header === 'string' ? header : JSON.stringify(header))
  const p = b64(typeof payload === 'string' || payload instanceof Uint8Array ? payload : JSON.stringify(payload))
  return `${h}.${p}.${await hs256(`${h}.${p}`, secret)}`
}

/** The header of a valid access token from the `secret` shorthand. */
export const AT = { alg: 'HS256', typ: 'at+jwt' } as const
