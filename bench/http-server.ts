/**
 * One server of the HTTP benchmark, in its own process so it has a core to itself: a Hono or a
 * Fastify app with one JSON route, with or without `authenticate`. Listens on 127.0.0.1, port 0,
 * prints `{"port":N}` on stdout and runs until its stdin closes.
 *
 * Usage: `node --import tsx bench/http-server.ts hono|fastify bare|auth`
 */
import { serve } from '@hono/node-server'
import Fastify from 'fastify'
import { Hono } from 'hono'
import { authenticate as fastifyAuthenticate } from '../src/adapters/fastify.js'
import { type AuthVariables, authenticate as honoAuthenticate } from '../src/adapters/hono.js'
import { createAuth } from '../src/index.js'
import { PlanClaims, ROLES, SECRET } from './setup.js'

const [framework, route] = process.argv.slice(2)
if ((framework !== 'hono' && framework !== 'fastify') || (route !== 'bare' && route !== 'auth')) {
  process.stderr.write('usage: http-server.ts hono|fastify bare|auth\n')
  process.exit(2)
}

// every default, like the verify benchmark: memory store, system clock
const auth = createAuth({ secret: SECRET, claims: PlanClaims, roles: ROLES })

const listenHono = async (): Promise<{ port: number; close: () => void }> => {
  const app = new Hono<{ Variables: AuthVariables<typeof auth> }>()
  if (route === 'auth') {
    app.use(honoAuthenticate(auth))
    app.get('/api/data', (c) => c.json({ userId: c.var.principal?.userId ?? null }))
  } else {
    app.get('/api/data', (c) => c.json({ userId: 'anonymous' }))
  }
  const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 })
  await new Promise((resolve) => (server.listening ? resolve(undefined) : server.once('listening', resolve)))
  return { port: (server.address() as { port: number }).port, close: () => server.close() }
}

const listenFastify = async (): Promise<{ port: number; close: () => void }> => {
  const app = Fastify({ logger: false })
  if (route === 'auth') {
    await app.register(fastifyAuthenticate, { auth })
    app.get('/api/data', async (request) => ({ userId: request.principal?.userId ?? null }))
  } else {
    app.get('/api/data', async () => ({ userId: 'anonymous' }))
  }
  await app.listen({ host: '127.0.0.1', port: 0 })
  const address = app.server.address() as { port: number }
  return { port: address.port, close: () => void app.close() }
}

const server = framework === 'hono' ? await listenHono() : await listenFastify()
process.stdout.write(`${JSON.stringify({ port: server.port })}\n`)
process.stdin.resume()
process.stdin.on('end', () => {
  server.close()
  process.exit(0)
})
