import { type AuthenticateOptions, authenticate as authenticateCore } from '../http/authenticate.js'
import { realmOf, rememberRealm } from '../http/realm.js'
import type { RegisteredRole } from '../http/register.js'
import { requireAuth as requireAuthCore } from '../http/require-auth.js'
import { requireRole as requireRoleCore } from '../http/require-role.js'
import { toResponse } from '../http/to-response.js'
import type { Verifier } from '../http/verifier.js'
import type { Principal, UserPrincipal } from '../principal.js'

/** A Web handler that receives the principal as its second argument. */
export type PrincipalHandler<TPrincipal> = (request: Request, principal: TPrincipal) => Response | Promise<Response>

/**
 * Wraps a `(request, principal) => Response` handler into a plain `Request → Response` handler
 * (Bun.serve, Deno.serve, Next.js route handlers, Workers): reads the bearer token, verifies it and
 * passes the principal (`undefined` on excluded paths and token-less `optional` requests), or
 * answers 400/401/503 with an RFC 6750 challenge. Options are validated here (throws `AuthConfigError`).
 *
 * @example
 * ```ts
 * import { authenticate, requireRole } from '@saas-kit/auth/fetch'
 *
 * const handler = authenticate(auth, { exclude: ['/health'] })(
 *   requireRole('admin')((request, principal) => Response.json({ userId: principal.userId })),
 * )
 * Bun.serve({ fetch: handler })
 * ```
 */
export const authenticate = <TClaims, TRole extends string>(
  auth: Verifier<TClaims, TRole>,
  options: AuthenticateOptions = {},
): ((handler: PrincipalHandler<Principal<TClaims, TRole> | undefined>) => (request: Request) => Promise<Response>) => {
  const decide = authenticateCore(auth, options)
  return (handler) => async (request) => {
    const decision = await decide({ url: request.url, authorization: request.headers.get('authorization') })
    if (decision._tag === 'Deny') return toResponse(decision.response)
    rememberRealm(request, decide.realm)
    return handler(request, decision.principal)
  }
}

/**
 * Wraps a handler of registered users: 401 without a principal, 403 for a guest; the handler
 * receives a `UserPrincipal`.
 *
 * @example
 * ```ts
 * const data = requireAuth((request, principal) => Response.json(principal.claims))
 * ```
 */
export const requireAuth =
  <TClaims, TRole extends string>(
    handler: PrincipalHandler<UserPrincipal<TClaims, TRole>>,
  ): PrincipalHandler<Principal<TClaims, TRole> | undefined> =>
  (request, principal) => {
    const decision = requireAuthCore(principal, { realm: realmOf(request) })
    return decision._tag === 'Deny' ? toResponse(decision.response) : handler(request, decision.principal)
  }

/**
 * Builds a wrapper for handlers of one role or any of several (typed by the auth declared in
 * `Register`): 401 without a principal, 403 for a guest or another role; the role is narrowed.
 *
 * @example
 * ```ts
 * const users = requireRole(['admin', 'moderator'])((request, principal) => Response.json({ role: principal.role }))
 * ```
 */
export const requireRole = <const TAllowed extends RegisteredRole>(roles: TAllowed | readonly TAllowed[]) => {
  const guard = requireRoleCore<TAllowed>(roles)
  return <TClaims, TRole extends string>(
    handler: PrincipalHandler<UserPrincipal<TClaims, TRole & TAllowed>>,
  ): PrincipalHandler<Principal<TClaims, TRole> | undefined> =>
    (request, principal) => {
      const decision = guard(principal, { realm: realmOf(request) })
      return decision._tag === 'Deny' ? toResponse(decision.response) : handler(request, decision.principal)
    }
}
