import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AuthenticateOptions } from '../../src/http/index.js'
import { createAuth, fixedClock, memoryStore, type TokenStore } from '../../src/index.js'
import { PlanClaims, PRO, ROLES, right, SECRET, T0 } from '../support/auth.js'
import { fetchGet, type HttpReply, type LocalServer, rawGet } from '../support/http-client.js'
import { APPS, type PlanAuth } from './apps.js'

// One table of cases, run against every adapter over real HTTP on 127.0.0.1.

type ServerName = 'main' | 'optional' | 'down'
type TokenName = 'user' | 'premium' | 'admin' | 'moderator' | 'guest' | 'expired' | 'revoked' | 'refresh' | 'foreign'
type Tokens = Readonly<Record<TokenName, string>>

interface Case {
  readonly name: string
  readonly server?: ServerName
  readonly path: string
  /** The Authorization header: one value, or one header line per element (sent through `node:http`). */
  readonly authorization?: (tokens: Tokens) => string | readonly string[]
  /** Send through `node:http`, path byte for byte (fetch would normalise `..` and merge headers). */
  readonly raw?: boolean
  readonly status: number
  /** The exact `WWW-Authenticate` challenge, a pattern of it, or `null` for none. */
  readonly challenge?: string | RegExp | null
  readonly error?: string
  /** Which route answered and for whom (200 only). */
  readonly body?: unknown
}

const REALM = 'saas-kit-test'
const MAIN: AuthenticateOptions = { exclude: ['/health', '/docs/*', '/openapi.json'], realm: REALM }
const OPTIONS: Readonly<Record<ServerName, AuthenticateOptions>> = {
  main: MAIN,
  optional: { optional: true },
  down: MAIN,
}

const missing = (realm = REALM) => `Bearer realm="${realm}"`
const challenge = (error: string, realm = REALM) =>
  new RegExp(`^Bearer realm="${realm}", error="${error}", error_description="[^"]+"$`)
const bearer = (name: TokenName) => (tokens: Tokens) => `Bearer ${tokens[name]}`
const user = (userId: string, role: string, plan: string | null = 'pro') => ({ userId, role, isGuest: false, plan })
const guestPrincipal = { userId: 'guest:device-1', role: 'guest', isGuest: true, plan: null }

const NO_TOKEN = { status: 401, challenge: missing(), error: 'missing_token' } as const
const INVALID_TOKEN = { status: 401, challenge: challenge('invalid_token'), error: 'invalid_token' } as const
const INVALID_REQUEST = { status: 400, challenge: challenge('invalid_request'), error: 'invalid_request' } as const
const FORBIDDEN = { status: 403, challenge: challenge('insufficient_scope'), error: 'insufficient_scope' } as const

