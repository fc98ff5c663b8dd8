import Fastify from 'fastify'
import { describe, expect, it } from 'vitest'
import * as ExpressAuth from '../../src/adapters/express.js'
import * as FastifyAuth from '../../src/adapters/fastify.js'
import * as FetchAuth from '../../src/adapters/fetch.js'
import * as HonoAuth from '../../src/adapters/hono.js'
import { AuthConfigError } from '../../src/index.js'
import { planAuth } from '../support/auth.js'

const { auth } = planAuth()
const BAD_OPTIONS = [
  [{ exclude: ['health'] }, 'exclude.0'],
  [{ exclude: ['/docs/*/x'] }, 'exclude.0'],
  [{ optional: 1 }, 'optional'],
  [{ realm: 'a\\b' }, 'realm'],
  [{ excludes: ['/health'] }, 'excludes'],
] as const

describe('options are checked when the middleware is created', () => {
  it.each(BAD_OPTIONS)('Hono, Express and fetch throw AuthConfigError for %j', (options, field) => {
    for (const authenticate of [HonoAuth.authenticate, ExpressAuth.authenticate, FetchAuth.authenticate]) {
      expect(() => authenticate(auth, options as never)).toThrow(AuthConfigError)
      expect(() => authenticate(auth, options as never)).toThrow(expect.objectContaining({ field }))
    }
  })

  it.each(BAD_OPTIONS)('Fastify fails the registration with AuthConfigError for %j', async (options, field) => {
    const app = Fastify()
    await expect(app.register(FastifyAuth.authenticate, { auth, ...(options as object) })).rejects.toThrow(
      expect.objectContaining({ name: 'AuthConfigError', field }),
    )
    await app.close()
  })

  it('Fastify refuses a registration without an auth', async () => {
    const app = Fastify()
    await expect(app.register(FastifyAuth.authenticate, {} as never)).rejects.toThrow(
      expect.objectContaining({ field: 'auth' }),
    )
    await app.close()
  })

  it('Fastify accepts its own register options and a second registration in a child scope', async () => {
    const app = Fastify()
    await app.register(FastifyAuth.authenticate, { auth, prefix: '/ignored' } as never)
    await app.register(async (child) => {
      await child.register(FastifyAuth.authenticate, { auth, optional: true })
    })
    await app.ready()
    await app.close()
  })

  it.each([[[]], ['guest'], ['']])('guards refuse an empty or reserved role list: %j', (roles) => {
    for (const requireRole of [
      HonoAuth.requireRole,
      ExpressAuth.requireRole,
      FetchAuth.requireRole,
      FastifyAuth.requireRole,
    ]) {
      expect(() => requireRole(roles as never)).toThrow(AuthConfigError)
    }
  })
})
