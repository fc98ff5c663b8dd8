import express from 'express'
import Fastify from 'fastify'
import { Hono } from 'hono'
import * as v from 'valibot'
import { describe, expectTypeOf, it } from 'vitest'
import * as ExpressAuth from '../../src/adapters/express.js'
import * as FastifyAuth from '../../src/adapters/fastify.js'
import * as FetchAuth from '../../src/adapters/fetch.js'
import * as HonoAuth from '../../src/adapters/hono.js'
import { createAuth, type Principal, type UserPrincipal } from '../../src/index.js'

// Without a `Register` declaration (see adapters-registered.test.ts for it): the principal is typed
// from the auth given to `authenticate` or named in the request type.

const PlanClaims = v.object({
  plan: v.picklist(['free', 'pro', 'enterprise']),
  limits: v.object({ daily_limit: v.number(), features: v.array(v.string()) }),
})
type Plan = v.InferOutput<typeof PlanClaims>
type Role = 'user' | 'premium' | 'admin' | 'moderator'
const auth = createAuth({
  secret: 'x'.repeat(32),
  claims: PlanClaims,
  roles: ['user', 'premium', 'admin', 'moderator'],
})

describe('Hono: c.var.principal', () => {
  const app = new Hono<{ Variables: HonoAuth.AuthVariables<typeof auth> }>()
  app.use(HonoAuth.authenticate(auth, { exclude: ['/health'] }))

  it('is the principal or undefined after authenticate', () => {
    app.get('/api/profile', (c) => {
      expectTypeOf(c.var.principal).toEqualTypeOf<Principal<Plan, Role> | undefined>()
      return c.json({})
    })
  })

  it('is a registered user after requireAuth', () => {
    app.get('/api/data', HonoAuth.requireAuth, (c) => {
      expectTypeOf(c.var.principal.isGuest).toEqualTypeOf<false>()
      expectTypeOf(c.var.principal.role).toEqualTypeOf<Role>()
      expectTypeOf(c.var.principal.claims.limits.daily_limit).toEqualTypeOf<number>()
      expectTypeOf(c.var.principal).toExtend<UserPrincipal<Plan, Role>>()
      return c.json({})
    })
  })

  it('has the role narrowed after requireRole', () => {
    app.get('/api/users', HonoAuth.requireRole(['admin', 'moderator']), (c) => {
      expectTypeOf(c.var.principal.role).toEqualTypeOf<'admin' | 'moderator'>()
      expectTypeOf(c.var.principal.claims.plan).toEqualTypeOf<Plan['plan']>()
      return c.json({})
    })
  })

  it('is typed by the middleware alone in a chained app', () => {
    new Hono().use(HonoAuth.authenticate(auth)).get('/x', (c) => {
      expectTypeOf(c.var.principal).toEqualTypeOf<Principal<Plan, Role> | undefined>()
      return c.json({})
    })
  })
})

describe('Express: req.principal', () => {
  const app = express()
  app.use(ExpressAuth.authenticate(auth, { exclude: ['/health'] }))

  it('is typed through AuthRequest and UserRequest, and those fit Express handlers', () => {
    app.get('/api/profile', (req: ExpressAuth.AuthRequest<typeof auth>, res) => {
      expectTypeOf(req.principal).toEqualTypeOf<Principal<Plan, Role> | undefined>()
      res.json({})
    })
    app.get('/api/data', ExpressAuth.requireAuth, (req: ExpressAuth.UserRequest<typeof auth>, res) => {
      expectTypeOf(req.principal).toEqualTypeOf<UserPrincipal<Plan, Role> | undefined>()
      res.json({})
    })
    app.get(
      '/api/users/:id',
      ExpressAuth.requireRole('admin'),
      (req: ExpressAuth.UserRequest<typeof auth, 'admin', { id: string }>, res) => {
        expectTypeOf(req.principal?.role).toEqualTypeOf<'admin' | undefined>()
        expectTypeOf(req.params.id).toEqualTypeOf<string>()
        res.json({})
      },
    )
  })

  it('names only the auth roles in UserRequest', () => {
    // @ts-expect-error: 'nope' is not a role of this auth
    expectTypeOf<ExpressAuth.UserRequest<typeof auth, 'nope'>>().not.toBeAny()
  })
})

describe('Fastify: request.principal', () => {
  it('registers with the auth in the options and guards as preHandler', async () => {
    const app = Fastify()
    await app.register(FastifyAuth.authenticate, { auth, exclude: ['/health'], optional: false })
    app.get('/api/admin', { preHandler: FastifyAuth.requireRole('admin') }, async (request) => {
      expectTypeOf(request.principal).toEqualTypeOf<Principal<unknown, string> | undefined>()
      return {}
    })
    app.get('/api/data', { preHandler: [FastifyAuth.requireAuth] }, async () => ({}))
    // @ts-expect-error: the auth is required
    await app.register(FastifyAuth.authenticate, { exclude: ['/health'] })
  })
})

describe('fetch: the handler argument', () => {
  it('is the principal or undefined after authenticate', () => {
    const handler = FetchAuth.authenticate(auth, { exclude: ['/health'] })((_request, principal) => {
      expectTypeOf(principal).toEqualTypeOf<Principal<Plan, Role> | undefined>()
      return new Response()
    })
    expectTypeOf(handler).toEqualTypeOf<(request: Request) => Promise<Response>>()
  })

  it('is a UserPrincipal under requireAuth and has the role narrowed under requireRole', () => {
    FetchAuth.authenticate(auth)(
      FetchAuth.requireAuth((_request, principal) => {
        expectTypeOf(principal).toEqualTypeOf<UserPrincipal<Plan, Role>>()
        return new Response()
      }),
    )
    FetchAuth.authenticate(auth)(
      FetchAuth.requireRole(['admin', 'moderator'])((_request, principal) => {
        expectTypeOf(principal.role).toEqualTypeOf<'admin' | 'moderator'>()
        expectTypeOf(principal.claims).toEqualTypeOf<Plan>()
        return new Response()
      }),
    )
  })
})
