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
