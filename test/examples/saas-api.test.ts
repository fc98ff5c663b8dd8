import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { serve } from '@hono/node-server'
import { fixedClock, memoryStore } from '@saas-kit/auth'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../../docs/examples/saas-api/app.js'
import { createAppAuth } from '../../docs/examples/saas-api/auth.js'
import { type Db, openDb } from '../../docs/examples/saas-api/db.js'
import { signTelegramLogin } from '../../docs/examples/saas-api/telegram.js'
import { describeRedis, REDIS_URL } from '../support/redis.js'

// The example app of docs/example.md, end to end over real HTTP. The app imports the library by its
// package name, which resolves to the BUILD (`npm test` builds it first, through `pretest`).

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
const SERVER = join(root, 'docs', 'examples', 'saas-api', 'server.ts')
const SECRET = 'example-test-secret-of-more-than-32-bytes'
const BOT_TOKEN = '123456:test-bot-token'
const PASSWORD = 'correct horse battery'

/** 2026-12-03T22:00:00Z: two hours before UTC midnight. */
const T0 = Date.UTC(2026, 11, 3, 22)

const temporaryDirs: string[] = []
const temporaryDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'saas-api-'))
  temporaryDirs.push(dir)
  return dir
}

beforeAll(() => {
  if (!existsSync(join(root, 'dist', 'index.js'))) {
    throw new Error('dist/ is missing: run `npm run build` (npm test does it in pretest)')
  }
})

afterAll(() => {
  for (const dir of temporaryDirs) rmSync(dir, { recursive: true, force: true })
})

// ---- an HTTP client

interface Reply {
  readonly status: number
  readonly headers: Headers
  // biome-ignore lint/suspicious/noExplicitAny: a test reads the JSON it asserts on
  readonly body: any
}

interface Call {
  readonly token?: string
  readonly body?: unknown
  /** Sent as is, instead of `body` as JSON. */
  readonly raw?: string
}

const client =
  (base: () => string) =>
  async (method: string, path: string, call: Call = {}): Promise<Reply> => {
    const headers: Record<string, string> = {}
    if (call.token !== undefined) headers.authorization = `Bearer ${call.token}`
    const payload = call.raw ?? (call.body === undefined ? undefined : JSON.stringify(call.body))
    if (payload !== undefined) headers['content-type'] = 'application/json'
    const response = await fetch(new URL(path, base()), {
      method,
      headers,
      ...(payload === undefined ? {} : { body: payload }),
      signal: AbortSignal.timeout(5_000),
    })
    const text = await response.text()
    return { status: response.status, headers: response.headers, body: text === '' ? undefined : JSON.parse(text) }
  }

// ---- the real server process

interface RunningServer {
  readonly url: string
  readonly output: () => string
  /** Sends SIGTERM and answers the exit code. */
  readonly stop: () => Promise<number | null>
}

