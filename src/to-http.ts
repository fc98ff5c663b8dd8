import type { AuthError } from './errors.js'

/** The HTTP answer to an {@link AuthError}: status, headers and a JSON body. */
export interface HttpAuthError {
  readonly status: 401 | 503
  readonly headers: Readonly<Record<string, string>>
  readonly body: { readonly error: string; readonly message: string }
}

/** Options of {@link toHttp}. */
export interface ToHttpOptions {
  /** The `realm` of the `WWW-Authenticate` challenge (RFC 6750 §3). */
  readonly realm?: string
}

/**
 * Maps an {@link AuthError} to its HTTP answer: 401 with an RFC 6750 `invalid_token` challenge
 * for a bad token, 503 when the store failed (verification fails closed).
 *
 * @example
 * ```ts
 * import { malformed, toHttp } from '@saas-kit/auth'
 * const http = toHttp(malformed('not a JWS'))
 * assert.equal(http.status, 401)
 * assert.equal(http.body.error, 'invalid_token')
 * ```
 */
export const toHttp = (error: AuthError, options: ToHttpOptions = {}): HttpAuthError => {
  if (error._tag === 'StoreUnavailable') {
    return {
      status: 503,
      headers: { 'Retry-After': '1' },
      body: { error: 'temporarily_unavailable', message: error.message },
    }
  }
  return {
    status: 401,
    headers: {
      'WWW-Authenticate': bearerChallenge({ ...options, error: 'invalid_token', description: error.message }),
    },
    body: { error: 'invalid_token', message: error.message },
  }
}

/** Parameters of an RFC 6750 §3 `Bearer` challenge. */
export interface BearerChallenge {
  readonly realm?: string
  readonly error?: 'invalid_request' | 'invalid_token' | 'insufficient_scope'
  readonly description?: string
  readonly scope?: string
}

/** Formats an RFC 6750 §3 `WWW-Authenticate: Bearer …` challenge. */
export const bearerChallenge = (challenge: BearerChallenge): string => {
  const params: string[] = []
  if (challenge.realm !== undefined) params.push(`realm="${quotable(challenge.realm)}"`)
  if (challenge.scope !== undefined) params.push(`scope="${quotable(challenge.scope)}"`)
  if (challenge.error !== undefined) params.push(`error="${challenge.error}"`)
  if (challenge.description !== undefined) {
    params.push(`error_description="${quotable(challenge.description)}"`)
  }
  return params.length === 0 ? 'Bearer' : `Bearer ${params.join(', ')}`
}

// RFC 6750 §3: attribute values are %x20-21 / %x23-5B / %x5D-7E (no `"`, no `\`).
const quotable = (value: string): string => value.replace(/[^\x20\x21\x23-\x5b\x5d-\x7e]/g, '')
