import type { FastifyPluginCallback, FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify'
import { AuthConfigError } from '../errors.js'
import type { HttpAnswer } from '../http/answer.js'
import { type AuthenticateOptions, authenticate as authenticateCore } from '../http/authenticate.js'
import { realmOf, rememberRealm } from '../http/realm.js'
import type { RegisteredRole, RegisteredVerifier } from '../http/register.js'
import { requireAuth as requireAuthCore } from '../http/require-auth.js'
import { requireRole as requireRoleCore } from '../http/require-role.js'
import type { PrincipalOf, Verifier } from '../http/verifier.js'
import type { Principal } from '../principal.js'

declare module 'fastify' {
  interface FastifyRequest {
    /**
     * Who the bearer token speaks for, set by the `authenticate` plugin; `undefined` on excluded
     * paths and token-less `optional` requests. Typed by the auth declared in `Register`.
     */
    principal: PrincipalOf<RegisteredVerifier> | undefined
  }
}

/** Options of the Fastify `authenticate` plugin: the auth to verify with, and the usual options. */
export interface FastifyAuthenticateOptions<TClaims = unknown, TRole extends string = string>
  extends AuthenticateOptions {
  readonly auth: Verifier<TClaims, TRole>
}

const plugin: FastifyPluginCallback<FastifyAuthenticateOptions> = (instance, options, done) => {
  let decide: ReturnType<typeof authenticateCore>
  try {
    const { auth, exclude, optional, realm, ...rest } = options
    const unknownName = Object.keys(rest).find((name) => !REGISTER_OPTIONS.has(name))
    if (unknownName !== undefined) throw new AuthConfigError(unknownName, 'is not an option of authenticate')
    decide = authenticateCore(auth, {
      ...(exclude === undefined ? {} : { exclude }),
      ...(optional === undefined ? {} : { optional }),
      ...(realm === undefined ? {} : { realm }),
    })
  } catch (error) {
    done(error as Error)
    return
  }
  // Fastify 5: decorate with a primitive, assign per request in a hook.
  if (!instance.hasRequestDecorator('principal')) instance.decorateRequest('principal', undefined)
  instance.addHook('onRequest', async (request, reply) => {
    const decision = await decide({ url: request.url, authorization: authorizationOf(request) })
    if (decision._tag === 'Deny') return send(reply, decision.response)
    rememberRealm(request, decide.realm)
    // The principal's type is the registered auth's; the value comes from the auth given here.
    ;(request as { principal: unknown }).principal = decision.principal
  })
  done()
}

// Fastify's own options of `register`, which it passes on to the plugin.
const REGISTER_OPTIONS = new Set(['prefix', 'logLevel', 'logSerializers'])

/**
 * Fastify plugin: an `onRequest` hook that reads the bearer token, verifies it and sets
 * `request.principal`, or answers 400/401/503 with an RFC 6750 challenge. It applies to the scope
 * it is registered in (no encapsulation). Bad options fail the registration with `AuthConfigError`.
 *
 * @example
 * ```ts
 * import Fastify from 'fastify'
 * import { authenticate, requireRole } from '@saas-kit/auth/fastify'
 *
 * const app = Fastify()
 * await app.register(authenticate, { auth, exclude: ['/health'] })
 * app.get('/api/admin', { preHandler: requireRole('admin') }, async (request) => ({ userId: request.principal?.userId }))
 * ```
 */
export const authenticate: FastifyPluginCallback<FastifyAuthenticateOptions> = Object.assign(plugin, {
  // Not encapsulated: the hook and the decorator reach the routes of the registering scope.
  [Symbol.for('skip-override')]: true,
  [Symbol.for('fastify.display-name')]: '@saas-kit/auth',
})

/**
 * Fastify `preHandler` for registered users: 401 without a principal, 403 for a guest.
 *
 * @example
 * ```ts
 * app.get('/api/data', { preHandler: requireAuth }, async (request) => request.principal)
 * ```
 */
export const requireAuth: preHandlerAsyncHookHandler = async (request, reply) => {
  const decision = requireAuthCore(request.principal as Principal<unknown, string> | undefined, {
    realm: realmOf(request),
  })
  if (decision._tag === 'Deny') return send(reply, decision.response)
}

/**
 * Builds the Fastify `preHandler` for one role or any of several (typed by the auth declared in
 * `Register`): 401 without a principal, 403 for a guest or another role.
 *
 * @example
 * ```ts
 * app.get('/api/users', { preHandler: requireRole(['admin', 'moderator']) }, listUsers)
 * ```
 */
export const requireRole = <const TAllowed extends RegisteredRole>(
  roles: TAllowed | readonly TAllowed[],
): preHandlerAsyncHookHandler => {
  const guard = requireRoleCore<TAllowed>(roles)
  return async (request, reply) => {
    const decision = guard(request.principal as Principal<unknown, string> | undefined, { realm: realmOf(request) })
    if (decision._tag === 'Deny') return send(reply, decision.response)
  }
}

// Node keeps only the first of several Authorization lines in `headers`; `headersDistinct` has them all.
const authorizationOf = (request: FastifyRequest): string | readonly string[] | undefined =>
  request.raw.headersDistinct?.authorization ?? request.headers.authorization

const send = (reply: FastifyReply, answer: HttpAnswer): FastifyReply =>
  reply.code(answer.status).headers(answer.headers).send(answer.body)
