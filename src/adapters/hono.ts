import type { MiddlewareHandler } from 'hono'
import { type AuthenticateOptions, authenticate as authenticateCore } from '../http/authenticate.js'
import { realmOf, rememberRealm } from '../http/realm.js'
import type { RegisteredClaims, RegisteredRole, RegisteredVerifier } from '../http/register.js'
import { requireAuth as requireAuthCore } from '../http/require-auth.js'
import { requireRole as requireRoleCore } from '../http/require-role.js'
import { toResponse } from '../http/to-response.js'
import type { PrincipalOf, Verifier } from '../http/verifier.js'
import type { Principal, UserPrincipal } from '../principal.js'

/**
 * The context variables `authenticate` sets, for the app's Env: `new Hono<{ Variables: AuthVariables<typeof auth> }>()`.
 * `principal` is `undefined` on excluded paths and on token-less requests in `optional` mode.
 */
export type AuthVariables<TVerifier = RegisteredVerifier> = { principal: PrincipalOf<TVerifier> | undefined }

/**
 * Hono middleware: reads the bearer token, verifies it and sets `c.var.principal`, or answers
 * 400/401/503 with an RFC 6750 challenge. Options are validated here (throws `AuthConfigError`).
 *
 * @example
 * ```ts
 * import { Hono } from 'hono'
 * import { authenticate, requireRole, type AuthVariables } from '@saas-kit/auth/hono'
 *
 * const app = new Hono<{ Variables: AuthVariables<typeof auth> }>()
 * app.use(authenticate(auth, { exclude: ['/health'] }))
 * app.get('/api/admin', requireRole('admin'), (c) => c.json({ userId: c.var.principal.userId }))
 * ```
 */
export const authenticate = <TClaims, TRole extends string>(
  auth: Verifier<TClaims, TRole>,
  options: AuthenticateOptions = {},
): MiddlewareHandler<{ Variables: { principal: Principal<TClaims, TRole> | undefined } }> => {
  const decide = authenticateCore(auth, options)
  return async (c, next) => {
    const decision = await decide({ url: c.req.url, authorization: c.req.raw.headers.get('authorization') })
    if (decision._tag === 'Deny') return toResponse(decision.response)
    rememberRealm(c, decide.realm)
    c.set('principal', decision.principal)
    await next()
  }
}

/**
 * Hono middleware for registered users: 401 without a principal, 403 for a guest; in the
 * handler `c.var.principal` is a `UserPrincipal`.
 *
 * @example
 * ```ts
 * app.get('/api/data', requireAuth, (c) => c.json({ plan: c.var.principal.claims.plan }))
 * ```
 */
export const requireAuth: MiddlewareHandler<{
  Variables: { principal: UserPrincipal<RegisteredClaims, RegisteredRole> }
}> = async (c, next) => {
  const decision = requireAuthCore(c.get('principal') as Principal<unknown, string> | undefined, {
    realm: realmOf(c),
  })
  if (decision._tag === 'Deny') return toResponse(decision.response)
  await next()
}

/**
 * Hono middleware for one role or any of several (typed by the auth declared in `Register`): 401
 * without a principal, 403 for a guest or another role; in the handler the role is narrowed.
 *
 * @example
 * ```ts
 * app.get('/api/users', requireRole(['admin', 'moderator']), (c) => c.json({ role: c.var.principal.role }))
 * ```
 */
export const requireRole = <const TAllowed extends RegisteredRole>(
  roles: TAllowed | readonly TAllowed[],
): MiddlewareHandler<{ Variables: { principal: UserPrincipal<RegisteredClaims, TAllowed> } }> => {
  const guard = requireRoleCore<TAllowed>(roles)
  return async (c, next) => {
    const decision = guard(c.get('principal') as Principal<unknown, string> | undefined, { realm: realmOf(c) })
    if (decision._tag === 'Deny') return toResponse(decision.response)
    await next()
  }
}
