import { randomBytes } from 'node:crypto'
import { type AuthError, type Clock, toHttp } from '@saas-kit/auth'
import { type AuthVariables, authenticate, requireAuth, requireRole } from '@saas-kit/auth/hono'
import { extractBearer } from '@saas-kit/auth/http'
import * as E from 'fp-ts/lib/Either.js'
import { type Context, Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import * as v from 'valibot'
import { type AppAuth, claimsOf } from './auth.js'
import { Email, PLANS, type Role } from './claims.js'
import type { Db, User } from './db.js'
import { dummyHash, hashPassword, verifyPassword } from './passwords.js'
import { TelegramLogin, verifyTelegramLogin } from './telegram.js'

/** What the app is built from; `server.ts` wires the real ones, tests their own. */
export interface AppDeps {
  readonly db: Db
  readonly auth: AppAuth
  readonly clock: Clock
  /** Emails that get the `admin` role, at registration and at every login. */
  readonly adminEmails: ReadonlySet<string>
  /** Emails that get the `moderator` role, likewise. */
  readonly moderatorEmails: ReadonlySet<string>
  /** Enables `POST /auth/telegram` when set. */
  readonly telegramBotToken: string | undefined
  /** Where one line per request goes (method, path, status, time: never a header or a body). */
  readonly log: (line: string) => void
}

type AppEnv = { Variables: AuthVariables<AppAuth> }

/** The routes anyone may call without a token. */
export const PUBLIC_PATHS = [
  '/health',
  '/auth/register',
  '/auth/login',
  '/auth/guest',
  '/auth/refresh',
  '/auth/telegram',
] as const

const REALM = 'saas-api'
const DAY_MS = 86_400_000
/** A Telegram login is accepted for a day, and its `auth_date` may lie a minute ahead of our clock. */
const TELEGRAM_FRESHNESS = { maxAge: 86_400, skew: 60 } as const

// Request bodies. Every message is written here, so that none echoes a password or a token.

const Body = <TEntries extends v.ObjectEntries>(entries: TEntries) =>
  v.object(entries, 'the body must be a JSON object')

const Registration = Body({
  email: Email,
  password: v.pipe(
    v.string('password must be a string'),
    v.minLength(8, 'password must be at least 8 characters'),
    v.maxLength(1024, 'password must be at most 1024 characters'),
  ),
})
const Login = Body({
  email: v.pipe(v.string('email must be a string'), v.trim(), v.toLowerCase()),
  password: v.pipe(
    v.string('password must be a string'),
    v.maxLength(1024, 'password must be at most 1024 characters'),
  ),
})
const RefreshToken = v.pipe(v.string('refreshToken must be a string'), v.nonEmpty('refreshToken must not be empty'))
const Refresh = Body({ refreshToken: RefreshToken })
const Logout = Body({ refreshToken: v.optional(RefreshToken) })
const Guest = Body({
  deviceId: v.optional(
    v.pipe(
      v.string('deviceId must be a string'),
      v.nonEmpty('deviceId must not be empty'),
      v.maxLength(200, 'deviceId must be at most 200 characters'),
    ),
  ),
})
const Generate = Body({
  prompt: v.pipe(
    v.string('prompt must be a string'),
    v.nonEmpty('prompt must not be empty'),
    v.maxLength(2000, 'prompt must be at most 2000 characters'),
  ),
})
const PlanChange = Body({ plan: v.picklist(PLANS, `plan must be one of ${PLANS.join(', ')}`) })

/** Builds the Hono app of the example API. */
export const createApp = (deps: AppDeps): Hono<AppEnv> => {
  const { db, auth, clock } = deps
  const app = new Hono<AppEnv>()
  // Made now, so that even the first login of an unknown email costs one scrypt run, not two.
  const dummy = dummyHash()

  // ---- plumbing

  app.use(async (c, next) => {
    const started = performance.now()
    await next()
    deps.log(`${c.req.method} ${c.req.path} ${c.res.status} ${Math.round(performance.now() - started)}ms`)
  })
  app.use(
    bodyLimit({ maxSize: 64 * 1024, onError: (c) => problem(c, 413, 'payload_too_large', 'the body is over 64 KiB') }),
  )
  app.use(authenticate(auth, { exclude: PUBLIC_PATHS, realm: REALM }))
  app.notFound((c) => problem(c, 404, 'not_found', `no route for ${c.req.method} ${c.req.path}`))
  app.onError((error, c) => {
    deps.log(`error on ${c.req.method} ${c.req.path}: ${error.name}: ${error.message}`)
    return problem(c, 500, 'server_error', 'something went wrong on our side')
  })

  const staffRole = (email: string): Role | undefined =>
    deps.adminEmails.has(email) ? 'admin' : deps.moderatorEmails.has(email) ? 'moderator' : undefined

  /** Answers a new token pair for `user`, with the user. */
  const signIn = async (c: Context<AppEnv>, user: User, status: 200 | 201) => {
    const pair = await auth.issuePair({ userId: user.id, role: user.role, claims: claimsOf(user) })()
    if (E.isLeft(pair)) return issueFailure(c, pair.left)
    return c.json({ ...pair.right, user: publicUser(user) }, status)
  }

  // ---- public routes

  app.get('/health', (c) => c.json({ status: 'ok' }))

  app.post('/auth/register', async (c) => {
    const body = await readBody(c, Registration)
    if (!body.ok) return body.response
    const { email, password } = body.value
    // The INSERT refuses a taken email too; this check only spares the hashing.
    if (db.findByEmail(email) !== undefined) return problem(c, 409, 'email_taken', 'an account with this email exists')
    const user = db.createUser({
      id: `usr_${randomBytes(12).toString('base64url')}`,
      email,
      passwordHash: await hashPassword(password),
      role: staffRole(email) ?? 'user',
      plan: 'free',
      createdAt: clock.now(),
    })
    if (user === undefined) return problem(c, 409, 'email_taken', 'an account with this email exists')
    return signIn(c, user, 201)
  })

  app.post('/auth/login', async (c) => {
    const body = await readBody(c, Login)
    if (!body.ok) return body.response
    const { email, password } = body.value
    const found = db.findByEmail(email)
    // scrypt runs whether or not the email exists: the answer and its timing are the same.
    const matches = await verifyPassword(password, found?.passwordHash ?? (await dummy))
    if (found === undefined || !matches) {
      return problem(c, 401, 'invalid_credentials', 'the email or the password is wrong')
    }
    const role = staffRole(found.email)
    const user = role === undefined || role === found.role ? found : (db.setRole(found.id, role) ?? found)
    return signIn(c, user, 200)
  })

  app.post('/auth/guest', async (c) => {
    const body = await readBody(c, Guest, { optional: true })
    if (!body.ok) return body.response
    const { deviceId } = body.value
    const token = await auth.guest(deviceId === undefined ? {} : { deviceId })()
    if (E.isLeft(token)) return issueFailure(c, token.left)
    return c.json({ accessToken: token.right, tokenType: 'Bearer', expiresIn: auth.env.ttl.guest }, 201)
  })

  app.post('/auth/refresh', async (c) => {
    const body = await readBody(c, Refresh)
    if (!body.ok) return body.response
    // Rotation: the token presented is spent; presenting it again revokes its whole family.
    const pair = await auth.refresh(body.value.refreshToken)()
    if (E.isLeft(pair)) return authFailure(c, pair.left)
    return c.json(pair.right)
  })

  app.post('/auth/telegram', async (c) => {
    const botToken = deps.telegramBotToken
    if (botToken === undefined) return c.notFound()
    const body = await readBody(c, TelegramLogin)
    if (!body.ok) return body.response
    const checked = verifyTelegramLogin(body.value, botToken, Math.floor(clock.now() / 1000), TELEGRAM_FRESHNESS)
    if (!checked.ok) {
      deps.log(`telegram login refused: ${checked.reason}`)
      return problem(c, 401, 'invalid_telegram_login', 'the Telegram login data is not valid or too old')
    }
    return signIn(c, db.upsertTelegramUser(checked.user, clock.now()), 200)
  })

  // ---- any principal, guests included

  app.post('/auth/logout', async (c) => {
    const principal = c.var.principal!
    const body = await readBody(c, Logout, { optional: true })
    if (!body.ok) return body.response
    const { refreshToken } = body.value
    if (refreshToken !== undefined) {
      const owner = await auth.verify(refreshToken, { kind: 'refresh' })()
      if (E.isRight(owner)) {
        if (owner.right.userId !== principal.userId) {
          return problem(c, 403, 'insufficient_scope', 'the refresh token belongs to another user')
        }
        const revoked = await auth.revoke(refreshToken)()
        if (E.isLeft(revoked)) return authFailure(c, revoked.left)
      } else if (owner.left._tag === 'StoreUnavailable') {
        return authFailure(c, owner.left)
      } else if (owner.left._tag !== 'Expired' && owner.left._tag !== 'Revoked') {
        // An expired or revoked refresh token is dead already; anything else is not one of ours.
        return problem(c, 400, 'invalid_request', 'refreshToken is not a refresh token of this API')
      }
    }
    // The presented access token goes last: if anything above failed, the client can retry with it.
    const bearer = extractBearer(c.req.header('authorization'))
    if (bearer._tag === 'Bearer') {
      const revoked = await auth.revoke(bearer.token)()
      if (E.isLeft(revoked)) return authFailure(c, revoked.left)
    }
    return c.body(null, 204)
  })

  app.post('/auth/logout-all', async (c) => {
    // Every token the caller holds, on every device, stops verifying; new logins work again.
    const revoked = await auth.revokeAll(c.var.principal!.userId)()
    if (E.isLeft(revoked)) return authFailure(c, revoked.left)
    return c.body(null, 204)
  })

  app.get('/api/profile', (c) => {
    const principal = c.var.principal!
    if (principal.isGuest) {
      const { userId, role, deviceId, expiresAt } = principal
      return c.json({ userId, role, isGuest: true, deviceId, expiresAt })
    }
    const { userId, role, claims, expiresAt } = principal
    return c.json({ userId, role, isGuest: false, ...claims, expiresAt })
  })

  // ---- registered users

  app.get('/api/data', requireAuth, (c) => {
    const { plan, limits } = c.var.principal.claims
    return c.json({
      plan,
      items: [
        { id: 1, title: 'Quarterly report' },
        { id: 2, title: 'Customer list' },
      ],
      // A feature of the plan, read from the token: no query.
      export: limits.features.includes('export') ? { formats: ['csv', 'json'] } : null,
    })
  })

  app.post('/api/generate', requireAuth, async (c) => {
    const body = await readBody(c, Generate)
    if (!body.ok) return body.response
    const { userId, claims } = c.var.principal
    const limit = claims.limits.daily_limit
    const now = clock.now()
    const used = db.countUse(userId, new Date(now).toISOString().slice(0, 10), limit)
    if (used === undefined) {
      const untilMidnight = Math.ceil((DAY_MS - (now % DAY_MS)) / 1000)
      return problem(c, 429, 'daily_limit_reached', `the ${claims.plan} plan allows ${limit} generations a day`, {
        'Retry-After': String(untilMidnight),
      })
    }
    return c.json({
      text: `Here is what the ${claims.plan} model made of "${body.value.prompt}".`,
      usage: { used, limit, remaining: limit - used },
    })
  })

  // ---- staff

  app.get('/api/admin', requireRole('admin'), (c) => c.json({ admin: c.var.principal.userId, users: db.countUsers() }))

  app.get('/api/users', requireRole(['admin', 'moderator']), (c) =>
    c.json({ by: c.var.principal.role, users: db.listUsers(100).map(publicUser) }),
  )

  app.put('/admin/users/:id/plan', requireRole('admin'), async (c) => {
    const body = await readBody(c, PlanChange)
    if (!body.ok) return body.response
    const user = db.setPlan(c.req.param('id'), body.value.plan)
    if (user === undefined) return problem(c, 404, 'not_found', 'no such user')
    // Tokens already issued keep the old plan until they expire; the next refresh signs the new one.
    return c.json({ user: publicUser(user) })
  })

  return app
}

// ---- helpers

/** The fields of a user any client may see. */
const publicUser = (user: User) => ({
  id: user.id,
  email: user.email,
  name: user.name,
  role: user.role,
  plan: user.plan,
  createdAt: new Date(user.createdAt).toISOString(),
})

/** A JSON error answer, shaped like the library's: `{ error, message }`. */
const problem = (
  c: Context,
  status: ContentfulStatusCode,
  error: string,
  message: string,
  headers: Record<string, string> = {},
) => c.json({ error, message }, status, headers)

/** The HTTP answer to a refused token: 401 with an RFC 6750 challenge, or 503 when the store is down. */
const authFailure = (c: Context, error: AuthError) => {
  const { status, headers, body } = toHttp(error, { realm: REALM })
  return c.json(body, status, headers)
}

/** Issuing fails only when the store is down (503); anything else is a bug of ours (500). */
const issueFailure = (c: Context, error: AuthError) => {
  if (error._tag === 'StoreUnavailable') return authFailure(c, error)
  throw new Error(`issuing a token failed: ${error._tag}`)
}

/** Parses the JSON body with `schema`: its output, or a 400 `{ error, message }` to answer. */
const readBody = async <TSchema extends v.GenericSchema>(
  c: Context,
  schema: TSchema,
  { optional = false } = {},
): Promise<{ ok: true; value: v.InferOutput<TSchema> } | { ok: false; response: Response }> => {
  const text = await c.req.text()
  let json: unknown = {}
  if (text.trim() !== '' || !optional) {
    try {
      json = JSON.parse(text)
    } catch {
      return { ok: false, response: problem(c, 400, 'invalid_request', 'the body must be JSON') }
    }
  }
  const parsed = v.safeParse(schema, json)
  if (parsed.success) return { ok: true, value: parsed.output }
  const issue = parsed.issues[0]
  return { ok: false, response: problem(c, 400, 'invalid_request', issue.message) }
}
