/** What the Authorization header of a request holds, for a bearer-only resource server. */
export type BearerCredentials =
  | { readonly _tag: 'None' }
  | { readonly _tag: 'Bearer'; readonly token: string }
  | { readonly _tag: 'Invalid'; readonly reason: string }

// RFC 6750 §2.1: credentials = "Bearer" 1*SP b64token, the scheme compared case-insensitively.
const BEARER = /^bearer +([A-Za-z0-9\-._~+/]+=*)$/i
const SCHEME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+/

const NONE: BearerCredentials = { _tag: 'None' }

/**
 * Reads the bearer token from the values of the Authorization header (a string, one string per
 * header line, or nothing). Several header lines, another scheme, an empty token, two tokens or
 * characters outside the b64token set are `Invalid`; the reason never repeats the token.
 *
 * @example
 * ```ts
 * import { extractBearer } from '@saas-kit/auth/http'
 * assert.deepEqual(extractBearer('bearer abc.def.ghi'), { _tag: 'Bearer', token: 'abc.def.ghi' })
 * assert.equal(extractBearer(['Bearer a', 'Bearer b'])._tag, 'Invalid')
 * assert.equal(extractBearer(undefined)._tag, 'None')
 * ```
 */
export const extractBearer = (authorization: string | readonly string[] | null | undefined): BearerCredentials => {
  if (authorization === undefined || authorization === null) return NONE
  let value: unknown = authorization
  if (Array.isArray(authorization)) {
    if (authorization.length === 0) return NONE
    // RFC 6750 §3.1: presenting a token more than once is `invalid_request`.
    if (authorization.length > 1) return invalid('the request carries more than one Authorization header')
    value = authorization[0]
  }
  if (typeof value !== 'string') return invalid('the Authorization header is not text')
  const match = BEARER.exec(value)
  if (match !== null) return { _tag: 'Bearer', token: match[1] as string }
  const scheme = SCHEME.exec(value)?.[0]
  if (scheme === undefined) return invalid('the Authorization header is empty or malformed')
  if (scheme.toLowerCase() !== 'bearer') return invalid('the Authorization scheme must be Bearer')
  return invalid('the Authorization header must hold exactly one token of the b64token characters')
}

const invalid = (reason: string): BearerCredentials => ({ _tag: 'Invalid', reason })
