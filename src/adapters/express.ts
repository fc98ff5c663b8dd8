import type { NextFunction, Request, RequestHandler, Response } from 'express'
import type { HttpAnswer } from '../http/answer.js'
import { type AuthenticateOptions, authenticate as authenticateCore } from '../http/authenticate.js'
import { realmOf, rememberRealm } from '../http/realm.js'
import type { RegisteredRole, RegisteredVerifier } from '../http/register.js'
import { requireAuth as requireAuthCore } from '../http/require-auth.js'
import { requireRole as requireRoleCore } from '../http/require-role.js'
import type { PrincipalOf, RoleOf, UserPrincipalOf, Verifier } from '../http/verifier.js'
import type { Principal } from '../principal.js'

/**
 * An Express request that passed `authenticate`: annotate handlers with `AuthRequest<typeof auth>`
 * (and the route parameters, `AuthRequest<typeof auth, { id: string }>`, when you read them).
 * `principal` is absent on excluded paths and on token-less requests in `optional` mode.
 */
export type AuthRequest<TVerifier = RegisteredVerifier, TParams = Request['params']> = Request<TParams> & {
  principal?: PrincipalOf<TVerifier> | undefined
}

/**
 * An Express request that passed `requireAuth` or `requireRole`: its principal is a registered user.
 * (Express types cannot see a middleware chain, so `principal` stays optional in the type.)
 */
export type UserRequest<
  TVerifier = RegisteredVerifier,
  TRole extends RoleOf<TVerifier> = RoleOf<TVerifier>,
  TParams = Request['params'],
> = Request<TParams> & {
  principal?: UserPrincipalOf<TVerifier, TRole> | undefined
}

/**
 * Express middleware: reads the bearer token, verifies it and sets `req.principal`, or answers
 * 400/401/503 with an RFC 6750 challenge. Options are validated here (throws `AuthConfigError`).
 *
 * @example
 * ```ts
 * import express from 'express'
 * import { authenticate, requireRole, type UserRequest } from '@saas-kit/auth/express'
 *
 * const app = express()
 * app.use(authenticate(auth, { exclude: ['/health'] }))
 * app.get('/api/admin', requireRole('admin'), (req: UserRequest<typeof auth>, res) => {
 *   res.json({ userId: req.principal?.userId })
 * })
 * ```
 */
export const authenticate = <TClaims, TRole extends string>(
  auth: Verifier<TClaims, TRole>,
  options: AuthenticateOptions = {},
): RequestHandler => {
  const decide = authenticateCore(auth, options)
  return (req, res, next) => {
    // `originalUrl`: exclusions name full paths even when the middleware is mounted under a prefix.
    void decide({ url: req.originalUrl, authorization: authorizationOf(req) })
      .then((decision) => {
        if (decision._tag === 'Deny') return send(res, decision.response)
        rememberRealm(req, decide.realm)
        ;(req as { principal?: unknown }).principal = decision.principal
        next()
      })
      .catch(next)
  }
}

/**
 * Express middleware for registered users: 401 without a principal, 403 for a guest.
 *
 * @example
 * ```ts
 * app.get('/api/data', requireAuth, (req: UserRequest<typeof auth>, res) => res.json(req.principal?.claims))
 * ```
 */
export const requireAuth: RequestHandler = (req, res, next) => {
  const decision = requireAuthCore(principalOf(req), { realm: realmOf(req) })
  if (decision._tag === 'Deny') return send(res, decision.response)
  next()
}

/**
 * Express middleware for one role or any of several (typed by the auth declared in `Register`):
 * 401 without a principal, 403 for a guest or another role.
 *
 * @example
 * ```ts
 * app.get('/api/users', requireRole(['admin', 'moderator']), listUsers)
 * ```
 */
export const requireRole = <const TAllowed extends RegisteredRole>(
  roles: TAllowed | readonly TAllowed[],
): RequestHandler => {
  const guard = requireRoleCore<TAllowed>(roles)
  return (req: Request, res: Response, next: NextFunction) => {
    const decision = guard(principalOf(req), { realm: realmOf(req) })
    if (decision._tag === 'Deny') return send(res, decision.response)
    next()
  }
}

const principalOf = (req: Request): Principal<unknown, string> | undefined =>
  (req as { principal?: Principal<unknown, string> }).principal

// Node keeps only the first of several Authorization lines in `headers`; `headersDistinct` has them all.
const authorizationOf = (req: Request): string | readonly string[] | undefined =>
  req.headersDistinct?.authorization ?? req.headers.authorization

const send = (res: Response, answer: HttpAnswer): void => {
  res.status(answer.status).set(answer.headers).json(answer.body)
}
