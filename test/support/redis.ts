import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Redis, type RedisOptions } from 'ioredis'
import { describe, it } from 'vitest'

/** The Redis server the tests use, from `REDIS_URL`; `undefined` when it is not set. */
export const REDIS_URL: string | undefined = process.env.REDIS_URL === '' ? undefined : process.env.REDIS_URL

const IN_CI = process.env.CI === 'true' || process.env.CI === '1'

/**
 * A `describe` for tests that need a Redis server: runs with `REDIS_URL`, is reported as skipped
 * without it on a developer machine, and fails loudly without it in CI (`CI=true`).
 */
export const describeRedis = (name: string, body: () => void): void => {
  if (REDIS_URL === undefined && IN_CI) {
    describe(name, () => {
      it('finds a Redis server through REDIS_URL', () => {
        throw new Error('CI=true but REDIS_URL is not set: the Redis store tests must run in CI (see .ci/run)')
      })
    })
    return
  }
  describe.skipIf(REDIS_URL === undefined)(
    REDIS_URL === undefined ? `${name} (skipped: REDIS_URL is not set)` : name,
    body,
  )
}

/** The ioredis options `docs/stores.md` recommends for a fail-closed token store. */
export const RECOMMENDED_OPTIONS = {
  enableOfflineQueue: false,
  maxRetriesPerRequest: 1,
  autoResendUnfulfilledCommands: false,
  commandTimeout: 500,
  connectTimeout: 1000,
  retryStrategy: () => 100,
} satisfies RedisOptions

/** Opens a client on `url` (default `REDIS_URL`) and waits until it is ready. */
export const connectRedis = async (
  url: string = REDIS_URL as string,
  options: Omit<RedisOptions, 'replyMapping'> = {},
): Promise<Redis> => {
  const client = new Redis(url, { ...RECOMMENDED_OPTIONS, lazyConnect: true, ...options })
  client.on('error', () => undefined)
  await client.connect()
  return client
}

/** A key prefix no other test (or test run) uses. */
export const uniquePrefix = (label: string): string =>
  `test:${label}:${process.pid}:${Math.random().toString(36).slice(2, 10)}:`

const globEscape = (text: string): string => text.replace(/[*?[\]\\]/g, (char) => `\\${char}`)

/** Every key under `prefix`, found with SCAN (never KEYS). */
export const scanKeys = async (client: Redis, prefix: string): Promise<string[]> => {
  const keys: string[] = []
  let cursor = '0'
  do {
    const [next, batch] = await client.scan(cursor, 'MATCH', `${globEscape(prefix)}*`, 'COUNT', 1000)
    cursor = next
    keys.push(...batch)
  } while (cursor !== '0')
  return keys
}

/** Deletes every key under `prefix`. */
export const deleteKeys = async (client: Redis, prefix: string): Promise<void> => {
  const keys = await scanKeys(client, prefix)
  if (keys.length > 0) await client.unlink(...keys)
}

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address !== null ? address.port : 0
      server.close(() => resolve(port))
    })
  })

/** A `redis-server` this test owns: killable and restartable on the same port and data directory. */
export interface OwnRedisServer {
  readonly port: number
  readonly url: string
  readonly dir: string
  /** Kills the server with SIGKILL (a crash, not a shutdown) and waits for it to exit. */
  readonly kill: () => Promise<void>
  /** Starts the server again on the same port and directory; waits until it answers. */
  readonly start: () => Promise<void>
  /** Kills the server and removes its directory. */
  readonly dispose: () => Promise<void>
}

/**
 * Starts a private `redis-server` (from PATH) on a free port, with an append-only file synced on
 * every write, so that what it acknowledged survives a kill.
 */
export const startRedisServer = async (): Promise<OwnRedisServer> => {
  const port = await freePort()
  const dir = await mkdtemp(join(tmpdir(), 'saas-kit-auth-redis-'))
  const url = `redis://127.0.0.1:${port}`
  let child: ChildProcess | undefined

  const start = async (): Promise<void> => {
    const args = [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'yes',
      '--appendfsync',
      'always',
      '--dir',
      dir,
      '--daemonize',
      'no',
      '--loglevel',
      'warning',
    ]
    const started = spawn('redis-server', args, { stdio: ['ignore', 'ignore', 'pipe'] })
    child = started
    await new Promise<void>((resolve, reject) => {
      started.once('error', reject)
      started.once('spawn', () => resolve())
    })
    const probe = new Redis(port, '127.0.0.1', { lazyConnect: true, enableOfflineQueue: false, retryStrategy: null })
    probe.on('error', () => undefined)
    try {
      const deadline = Date.now() + 5000
      for (;;) {
        try {
          if (probe.status !== 'ready') await probe.connect()
          if ((await probe.ping()) === 'PONG') return
        } catch (cause) {
          if (started.exitCode !== null) throw new Error(`redis-server exited with ${started.exitCode}`)
          if (Date.now() > deadline) throw cause
          probe.disconnect()
          await new Promise((resolve) => setTimeout(resolve, 50))
        }
      }
    } finally {
      probe.disconnect()
    }
  }

  const kill = async (): Promise<void> => {
    const running = child
    child = undefined
    if (running === undefined || running.exitCode !== null || running.signalCode !== null) return
    const exited = new Promise<void>((resolve) => running.once('exit', () => resolve()))
    running.kill('SIGKILL')
    await exited
  }

  await start()
  return {
    port,
    url,
    dir,
    kill,
    start,
    dispose: async () => {
      await kill()
      await rm(dir, { recursive: true, force: true })
    },
  }
}

/** Polls `ready` every 50 ms until it answers true; throws after `withinMs`. */
export const eventually = async (ready: () => Promise<boolean>, withinMs: number): Promise<void> => {
  const deadline = Date.now() + withinMs
  while (!(await ready())) {
    if (Date.now() > deadline) throw new Error(`not ready within ${withinMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

/** Runs a task and answers how long it took, in milliseconds, with its result. */
export const timed = async <T>(task: () => Promise<T>): Promise<{ readonly ms: number; readonly result: T }> => {
  const started = performance.now()
  const result = await task()
  return { ms: performance.now() - started, result }
}
