// The process around the app: settings from the environment, the secret, the store, the database,
// the HTTP server, and a clean shutdown. Run it with `npm start`; docs/example.md describes it.
import { randomBytes } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { serve } from '@hono/node-server'
import { AuthConfigError, memoryStore, systemClock, type TokenStore } from '@saas-kit/auth'
import { createApp } from './app.js'
import { createAppAuth } from './auth.js'
import { openDb } from './db.js'

const env = process.env
const port = Number(env.PORT ?? 3000)
const host = env.HOST ?? '127.0.0.1'
const dataDir = resolve(env.DATA_DIR ?? fileURLToPath(new URL('./.data', import.meta.url)))
const emails = (list: string | undefined): ReadonlySet<string> =>
  new Set((list ?? '').split(',').flatMap((email) => (email.trim() === '' ? [] : [email.trim().toLowerCase()])))

if (!Number.isInteger(port) || port < 0 || port > 65_535) {
  console.error(`PORT must be a port number, not ${JSON.stringify(env.PORT)}`)
  process.exit(1)
}

const db = openDb(dataDir)

/** `JWT_SECRET`, or a secret generated once into the data directory (fine on one machine, not in production). */
const loadSecret = (): string => {
  if (env.JWT_SECRET !== undefined && env.JWT_SECRET !== '') return env.JWT_SECRET
  const file = resolve(dataDir, 'jwt-secret')
  try {
    return readFileSync(file, 'utf8').trim()
  } catch {
    const secret = randomBytes(48).toString('base64url')
    // `wx`: never overwrite a secret another process wrote meanwhile (that would log everyone out).
    try {
      writeFileSync(file, `${secret}\n`, { flag: 'wx', mode: 0o600 })
    } catch {
      return readFileSync(file, 'utf8').trim()
    }
    console.warn(`warning: JWT_SECRET is not set; generated one into ${file}.`)
    console.warn('         Set JWT_SECRET (48+ random bytes, the same on every instance) in production.')
    return secret
  }
}

/** The Redis store when `REDIS_URL` is set (with the client options docs/stores.md recommends), else the memory store. */
const openStore = async (): Promise<{ store: TokenStore; close: () => Promise<void> }> => {
  const url = env.REDIS_URL
  if (url === undefined || url === '') return { store: memoryStore(), close: async () => undefined }
  // Loaded only when asked for: ioredis is an optional peer of the library.
  const { Redis } = await import('ioredis')
  const { redisStore } = await import('@saas-kit/auth/redis')
  const client = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    autoResendUnfulfilledCommands: false,
    commandTimeout: 500,
    connectTimeout: 2_000,
    lazyConnect: true,
  })
  // The message only: the URL may hold a password.
  client.on('error', (error: Error) => console.error(`redis: ${error.message}`))
  await client.connect()
  return {
    store: redisStore(client, { prefix: 'saas-api:', timeoutMs: 500 }),
    close: async () => {
      await client.quit().catch(() => client.disconnect())
    },
  }
}

const { store, close: closeStore } = await openStore().catch((error: unknown) => {
  console.error(`cannot connect to REDIS_URL: ${error instanceof Error ? error.message : String(error)}`)
  process.exit(1)
})

let auth: ReturnType<typeof createAppAuth>
try {
  auth = createAppAuth({ secret: loadSecret(), db, store, clock: systemClock })
} catch (error) {
  if (!(error instanceof AuthConfigError)) throw error
  console.error(`invalid configuration: ${error.message}`)
  process.exit(1)
}

const app = createApp({
  db,
  auth,
  clock: systemClock,
  adminEmails: emails(env.ADMIN_EMAILS),
  moderatorEmails: emails(env.MODERATOR_EMAILS),
  telegramBotToken: env.TELEGRAM_BOT_TOKEN === '' ? undefined : env.TELEGRAM_BOT_TOKEN,
  log: (line) => console.log(line),
})

const server = serve({ fetch: app.fetch, port, hostname: host }, (info) => {
  const url = `http://${info.family === 'IPv6' ? `[${info.address}]` : info.address}:${info.port}`
  const json = `-H 'content-type: application/json'`
  const read = (field: string) => `node -pe 'JSON.parse(require("fs").readFileSync(0)).${field}'`
  // One write, so that whoever watches for the URL gets the whole banner with it.
  console.log(
    [
      `saas-api listening on ${url}`,
      `  data: ${dataDir}; token store: ${env.REDIS_URL ? 'redis' : 'memory'}`,
      'Try it:',
      `  curl -s ${url}/health`,
      `  TOKEN=$(curl -s -X POST ${url}/auth/register ${json} -d '{"email":"ada@example.com","password":"correct horse"}' | ${read('accessToken')})`,
      `  curl -s ${url}/api/profile -H "authorization: Bearer $TOKEN"`,
      `  curl -s -X POST ${url}/api/generate -H "authorization: Bearer $TOKEN" ${json} -d '{"prompt":"hello"}'`,
      `  GUEST=$(curl -s -X POST ${url}/auth/guest | ${read('accessToken')})`,
      `  curl -s ${url}/api/data -H "authorization: Bearer $GUEST"   # 403: guests are not users`,
      'See docs/example.md for every route.',
    ].join('\n'),
  )
})

let stopping = false
const stop = (signal: NodeJS.Signals) => {
  if (stopping) return
  stopping = true
  console.log(`${signal}: shutting down`)
  // Connections still open after 5 s are not waited for.
  setTimeout(() => process.exit(1), 5_000).unref()
  server.close(async () => {
    db.close()
    await closeStore()
    process.exit(0)
  })
}
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
