import { isKeyRing, type KeyRing, toJwks } from '../crypto/key-ring.js'
import type { KeySet } from '../crypto/keys.js'
import { AuthConfigError } from '../errors.js'
import { type Duration, toSeconds } from '../lib/duration.js'

/** Options of {@link jwksHandler}. */
export interface JwksHandlerOptions {
  /** How long clients and caches may keep the document (`Cache-Control: max-age`). Default `'5m'`. */
  readonly maxAge?: Duration
}

/** What {@link jwksHandler} publishes: an auth built with `keys`, or a key ring itself. */
export type JwksSource = { readonly env: { readonly keys: KeySet } } | KeyRing

/**
 * A fetch-style handler that serves the public keys of an auth (or a ring) as a JWKS document,
 * cacheable, for `GET /.well-known/jwks.json`. Built once: the body is serialized at creation.
 * Throws `AuthConfigError` when there is nothing public to publish (an HMAC-only or verify-only auth).
 *
 * @example
 * ```ts
 * const serveJwks = jwksHandler(auth, { maxAge: '10m' })
 * app.get('/.well-known/jwks.json', (c) => serveJwks(c.req.raw))
 * ```
 */
export const jwksHandler = (
  source: JwksSource,
  options: JwksHandlerOptions = {},
): ((request: Request) => Promise<Response>) => {
  const jwks = isKeyRing(source) ? toJwks(source) : source?.env?.keys?.jwks
  if (jwks === undefined || jwks.keys.length === 0) {
    throw new AuthConfigError('auth', 'has no public key to publish (HMAC keys and remote JWKS are never published)')
  }
  const maxAge = toSeconds(options.maxAge ?? 300)
  if (maxAge === undefined || maxAge < 0) {
    throw new AuthConfigError('maxAge', "must be a whole number of seconds ≥ 0 or a duration string such as '5m'")
  }
  const body = JSON.stringify(jwks)
  const headers = {
    'content-type': 'application/jwk-set+json',
    'cache-control': `public, max-age=${maxAge}`,
    'x-content-type-options': 'nosniff',
  }
  return async (request) => {
    if (request.method === 'GET') return new Response(body, { status: 200, headers })
    if (request.method === 'HEAD') return new Response(null, { status: 200, headers })
    return new Response(null, { status: 405, headers: { allow: 'GET, HEAD' } })
  }
}