const CASES: readonly Case[] = [
  // principals and roles
  { name: 'no token', path: '/api/profile', ...NO_TOKEN },
  {
    name: 'user token',
    path: '/api/profile',
    authorization: bearer('user'),
    status: 200,
    challenge: null,
    body: { route: 'profile', principal: user('u-user', 'user') },
  },
  {
    name: 'guest token on a route for any principal',
    path: '/api/profile',
    authorization: bearer('guest'),
    status: 200,
    body: { route: 'profile', principal: guestPrincipal },
  },
  {
    name: 'user on a registered-users route',
    path: '/api/data',
    authorization: bearer('user'),
    status: 200,
    body: { route: 'data', principal: user('u-user', 'user') },
  },
  { name: 'guest on a registered-users route', path: '/api/data', authorization: bearer('guest'), ...FORBIDDEN },
  { name: 'no token on a registered-users route', path: '/api/data', ...NO_TOKEN },
  { name: 'wrong role (user on admin)', path: '/api/admin', authorization: bearer('user'), ...FORBIDDEN },
  { name: 'wrong role (moderator on admin)', path: '/api/admin', authorization: bearer('moderator'), ...FORBIDDEN },
  { name: 'guest on admin', path: '/api/admin', authorization: bearer('guest'), ...FORBIDDEN },
  {
    name: 'admin on admin',
    path: '/api/admin',
    authorization: bearer('admin'),
    status: 200,
    body: { route: 'admin', principal: user('u-admin', 'admin') },
  },
  {
    name: 'first role of a list (admin on users)',
    path: '/api/users',
    authorization: bearer('admin'),
    status: 200,
    body: { route: 'users', principal: user('u-admin', 'admin') },
  },
  {
    name: 'second role of a list (moderator on users)',
    path: '/api/users',
    authorization: bearer('moderator'),
    status: 200,
    body: { route: 'users', principal: user('u-moderator', 'moderator') },
  },
  {
    name: 'role outside a list (premium on users)',
    path: '/api/users',
    authorization: bearer('premium'),
    ...FORBIDDEN,
  },
  { name: 'guest on a role list', path: '/api/users', authorization: bearer('guest'), ...FORBIDDEN },

  // refused tokens
  { name: 'expired (fixed clock)', path: '/api/profile', authorization: bearer('expired'), ...INVALID_TOKEN },
  { name: 'revoked', path: '/api/profile', authorization: bearer('revoked'), ...INVALID_TOKEN },
  { name: 'refresh token as bearer', path: '/api/profile', authorization: bearer('refresh'), ...INVALID_TOKEN },
  { name: 'signed with another secret', path: '/api/profile', authorization: bearer('foreign'), ...INVALID_TOKEN },
  { name: 'not a JWT', path: '/api/profile', authorization: () => 'Bearer abc.def.ghi', ...INVALID_TOKEN },
  { name: 'padded token', path: '/api/profile', authorization: (t) => `Bearer ${t.user}==`, ...INVALID_TOKEN },
  {
    name: 'oversized token',
    path: '/api/profile',
    authorization: () => `Bearer ${'a'.repeat(9000)}`,
    ...INVALID_TOKEN,
  },

  // the Authorization header itself
  {
    name: 'scheme in lower case',
    path: '/api/profile',
    authorization: (t) => `bearer ${t.user}`,
    status: 200,
    body: { route: 'profile', principal: user('u-user', 'user') },
  },
  {
    name: 'scheme in upper case, two spaces',
    path: '/api/profile',
    authorization: (t) => `BEARER  ${t.user}`,
    status: 200,
    body: { route: 'profile', principal: user('u-user', 'user') },
  },
  { name: 'Basic credentials', path: '/api/profile', authorization: () => 'Basic dXNlcjpwYXNz', ...INVALID_REQUEST },
  { name: 'another scheme', path: '/api/profile', authorization: (t) => `Token ${t.user}`, ...INVALID_REQUEST },
  { name: 'scheme without token', path: '/api/profile', authorization: () => 'Bearer', ...INVALID_REQUEST },
  { name: 'two tokens', path: '/api/profile', authorization: (t) => `Bearer ${t.user} ${t.admin}`, ...INVALID_REQUEST },
  { name: 'token with a comma', path: '/api/profile', authorization: (t) => `Bearer ${t.user},x`, ...INVALID_REQUEST },
  {
    name: 'token with a quote',
    path: '/api/profile',
    authorization: (t) => `Bearer "${t.user}"`,
    ...INVALID_REQUEST,
  },
  { name: 'empty header', path: '/api/profile', authorization: () => '', raw: true, ...INVALID_REQUEST },
  {
    name: 'two Authorization headers',
    path: '/api/admin',
    authorization: (t) => [`Bearer ${t.admin}`, `Bearer ${t.admin}`],
    raw: true,
    ...INVALID_REQUEST,
  },
  {
    name: 'two Authorization headers, one of them good',
    path: '/api/profile',
    authorization: (t) => [`Bearer ${t.user}`, 'Basic dXNlcjpwYXNz'],
    raw: true,
    ...INVALID_REQUEST,
  },
  {
    name: 'token in the query string is not read',
    path: '/api/profile?access_token=abc.def.ghi',
    ...NO_TOKEN,
  },

  // excluded paths
  {
    name: 'excluded exact path',
    path: '/health',
    status: 200,
    challenge: null,
    body: { route: '/health', principal: null },
  },
  {
    name: 'excluded path with a query',
    path: '/health?probe=1',
    status: 200,
    body: { route: '/health', principal: null },
  },
  { name: 'excluded prefix, its root', path: '/docs', status: 200, body: { route: '/docs', principal: null } },
  {
    name: 'excluded prefix, below it',
    path: '/docs/intro',
    status: 200,
    body: { route: '/docs/intro', principal: null },
  },
  { name: 'excluded file', path: '/openapi.json', status: 200, body: { route: '/openapi.json', principal: null } },
  {
    name: 'excluded path ignores a bad token',
    path: '/health',
    authorization: () => 'Bearer abc.def.ghi',
    status: 200,
    body: { route: '/health', principal: null },
  },
  {
    name: 'excluded path ignores a malformed header',
    path: '/openapi.json',
    authorization: () => 'Basic dXNlcjpwYXNz',
    status: 200,
    body: { route: '/openapi.json', principal: null },
  },

  // bypass attempts: none of these may be excluded
  { name: 'bypass: dot-dot out of an excluded path', path: '/health/../api/admin', raw: true, ...NO_TOKEN },
  { name: 'bypass: dot-dot out of an excluded prefix', path: '/docs/../api/admin', raw: true, ...NO_TOKEN },
  { name: 'bypass: dot and dot-dot', path: '/docs/./../api/users', raw: true, ...NO_TOKEN },
  { name: 'bypass: encoded dot-dot', path: '/docs/%2e%2e/api/admin', raw: true, ...NO_TOKEN },
  { name: 'bypass: encoded dot-dot, upper case', path: '/docs/%2E%2E/api/admin', raw: true, ...NO_TOKEN },
  { name: 'bypass: encoded slash', path: '/docs/..%2Fapi%2Fadmin', raw: true, ...NO_TOKEN },
  { name: 'bypass: encoded slash, lower case', path: '/health%2f..%2fapi%2fadmin', raw: true, ...NO_TOKEN },
  { name: 'bypass: encoded slash inside the prefix', path: '/docs%2Fintro', raw: true, ...NO_TOKEN },
  { name: 'bypass: encoded letter', path: '/heal%74h', raw: true, ...NO_TOKEN },
  { name: 'bypass: double slash', path: '//health', raw: true, ...NO_TOKEN },
  { name: 'bypass: double slash inside', path: '/docs//intro', raw: true, ...NO_TOKEN },
  { name: 'bypass: trailing slash on an exact path', path: '/health/', raw: true, ...NO_TOKEN },
  { name: 'bypass: trailing dot segment', path: '/docs/..', raw: true, ...NO_TOKEN },
  { name: 'bypass: semicolon and dot-dot', path: '/health;/../api/admin', raw: true, ...NO_TOKEN },
  { name: 'bypass: upper case', path: '/HEALTH', raw: true, ...NO_TOKEN },
  { name: 'bypass: mixed case prefix', path: '/Docs/intro', raw: true, ...NO_TOKEN },
  { name: 'bypass: prefix without its slash', path: '/docsx', raw: true, ...NO_TOKEN },
  { name: 'bypass: exact path as a prefix', path: '/openapi.json/x', raw: true, ...NO_TOKEN },
  { name: 'bypass: query that looks like a path', path: '/api/admin?/health', raw: true, ...NO_TOKEN },
  {
    name: 'bypass: absolute-form target whose query looks like an excluded path',
    path: 'http://127.0.0.1?x=/health',
    raw: true,
    ...NO_TOKEN,
  },
  {
    name: 'bypass: absolute-form target with a query naming a prefix',
    path: 'http://127.0.0.1?/docs/intro',
    raw: true,
    ...NO_TOKEN,
  },

  // optional mode
  {
    name: 'optional: no token passes with no principal',
    server: 'optional',
    path: '/api/profile',
    status: 200,
    body: { route: 'profile', principal: null },
  },
  {
    name: 'optional: a good token still gives a principal',
    server: 'optional',
    path: '/api/profile',
    authorization: bearer('premium'),
    status: 200,
    body: { route: 'profile', principal: user('u-premium', 'premium') },
  },
  {
    name: 'optional: a bad token is still 401',
    server: 'optional',
    path: '/api/profile',
    authorization: bearer('expired'),
    ...INVALID_TOKEN,
    challenge: challenge('invalid_token', 'api'),
  },
  {
    name: 'optional: a malformed header is still 400',
    server: 'optional',
    path: '/api/profile',
    authorization: () => 'Basic dXNlcjpwYXNz',
    ...INVALID_REQUEST,
    challenge: challenge('invalid_request', 'api'),
  },
  {
    name: 'optional: requireAuth without a token is 401',
    server: 'optional',
    path: '/api/data',
    ...NO_TOKEN,
    challenge: missing('api'),
  },
  {
    name: 'optional: requireRole without a token is 401',
    server: 'optional',
    path: '/api/admin',
    ...NO_TOKEN,
    challenge: missing('api'),
  },
  {
    name: 'optional: requireAuth with a guest is 403',
    server: 'optional',
    path: '/api/data',
    authorization: bearer('guest'),
    ...FORBIDDEN,
    challenge: challenge('insufficient_scope', 'api'),
  },

  // store down
  {
    name: 'store down: a good token is 503',
    server: 'down',
    path: '/api/profile',
    authorization: bearer('user'),
    status: 503,
    challenge: null,
    error: 'temporarily_unavailable',
  },
  { name: 'store down: no token is still 401', server: 'down', path: '/api/profile', ...NO_TOKEN },
  {
    name: 'store down: excluded paths still answer',
    server: 'down',
    path: '/health',
    status: 200,
    body: { route: '/health', principal: null },
  },
]

