import { type ChildProcess, spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { Redis } from 'ioredis'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { createAuth, fixedClock } from '../../src/index.js'
import { redisStore } from '../../src/stores/redis.js'
import { expectLeft, right, SECRET, T0 } from '../support/auth.js'
import { connectRedis, deleteKeys, describeRedis, REDIS_URL, scanKeys, uniquePrefix } from '../support/redis.js'

const WORKER = fileURLToPath(new URL('./fixtures/auth-worker.ts', import.meta.url))
const WORKERS = 3
const RACERS_PER_WORKER = 20
const REPLY_WITHIN_MS = 10_000

interface Answer {
  readonly tag: string
  readonly value?: unknown
}

/** A child process running one instance of the service. */
interface Worker {
  readonly send: (op: string, arg: string, times?: number) => Promise<Answer[]>
  readonly stop: () => void
}

const startWorker = (prefix: string): Promise<Worker> =>
  new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', WORKER], {
      env: { ...process.env, REDIS_URL, PREFIX: prefix, SECRET, NOW: String(T0), WORKER_LIFETIME_MS: '30000' },
      stdio: ['pipe', 'pipe', 'inherit'],
    })
    const waiting = new Map<number, (answers: Answer[]) => void>()
    let nextId = 0
    let buffered = ''
    const startup = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error('worker did not start within 15 s'))
    }, 15_000)
    child.once('error', reject)
    child.once('exit', (code) => reject(new Error(`worker exited early with ${code}`)))
    child.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8')
      for (let end = buffered.indexOf('\n'); end >= 0; end = buffered.indexOf('\n')) {
        const message = JSON.parse(buffered.slice(0, end)) as { ready?: true; id?: number; results?: Answer[] }
        buffered = buffered.slice(end + 1)
        if (message.ready === true) {
          clearTimeout(startup)
          resolve(worker)
        } else if (message.id !== undefined) {
          waiting.get(message.id)?.(message.results ?? [])
          waiting.delete(message.id)
        }
      }
    })
    const worker: Worker = {
      send: (op, arg, times = 1) =>
        new Promise((answer, fail) => {
          const id = nextId++
          const timer = setTimeout(
            () => fail(new Error(`worker gave no answer to ${op} within ${REPLY_WITHIN_MS} ms`)),
            REPLY_WITHIN_MS,
          )
          waiting.set(id, (answers) => {
            clearTimeout(timer)
            answer(answers)
          })
          child.stdin?.write(`${JSON.stringify({ id, op, arg, times })}\n`)
        }),
      stop: () => {
        child.stdin?.end()
        setTimeout(() => child.kill('SIGKILL'), 2_000).unref()
      },
    }
  })

describeRedis('redisStore shared by several processes', () => {
  const prefix = uniquePrefix('processes')
  let client: Redis
  let workers: Worker[] = []

  beforeAll(async () => {
    client = await connectRedis()
    workers = await Promise.all(Array.from({ length: WORKERS }, () => startWorker(prefix)))
  }, 30_000)
  afterAll(async () => {
    for (const worker of workers) worker.stop()
    await deleteKeys(client, prefix)
    client?.disconnect()
  })

  const local = () => createAuth({ secret: SECRET, clock: fixedClock(T0), store: redisStore(client, { prefix }) })

  it(`lets exactly one of ${WORKERS * RACERS_PER_WORKER} concurrent refreshes win and kills the family everywhere`, async () => {
    const auth = local()
    const pair = await right(auth.issuePair({ userId: 'racer' }))
    const answers = (
      await Promise.all(workers.map((worker) => worker.send('refresh', pair.refreshToken, RACERS_PER_WORKER)))
    ).flat()
    expect(answers).toHaveLength(WORKERS * RACERS_PER_WORKER)
    const winners = answers.filter((answer) => answer.tag === 'Right')
    expect(winners).toHaveLength(1)
    expect(answers.filter((answer) => answer.tag === 'RefreshReused')).toHaveLength(answers.length - 1)

    const won = (winners[0] as Answer).value as { accessToken: string; refreshToken: string }
    for (const worker of workers) {
      expect(await worker.send('verify', won.accessToken)).toEqual([{ tag: 'Revoked' }])
      expect(await worker.send('verify', pair.accessToken)).toEqual([{ tag: 'Revoked' }])
      expect(await worker.send('refresh', won.refreshToken)).toEqual([{ tag: 'Revoked' }])
    }
    await expectLeft(auth.verify(won.accessToken), 'Revoked')
  })

  it('refuses in every process a token revoked through one of them', async () => {
    const auth = local()
    const [first, ...others] = workers as [Worker, ...Worker[]]
    const token = await right(auth.issue({ userId: 'victim' }))
    const bystander = await right(auth.issue({ userId: 'bystander' }))
    for (const worker of workers) expect(await worker.send('verify', token)).toMatchObject([{ tag: 'Right' }])
    expect(await first.send('revoke', token)).toEqual([{ tag: 'Right' }])
    for (const worker of others) {
      expect(await worker.send('verify', token)).toEqual([{ tag: 'Revoked' }])
      expect(await worker.send('isRevoked', token)).toEqual([{ tag: 'Right', value: true }])
      expect(await worker.send('verify', bystander)).toMatchObject([{ tag: 'Right' }])
    }

    const session = await right(auth.issuePair({ userId: 'everywhere' }))
    expect(await (others[0] as Worker).send('revokeAll', 'everywhere')).toEqual([{ tag: 'Right' }])
    for (const worker of workers) {
      expect(await worker.send('verify', session.accessToken)).toEqual([{ tag: 'Revoked' }])
      expect(await worker.send('refresh', session.refreshToken)).toEqual([{ tag: 'Revoked' }])
    }
  })

  it('left only keys that expire on their own', async () => {
    const keys = await scanKeys(client, prefix)
    expect(keys.length).toBeGreaterThan(0)
    for (const ttl of await Promise.all(keys.map((key) => client.pttl(key)))) expect(ttl).toBeGreaterThan(0)
  })
})
