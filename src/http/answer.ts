import { type AuthError, isAuthError, storeUnavailable } from '../errors.js'
import { bearerChallenge, toHttp } from '../to-http.js'

/** An HTTP answer to a refused request: status, headers and a JSON body `{ error, message }`. */
export interface HttpAnswer {
  readonly status: 400 | 401 | 403 | 503
  readonly headers: Readonly<Record<string, string>>
  readonly body: { readonly error: string; readonly message: string }
}

/** The outcome of `authenticate` or a guard: let the request through with a principal, or answer it. */
export type Decision<TPrincipal> =
  | { readonly _tag: 'Allow'; readonly principal: TPrincipal }
  | { readonly _tag: 'Deny'; readonly response: HttpAnswer }

// constructors (internal: adapters and guards build answers through these)

/** Lets a request through. */
export const allow = <TPrincipal>(principal: TPrincipal): Decision<TPrincipal> => ({ _tag: 'Allow', principal })

const deny = (response: HttpAnswer): Decision<never> => ({ _tag: 'Deny', response })

// RFC 6750 §3.1: a request without any credentials gets a challenge without an error code.
/** 401: the request carries no bearer token. */
export const missingToken = (realm: string): Decision<never> =>
  deny({
    status: 401,
    headers: { 'WWW-Authenticate': bearerChallenge({ realm }) },
    body: { error: 'missing_token', message: 'A bearer token is required.' },
  })

// RFC 6750 §3.1: a malformed request is 400 `invalid_request`.
/** 400: the Authorization header is not one `Bearer <b64token>` credential. */
export const invalidRequest = (realm: string, message: string): Decision<never> =>
  deny({
    status: 400,
    headers: { 'WWW-Authenticate': bearerChallenge({ realm, error: 'invalid_request', description: message }) },
    body: { error: 'invalid_request', message },
  })

/** 403: the principal may not use this resource (a guest where a user is required, or a wrong role). */
export const insufficientScope = (realm: string, message: string): Decision<never> =>
  deny({
    status: 403,
    headers: {
      'WWW-Authenticate': bearerChallenge({ realm, error: 'insufficient_scope', description: message }),
    },
    body: { error: 'insufficient_scope', message },
  })

/** 401 `invalid_token` or 503, from what `verify` answered; anything that is not an `AuthError` fails closed. */
export const refused = (realm: string, error: unknown): Decision<never> =>
  deny(toHttp(isAuthError(error) ? error : (storeUnavailable(error) as AuthError), { realm }))