/** A TokenStore whose every method rejects, as a store that cannot be reached. */
const downStore = (): TokenStore => {
  const fail = () => Promise.reject(new Error('connection refused'))
  return { check: fail, revoke: fail, consume: fail, revokeFamily: fail, revokeUser: fail }
}

const makeAuth = (at: number, store: TokenStore, secret = SECRET): PlanAuth =>
  createAuth({ secret, claims: PlanClaims, roles: ROLES, clock: fixedClock(at), store })

const mintTokens = async (auth: PlanAuth): Promise<Tokens> => {
  const issue = (userId: string, role: (typeof ROLES)[number]) => right(auth.issue({ userId, role, claims: PRO }))
  const revokedToken = await issue('u-revoked', 'user')
  await right(auth.revoke(revokedToken))
  const past = makeAuth(T0 - 2 * 3600_000, memoryStore())
  const foreign = makeAuth(T0, memoryStore(), 'another-secret-that-is-32-bytes-long!')
  return {
    user: await issue('u-user', 'user'),
    premium: await issue('u-premium', 'premium'),
    admin: await issue('u-admin', 'admin'),
    moderator: await issue('u-moderator', 'moderator'),
    guest: await right(auth.guest({ deviceId: 'device-1' })),
    expired: await right(past.issue({ userId: 'u-expired', claims: PRO })),
    revoked: revokedToken,
    refresh: (await right(auth.issuePair({ userId: 'u-refresh', claims: PRO }))).refreshToken,
    foreign: await right(foreign.issue({ userId: 'u-foreign', role: 'admin', claims: PRO })),
  }
}

