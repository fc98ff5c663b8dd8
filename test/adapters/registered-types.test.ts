import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'

// A `Register` declaration is global to the program that holds it, so it is checked here in a
// program of its own instead of in test/types (where it would type every other test too).

const here = dirname(fileURLToPath(import.meta.url))
const root = join(here, '..', '..')
const virtualFile = join(here, '__registered__.ts')

const SOURCE = `
import express from 'express'
import Fastify from 'fastify'
import { Hono } from 'hono'
import * as v from 'valibot'
import { expectTypeOf } from 'vitest'
import * as ExpressAuth from '../../src/adapters/express.js'
import * as FastifyAuth from '../../src/adapters/fastify.js'
import * as FetchAuth from '../../src/adapters/fetch.js'
import * as HonoAuth from '../../src/adapters/hono.js'
import * as Http from '../../src/http/index.js'
import { createAuth, type Principal, type UserPrincipal } from '../../src/index.js'

const PlanClaims = v.object({ plan: v.picklist(['free', 'pro', 'enterprise']) })
type Plan = v.InferOutput<typeof PlanClaims>
type Role = 'user' | 'premium' | 'admin' | 'moderator'
export const auth = createAuth({ secret: 'x'.repeat(32), claims: PlanClaims, roles: ['user', 'premium', 'admin', 'moderator'] })

declare module '../../src/http/index.js' {
  interface Register {
    auth: typeof auth
  }
}

// requireRole accepts only the registered roles, in every adapter and in the core
HonoAuth.requireRole('admin')
ExpressAuth.requireRole(['admin', 'moderator'])
FastifyAuth.requireRole('moderator')
FetchAuth.requireRole(['premium'])
Http.requireRole('user')
// @ts-expect-error: not a configured role
HonoAuth.requireRole('nope')
// @ts-expect-error: not a configured role
ExpressAuth.requireRole(['admin', 'nope'])
// @ts-expect-error: not a configured role
FastifyAuth.requireRole('nope')
// @ts-expect-error: not a configured role
FetchAuth.requireRole('nope')
// @ts-expect-error: not a configured role
Http.requireRole(['nope'])

// Fastify: request.principal is typed from the registered auth
const fastify = Fastify()
fastify.register(FastifyAuth.authenticate, { auth })
fastify.get('/api/profile', async (request) => {
  expectTypeOf(request.principal).toEqualTypeOf<Principal<Plan, Role> | undefined>()
  return {}
})

// Express: the request types default to the registered auth
const app = express()
app.get('/api/data', ExpressAuth.requireAuth, (req: ExpressAuth.UserRequest, res) => {
  expectTypeOf(req.principal).toEqualTypeOf<UserPrincipal<Plan, Role> | undefined>()
  res.json({})
})

// Hono: guards carry the registered claims even in an app without an Env
new Hono().get('/api/admin', HonoAuth.requireRole('admin'), (c) => {
  expectTypeOf(c.var.principal.claims).toEqualTypeOf<Plan>()
  expectTypeOf(c.var.principal.role).toEqualTypeOf<'admin'>()
  return c.json({})
})
`

describe('a Register declaration', () => {
  it('types requireRole by the configured roles in every adapter, and Fastify request.principal', () => {
    const configPath = join(root, 'tsconfig.json')
    const parsed = ts.getParsedCommandLineOfConfigFile(
      configPath,
      {},
      {
        ...ts.sys,
        onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
          throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'))
        },
      },
    )
    if (parsed === undefined) throw new Error('tsconfig.json could not be read')
    const host = ts.createCompilerHost(parsed.options)
    const { getSourceFile, fileExists, readFile } = host
    host.fileExists = (name) => name === virtualFile || fileExists(name)
    host.readFile = (name) => (name === virtualFile ? SOURCE : readFile(name))
    host.getSourceFile = (name, language, ...rest) =>
      name === virtualFile ? ts.createSourceFile(name, SOURCE, language, true) : getSourceFile(name, language, ...rest)
    const program = ts.createProgram({ rootNames: [virtualFile], options: parsed.options, host })
    const messages = ts.getPreEmitDiagnostics(program).map((diagnostic) => {
      const where =
        diagnostic.file === undefined || diagnostic.start === undefined
          ? ''
          : `${diagnostic.file.fileName}:${diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start).line + 1} `
      return where + ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')
    })
    expect(messages).toEqual([])
  }, 120_000)
})
