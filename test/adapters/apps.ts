import type { Server } from 'node:net'
import { createAdaptorServer, serve } from '@hono/node-server'
import express from 'express'
import Fastify from 'fastify'
import { Hono } from 'hono'
import * as ExpressAuth from '../../src/adapters/express.js'
import * as FastifyAuth from '../../src/adapters/fastify.js'
import * as FetchAuth from '../../src/adapters/fetch.js'
import * as HonoAuth from '../../src/adapters/hono.js'
import type { AuthenticateOptions } from '../../src/http/index.js'
import type { Principal } from '../../src/index.js'
import type { planAuth } from '../support/auth.js'
import { closeServer, type LocalServer, listenLocal } from '../support/http-client.js'

/** The auth of the adapter tests: the seed's plan claims and roles. */
export type PlanAuth = ReturnType<typeof planAuth>['auth']
type PlanPrincipal = Principal<{ plan: string }, string>

/** Serves the seed's routes behind one adapter, on 127.0.0.1. */
export type AppFactory = (auth: PlanAuth, options: AuthenticateOptions) => Promise<LocalServer>

/** What every route answers: which route ran, and who for (no secrets, no token). */
export const routeAnswer = (route: string, principal: PlanPrincipal | undefined) =>
  principal === undefined
    ? { route, principal: null }
    : {
        route,
        principal: {
          userId: principal.userId,
          role: principal.role,
          isGuest: principal.isGuest,
          plan: principal.isGuest ? null : principal.claims.plan,
        },
      }

const PUBLIC_ROUTES = ['/health', '/docs', '/docs/intro', '/openapi.json'] as const

const hono: AppFactory = async (auth, options) => {
  const app = new Hono<{ Variables: HonoAuth.AuthVariables<PlanAuth> }>()
  app.use(HonoAuth.authenticate(auth, options))
  for (const path of PUBLIC_ROUTES) app.get(path, (c) => c.json(routeAnswer(path, c.var.principal)))
  app.get('/api/profile', (c) => c.json(routeAnswer('profile', c.var.principal)))
  app.get('/api/data', HonoAuth.requireAuth, (c) => c.json(routeAnswer('data', c.var.principal)))
  app.get('/api/admin', HonoAuth.requireRole('admin'), (c) => c.json(routeAnswer('admin', c.var.principal)))
  app.get('/api/users', HonoAuth.requireRole(['admin', 'moderator']), (c) =>
    c.json(routeAnswer('users', c.var.principal)),
  )
  const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 })
  await new Promise((resolve) => (server.listening ? resolve(undefined) : server.once('listening', resolve)))
  const { port } = server.address() as { port: number }
  return { url: `http://127.0.0.1:${port}`, close: () => closeServer(server) }
}

const expressApp: AppFactory = async (auth, options) => {
  const app = express()
  app.use(ExpressAuth.authenticate(auth, options))
  for (const path of PUBLIC_ROUTES) {
    app.get(path, (req: ExpressAuth.AuthRequest<PlanAuth>, res) => {
      res.json(routeAnswer(path, req.principal))
    })
  }
  app.get('/api/profile', (req: ExpressAuth.AuthRequest<PlanAuth>, res) => {
    res.json(routeAnswer('profile', req.principal))
  })
  app.get('/api/data', ExpressAuth.requireAuth, (req: ExpressAuth.UserRequest<PlanAuth>, res) => {
    res.json(routeAnswer('data', req.principal))
  })
  app.get('/api/admin', ExpressAuth.requireRole('admin'), (req: ExpressAuth.UserRequest<PlanAuth>, res) => {
    res.json(routeAnswer('admin', req.principal))
  })
  app.get(
    '/api/users',
    ExpressAuth.requireRole(['admin', 'moderator']),
    (req: ExpressAuth.UserRequest<PlanAuth>, res) => {
      res.json(routeAnswer('users', req.principal))
    },
  )
  const server = await new Promise<Server>((resolve, reject) => {
    const listening = app.listen(0, '127.0.0.1', (error) => (error ? reject(error) : resolve(listening)))
  })
  const { port } = server.address() as { port: number }
  return { url: `http://127.0.0.1:${port}`, close: () => closeServer(server) }
}

const fastify: AppFactory = async (auth, options) => {
  const app = Fastify({ forceCloseConnections: true })
  await app.register(FastifyAuth.authenticate, { auth, ...options })
  const principalOf = (request: { principal: unknown }) => request.principal as PlanPrincipal | undefined
  for (const path of PUBLIC_ROUTES) app.get(path, async (request) => routeAnswer(path, principalOf(request)))
  app.get('/api/profile', async (request) => routeAnswer('profile', principalOf(request)))
  app.get('/api/data', { preHandler: FastifyAuth.requireAuth }, async (request) =>
    routeAnswer('data', principalOf(request)),
  )
  app.get('/api/admin', { preHandler: FastifyAuth.requireRole('admin') }, async (request) =>
    routeAnswer('admin', principalOf(request)),
  )
  app.get('/api/users', { preHandler: FastifyAuth.requireRole(['admin', 'moderator']) }, async (request) =>
    routeAnswer('users', principalOf(request)),
  )
  const url = await app.listen({ host: '127.0.0.1', port: 0 })
  return { url, close: () => app.close() }
}

const fetchApp: AppFactory = async (auth, options) => {
  type Handler = FetchAuth.PrincipalHandler<Principal<{ plan: string }, string> | undefined>
  const json = (body: unknown) => Response.json(body)
  const routes: Record<string, Handler> = {
    '/api/profile': (_request, principal) => json(routeAnswer('profile', principal)),
    '/api/data': FetchAuth.requireAuth((_request, principal) => json(routeAnswer('data', principal))),
    '/api/admin': FetchAuth.requireRole('admin')((_request, principal) => json(routeAnswer('admin', principal))),
    '/api/users': FetchAuth.requireRole(['admin', 'moderator'])((_request, principal) =>
      json(routeAnswer('users', principal)),
    ),
  }
  for (const path of PUBLIC_ROUTES) routes[path] = (_request, principal) => json(routeAnswer(path, principal))
  const handler = FetchAuth.authenticate(
    auth,
    options,
  )((request, principal) => {
    const route = routes[new URL(request.url).pathname]
    return route === undefined ? new Response('not found', { status: 404 }) : route(request, principal)
  })
  return listenLocal(createAdaptorServer({ fetch: handler }) as Server)
}

/** Every adapter, by name: one table of cases runs against each. */
export const APPS: Readonly<Record<'hono' | 'express' | 'fastify' | 'fetch', AppFactory>> = {
  hono,
  express: expressApp,
  fastify,
  fetch: fetchApp,
}