const send = (base: string, testCase: Case, tokens: Tokens): Promise<HttpReply> => {
  const authorization = testCase.authorization?.(tokens)
  if (testCase.raw === true || Array.isArray(authorization)) {
    return rawGet(base, testCase.path, authorization === undefined ? {} : { authorization })
  }
  return fetchGet(base, testCase.path, authorization === undefined ? {} : { authorization: authorization as string })
}

describe.each(Object.entries(APPS))('%s adapter over HTTP', (_name, factory) => {
  const servers = {} as Record<ServerName, LocalServer>
  let tokens: Tokens

  beforeAll(async () => {
    const auth = makeAuth(T0, memoryStore())
    tokens = await mintTokens(auth)
    servers.main = await factory(auth, OPTIONS.main)
    servers.optional = await factory(auth, OPTIONS.optional)
    servers.down = await factory(makeAuth(T0, downStore()), OPTIONS.down)
  })

  afterAll(async () => {
    await Promise.all(Object.values(servers).map((server) => server.close()))
  })

  it.each(CASES.map((testCase) => [testCase.name, testCase] as const))('%s', async (_label, testCase) => {
    const reply = await send(servers[testCase.server ?? 'main'].url, testCase, tokens)
    expect(reply.status).toBe(testCase.status)
    const wwwAuthenticate = reply.headers['www-authenticate']
    if (testCase.challenge === null) expect(wwwAuthenticate).toBeUndefined()
    else if (typeof testCase.challenge === 'string') expect(wwwAuthenticate).toBe(testCase.challenge)
    else if (testCase.challenge !== undefined) expect(wwwAuthenticate).toMatch(testCase.challenge)
    if (testCase.status >= 400) {
      expect(reply.json).toEqual({ error: testCase.error, message: expect.any(String) })
      expect(reply.headers['content-type']).toMatch(/^application\/json/)
    }
    if (testCase.status === 503) expect(reply.headers['retry-after']).toBe('1')
    if (testCase.body !== undefined) expect(reply.json).toEqual(testCase.body)
    // Never echo a token: no segment of any token appears in the answer.
    const answer = reply.text + JSON.stringify(reply.headers)
    for (const token of Object.values(tokens)) {
      for (const segment of token.split('.')) expect(answer).not.toContain(segment)
    }
  })
})