/** Starts docs/examples/saas-api/server.ts as `npm start` does (after its build), and waits for its URL. */
const startServer = async (env: Record<string, string>): Promise<RunningServer> => {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) => !['JWT_SECRET', 'REDIS_URL', 'TELEGRAM_BOT_TOKEN', 'ADMIN_EMAILS', 'PORT', 'HOST'].includes(name),
    ),
  )
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', SERVER], {
    cwd: root,
    env: { ...inherited, NODE_OPTIONS: '', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  const exited = once(child, 'exit') as Promise<[number | null]>
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server did not start in time:\n${output}`)), 15_000)
    const read = (chunk: Buffer) => {
      output += chunk.toString('utf8')
      const match = /listening on (http:\/\/\S+)/.exec(output)
      if (match !== null) {
        clearTimeout(timer)
        resolveUrl(match[1] as string)
      }
    }
    child.stdout?.on('data', read)
    child.stderr?.on('data', read)
    void exited.then(([code]) => reject(new Error(`the server exited with ${code}:\n${output}`)))
  })
  return {
    url,
    output: () => output,
    stop: async () => {
      if (child.exitCode !== null) return child.exitCode
      child.kill('SIGTERM')
      const [code] = await exited
      return code
    },
  }
}

describe('the example server, as `npm start` runs it', () => {
  const dataDir = temporaryDir()
  let first: RunningServer | undefined
  let second: RunningServer | undefined

  afterAll(async () => {
    await first?.stop()
    await second?.stop()
  })

  it('starts on an empty data directory, generates its secret once, and serves health, register and profile', async () => {
    first = await startServer({ DATA_DIR: dataDir })
    expect(first.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(first.output()).toContain('JWT_SECRET is not set')
    expect(first.output()).toContain(`curl -s ${first.url}/health`)
    const secretFile = join(dataDir, 'jwt-secret')
    expect(statSync(secretFile).mode & 0o777).toBe(0o600)

    const call = client(() => first?.url ?? '')
    expect(await call('GET', '/health')).toMatchObject({ status: 200, body: { status: 'ok' } })

    const registered = await call('POST', '/auth/register', { body: { email: 'Ada@Example.com', password: PASSWORD } })
    expect(registered.status).toBe(201)
    expect(registered.body).toMatchObject({ tokenType: 'Bearer', expiresIn: 900, user: { email: 'ada@example.com' } })

    const token: string = registered.body.accessToken
    const profile = await call('GET', '/api/profile', { token })
    expect(profile).toMatchObject({ status: 200, body: { email: 'ada@example.com', plan: 'free', isGuest: false } })
    expect((await call('GET', '/api/profile')).status).toBe(401)
    expect(await call('GET', '/nowhere', { token })).toMatchObject({ status: 404, body: { error: 'not_found' } })
    // Without TELEGRAM_BOT_TOKEN the Telegram login does not exist.
    expect((await call('POST', '/auth/telegram', { body: {} })).status).toBe(404)

    expect(await first.stop()).toBe(0)
    expect(first.output()).toContain('SIGTERM')
    expect(first.output()).not.toContain(PASSWORD)
    expect(first.output()).not.toContain(token)
    first = undefined

    // Restarted on the same directory: the same secret (the token still verifies), the same users.
    second = await startServer({ DATA_DIR: dataDir })
    expect(second.output()).not.toContain('JWT_SECRET is not set')
    const again = client(() => second?.url ?? '')
    expect((await again('GET', '/api/profile', { token })).status).toBe(200)
    const login = await again('POST', '/auth/login', { body: { email: 'ada@example.com', password: PASSWORD } })
    expect(login.status).toBe(200)
    expect(await second.stop()).toBe(0)
    second = undefined
  })

  it('refuses a JWT_SECRET shorter than 32 bytes at start-up', async () => {
    await expect(startServer({ DATA_DIR: temporaryDir(), JWT_SECRET: 'too short' })).rejects.toThrow(/exited with 1/)
  })
})

describeRedis('the example server on the Redis store (REDIS_URL)', () => {
  it('rotates refresh tokens and detects their reuse through Redis', async () => {
    const server = await startServer({ DATA_DIR: temporaryDir(), JWT_SECRET: SECRET, REDIS_URL: REDIS_URL as string })
    try {
      expect(server.output()).toContain('token store: redis')
      const call = client(() => server.url)
      const registered = await call('POST', '/auth/register', {
        body: { email: 'rita@example.com', password: PASSWORD },
      })
      expect(registered.status).toBe(201)
      const { refreshToken } = registered.body
      expect((await call('POST', '/auth/refresh', { body: { refreshToken } })).status).toBe(200)
      expect(await call('POST', '/auth/refresh', { body: { refreshToken } })).toMatchObject({
        status: 401,
        body: { error: 'invalid_token' },
      })
    } finally {
      expect(await server.stop()).toBe(0)
    }
  })
})

// ---- the whole flow, against createApp on a real HTTP server with a clock of our own

describe('the example API, route by route', () => {
  const clock = fixedClock(T0)
  const dataDir = temporaryDir()
  const log: string[] = []
  let db: Db
  let base = ''
  let close: () => Promise<void> = async () => undefined
  const call = client(() => base)

  beforeAll(async () => {
    db = openDb(dataDir)
    const auth = createAppAuth({ secret: SECRET, db, store: memoryStore(), clock })
    const app = createApp({
      db,
      auth,
      clock,
      adminEmails: new Set(['boss@example.com']),
      moderatorEmails: new Set(['mod@example.com']),
      telegramBotToken: BOT_TOKEN,
      log: (line) => log.push(line),
    })
    const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 })
    await once(server, 'listening')
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    close = async () => {
      if ('closeAllConnections' in server) server.closeAllConnections()
      await new Promise((done) => server.close(done))
    }
  })

  afterAll(async () => {
    await close()
    db?.close()
  })

  const register = async (email: string, password = PASSWORD) => {
    const reply = await call('POST', '/auth/register', { body: { email, password } })
    expect(reply.status).toBe(201)
    return reply.body as { accessToken: string; refreshToken: string; user: { id: string; role: string } }
  }
  const login = async (email: string, password = PASSWORD) => {
    const reply = await call('POST', '/auth/login', { body: { email, password } })
    expect(reply.status).toBe(200)
    return reply.body as { accessToken: string; refreshToken: string; user: { id: string; role: string } }
  }

  it('registers a user: 201 and a token pair; a taken email is 409; bad bodies are 400', async () => {
    const ada = await register('ada@example.com')
    expect(ada.user).toMatchObject({ email: 'ada@example.com', role: 'user', plan: 'free' })
    expect(ada).toMatchObject({ tokenType: 'Bearer', expiresIn: 900 })

    const taken = await call('POST', '/auth/register', { body: { email: ' ADA@example.com ', password: PASSWORD } })
    expect(taken).toMatchObject({ status: 409, body: { error: 'email_taken' } })

    for (const body of [
      { email: 'not an email', password: PASSWORD },
      { email: 'bo@example.com', password: 'short' },
      { email: 'bo@example.com' },
      { email: 'bo@example.com', password: 12_345_678 },
      [],
    ]) {
      const refused = await call('POST', '/auth/register', { body })
      expect(refused.status, JSON.stringify(body)).toBe(400)
      expect(refused.body).toEqual({ error: 'invalid_request', message: expect.any(String) })
      expect(refused.body.message).not.toContain('12345678')
    }
    expect((await call('POST', '/auth/register', { raw: '{"email":' })).body).toMatchObject({
      error: 'invalid_request',
    })
    expect((await call('POST', '/auth/register')).status).toBe(400)
  })

  it('logs in: 200 and a pair; a wrong password and an unknown email get the same 401', async () => {
    const pair = await login('ADA@example.com')
    expect(pair.user).toMatchObject({ email: 'ada@example.com' })
    const wrongPassword = await call('POST', '/auth/login', {
      body: { email: 'ada@example.com', password: 'nope nope' },
    })
    const unknownEmail = await call('POST', '/auth/login', {
      body: { email: 'who@example.com', password: 'nope nope' },
    })
    expect(wrongPassword.status).toBe(401)
    expect(unknownEmail.status).toBe(401)
    expect(unknownEmail.body).toEqual(wrongPassword.body)
    expect(wrongPassword.body).toMatchObject({ error: 'invalid_credentials' })
  })

  it('answers the profile of the token, with its typed claims', async () => {
    const { accessToken } = await login('ada@example.com')
    const profile = await call('GET', '/api/profile', { token: accessToken })
    expect(profile.status).toBe(200)
    expect(profile.body).toMatchObject({
      role: 'user',
      isGuest: false,
      email: 'ada@example.com',
      plan: 'free',
      limits: { daily_limit: 5, features: ['generate'] },
    })
    const anonymous = await call('GET', '/api/profile')
    expect(anonymous.status).toBe(401)
    expect(anonymous.headers.get('www-authenticate')).toBe('Bearer realm="saas-api"')
    expect((await call('GET', '/api/profile', { token: 'not.a.token' })).body).toMatchObject({ error: 'invalid_token' })
  })

  it('rotates refresh tokens; a reused one is 401 and kills its whole family', async () => {
    const first = await login('ada@example.com')
    const rotated = await call('POST', '/auth/refresh', { body: { refreshToken: first.refreshToken } })
    expect(rotated.status).toBe(200)
    expect(rotated.body.refreshToken).not.toBe(first.refreshToken)
    expect((await call('GET', '/api/profile', { token: rotated.body.accessToken })).status).toBe(200)

    // The spent token comes back: reuse.
    const reused = await call('POST', '/auth/refresh', { body: { refreshToken: first.refreshToken } })
    expect(reused).toMatchObject({ status: 401, body: { error: 'invalid_token' } })
    // Every token of the family is dead now, the rotated ones included.
    expect((await call('POST', '/auth/refresh', { body: { refreshToken: rotated.body.refreshToken } })).status).toBe(
      401,
    )
    expect((await call('GET', '/api/profile', { token: rotated.body.accessToken })).status).toBe(401)
    expect((await call('GET', '/api/profile', { token: first.accessToken })).status).toBe(401)
    // An access token is not a refresh token.
    const other = await login('ada@example.com')
    expect((await call('POST', '/auth/refresh', { body: { refreshToken: other.accessToken } })).status).toBe(401)
    expect((await call('POST', '/auth/refresh', { body: {} })).status).toBe(400)
  })

  it('logs out: the presented access token and the refresh token of the body stop working', async () => {
    const session = await login('ada@example.com')
    const other = await login('ada@example.com')
    const stranger = await register('eve@example.com')
    const theft = await call('POST', '/auth/logout', {
      token: session.accessToken,
      body: { refreshToken: stranger.refreshToken },
    })
    expect(theft.status).toBe(403)

    const out = await call('POST', '/auth/logout', {
      token: session.accessToken,
      body: { refreshToken: session.refreshToken },
    })
    expect(out.status).toBe(204)
    expect((await call('GET', '/api/profile', { token: session.accessToken })).status).toBe(401)
    expect((await call('POST', '/auth/refresh', { body: { refreshToken: session.refreshToken } })).status).toBe(401)
    // Another session of the same user is untouched.
    expect((await call('GET', '/api/profile', { token: other.accessToken })).status).toBe(200)
    expect((await call('POST', '/auth/logout')).status).toBe(401)
  })

  it('logs out everywhere: every session of the caller stops working', async () => {
    const phone = await login('ada@example.com')
    const laptop = await login('ada@example.com')
    expect((await call('POST', '/auth/logout-all', { token: phone.accessToken })).status).toBe(204)
    for (const session of [phone, laptop]) {
      expect((await call('GET', '/api/profile', { token: session.accessToken })).status).toBe(401)
      expect((await call('POST', '/auth/refresh', { body: { refreshToken: session.refreshToken } })).status).toBe(401)
    }
    // A login one second later works again (the cut-off has the one-second resolution of `iat`).
    clock.advance(1_000)
    const again = await login('ada@example.com')
    expect((await call('GET', '/api/profile', { token: again.accessToken })).status).toBe(200)
  })

  it('issues guest tokens: a guest has a profile, but no user data', async () => {
    const issued = await call('POST', '/auth/guest', { body: { deviceId: 'ios-42' } })
    expect(issued).toMatchObject({ status: 201, body: { tokenType: 'Bearer', expiresIn: 7 * 86_400 } })
    const token: string = issued.body.accessToken
    const profile = await call('GET', '/api/profile', { token })
    expect(profile.body).toMatchObject({ userId: 'guest:ios-42', role: 'guest', isGuest: true, deviceId: 'ios-42' })
    const refused = await call('GET', '/api/data', { token })
    expect(refused.status).toBe(403)
    expect(refused.headers.get('www-authenticate')).toContain('error="insufficient_scope"')
    expect((await call('POST', '/api/generate', { token, body: { prompt: 'hi' } })).status).toBe(403)
    expect((await call('POST', '/auth/refresh', { body: { refreshToken: token } })).status).toBe(401)

    const anonymousDevice = await call('POST', '/auth/guest')
    expect(anonymousDevice.status).toBe(201)
    expect((await call('POST', '/auth/guest', { body: { deviceId: '' } })).status).toBe(400)
  })

  it('checks roles: admin and moderator come from the email lists only', async () => {
    const boss = await register('boss@example.com')
    const mod = await register('mod@example.com')
    const ada = await login('ada@example.com')
    expect(boss.user.role).toBe('admin')
    expect(mod.user.role).toBe('moderator')
    expect(ada.user.role).toBe('user')

    expect(await call('GET', '/api/admin', { token: boss.accessToken })).toMatchObject({
      status: 200,
      body: { users: 4 }, // ada, eve, boss and mod
    })
    expect((await call('GET', '/api/admin', { token: mod.accessToken })).status).toBe(403)
    expect((await call('GET', '/api/admin', { token: ada.accessToken })).status).toBe(403)

    const listed = await call('GET', '/api/users', { token: mod.accessToken })
    expect(listed.status).toBe(200)
    expect(listed.body.by).toBe('moderator')
    expect(listed.body.users.map((user: { email: string }) => user.email)).toEqual(
      expect.arrayContaining(['ada@example.com', 'boss@example.com', 'mod@example.com']),
    )
    expect(JSON.stringify(listed.body)).not.toMatch(/scrypt|password/i)
    expect((await call('GET', '/api/users', { token: boss.accessToken })).status).toBe(200)
    expect((await call('GET', '/api/users', { token: ada.accessToken })).status).toBe(403)
    expect((await call('GET', '/api/data', { token: ada.accessToken })).body).toMatchObject({
      plan: 'free',
      export: null,
    })
  })

  it('changes a plan (admin only); the next refresh carries it, and a deleted user cannot refresh', async () => {
    const boss = await login('boss@example.com')
    const ada = await login('ada@example.com')
    const path = `/admin/users/${ada.user.id}/plan`
    expect((await call('PUT', path, { token: ada.accessToken, body: { plan: 'pro' } })).status).toBe(403)
    expect((await call('PUT', path, { token: boss.accessToken, body: { plan: 'platinum' } })).status).toBe(400)
    expect(
      (await call('PUT', '/admin/users/usr_nobody/plan', { token: boss.accessToken, body: { plan: 'pro' } })).status,
    ).toBe(404)
    const changed = await call('PUT', path, { token: boss.accessToken, body: { plan: 'pro' } })
    expect(changed).toMatchObject({ status: 200, body: { user: { id: ada.user.id, plan: 'pro' } } })

    // The access token in hand keeps its plan until it expires; the refresh signs the new one.
    expect((await call('GET', '/api/profile', { token: ada.accessToken })).body.plan).toBe('free')
    const renewed = await call('POST', '/auth/refresh', { body: { refreshToken: ada.refreshToken } })
    expect(renewed.status).toBe(200)
    const profile = await call('GET', '/api/profile', { token: renewed.body.accessToken })
    expect(profile.body).toMatchObject({ plan: 'pro', limits: { daily_limit: 100, features: ['generate', 'export'] } })
    expect((await call('GET', '/api/data', { token: renewed.body.accessToken })).body.export).not.toBeNull()

    // loadClaims answers null for a user who is gone: the refresh is refused.
    const eve = await login('eve@example.com')
    const sqlite = new Database(join(dataDir, 'users.db'))
    sqlite.prepare('DELETE FROM users WHERE email = ?').run('eve@example.com')
    sqlite.close()
    expect((await call('POST', '/auth/refresh', { body: { refreshToken: eve.refreshToken } })).status).toBe(401)
  })

  it('enforces the daily limit of the plan: 429 with Retry-After until UTC midnight, then a new day', async () => {
    const { accessToken } = await register('gen@example.com')
    for (let used = 1; used <= 5; used++) {
      const generated = await call('POST', '/api/generate', { token: accessToken, body: { prompt: 'a haiku' } })
      expect(generated).toMatchObject({ status: 200, body: { usage: { used, limit: 5, remaining: 5 - used } } })
    }
    const over = await call('POST', '/api/generate', { token: accessToken, body: { prompt: 'a haiku' } })
    expect(over).toMatchObject({ status: 429, body: { error: 'daily_limit_reached' } })
    const wait = Number(over.headers.get('retry-after'))
    const midnight = Date.UTC(2026, 11, 4)
    expect(wait).toBe(Math.ceil((midnight - clock.now()) / 1000))
    expect((await call('POST', '/api/generate', { token: accessToken, body: {} })).status).toBe(400)

    // Past midnight (UTC) the counter starts again; the old access token has expired by then.
    clock.set(midnight + 1_000)
    expect((await call('POST', '/api/generate', { token: accessToken, body: { prompt: 'x' } })).status).toBe(401)
    const fresh = await login('gen@example.com')
    const nextDay = await call('POST', '/api/generate', { token: fresh.accessToken, body: { prompt: 'x' } })
    expect(nextDay).toMatchObject({ status: 200, body: { usage: { used: 1 } } })
  })

  it('logs in with Telegram widget data signed with the bot token; stale or tampered data is 401', async () => {
    const now = Math.floor(clock.now() / 1000)
    const signed = (fields: Record<string, string | number>, token = BOT_TOKEN) => ({
      ...fields,
      hash: signTelegramLogin(fields, token),
    })
    const widget = { id: 4242, first_name: 'Tele', username: 'tele_gram', auth_date: now - 60 }

    const ok = await call('POST', '/auth/telegram', { body: signed(widget) })
    expect(ok.status).toBe(200)
    expect(ok.body.user).toMatchObject({ id: 'tg_4242', role: 'telegram_user', email: null, name: 'Tele' })
    const profile = await call('GET', '/api/profile', { token: ok.body.accessToken })
    expect(profile.body).toMatchObject({ userId: 'tg_4242', role: 'telegram_user', source: 'telegram', plan: 'free' })
    expect(profile.body.email).toBeUndefined()
    const renewed = await call('POST', '/auth/refresh', { body: { refreshToken: ok.body.refreshToken } })
    expect(renewed.status).toBe(200)

    // As the widget's query string hands them over: every value a string.
    const asText = { id: '4243', first_name: 'Text', auth_date: String(now) }
    expect((await call('POST', '/auth/telegram', { body: signed(asText) })).body.user).toMatchObject({ id: 'tg_4243' })

    const refusals = [
      signed({ ...widget, auth_date: now - 2 * 86_400 }), // stale
      signed({ ...widget, auth_date: now + 3_600 }), // from the future
      { ...signed(widget), first_name: 'Mallory' }, // tampered after signing
      signed(widget, '654321:another-bot'), // another bot's token
    ]
    for (const body of refusals) {
      expect(await call('POST', '/auth/telegram', { body })).toMatchObject({
        status: 401,
        body: { error: 'invalid_telegram_login' },
      })
    }
    const { hash: _, ...unsigned } = signed(widget)
    expect((await call('POST', '/auth/telegram', { body: unsigned })).status).toBe(400)
  })

  it('answers unknown routes with a JSON 404 and logs no token or password', async () => {
    const { accessToken } = await login('ada@example.com')
    expect(await call('GET', '/api/nothing', { token: accessToken })).toMatchObject({
      status: 404,
      body: { error: 'not_found' },
    })
    expect(await call('GET', '/health')).toMatchObject({ status: 200, body: { status: 'ok' } })
    expect(log.length).toBeGreaterThan(20)
    const written = log.join('\n')
    expect(written).not.toContain(PASSWORD)
    expect(written).not.toMatch(/eyJ/)
  })
})
