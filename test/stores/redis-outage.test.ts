import * as E from 'fp-ts/lib/Either.js'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { type AuthError, createAuth, fixedClock } from '../../src/index.js'
import { redisStore } from '../../src/stores/redis.js'
import { expectLeft, right, SECRET, T0 } from '../support/auth.js'
import {
  describeRedis,
  eventually,
  type OwnRedisServer,
  RECOMMENDED_OPTIONS,
  startRedisServer,
  timed,
} from '../support/redis.js'

const TIMEOUT_MS = 300
// Scheduling on a loaded 2-core machine: the answer must come within the timeout plus this
// (timeout + slack stays under the 800 ms pause below, so an unbounded call still fails).
const SLACK_MS = 400

describeRedis('redisStore when Redis goes away', () => {
  let server: OwnRedisServer
  const clients: Redis[] = []

  beforeAll(async () => {
    server = await startRedisServer()
  }, 15_000)
  afterAll(async () => {
    for (const client of clients) client.disconnect()
    await server?.dispose()
  })

  // Two ways to configure ioredis: the recommended one, and its defaults (offline queue, retries).
  const configs = {
    recommended: RECOMMENDED_OPTIONS,
    defaults: {},
  }

  const instance = (options: object, prefix: string) => {
    const client = new Redis(server.url, options)
    client.on('error', () => undefined)
    clients.push(client)
    const auth = createAuth({
      secret: SECRET,
      clock: fixedClock(T0),
      store: redisStore(client, { prefix, timeoutMs: TIMEOUT_MS }),
    })
    return { client, auth }
  }

  const failsFast = async (task: () => Promise<E.Either<AuthError, unknown>>): Promise<void> => {
    const { ms, result } = await timed(task)
    expect(E.isLeft(result) && result.left._tag).toBe('StoreUnavailable')
    expect(ms).toBeLessThan(TIMEOUT_MS + SLACK_MS)
  }

  it('answers StoreUnavailable within the timeout while Redis is down, then resumes with its data', async () => {
    const instances = Object.entries(configs).map(([name, options]) => ({ name, ...instance(options, `${name}:`) }))
    await Promise.all(instances.map(({ client }) => eventually(async () => client.status === 'ready', 5_000)))

    const before = await Promise.all(
      instances.map(async ({ auth }) => {
        const revoked = await right(auth.issuePair({ userId: 'u1' }))
        await right(auth.revoke(revoked.accessToken))
        const loggedOut = await right(auth.issue({ userId: 'gone' }))
        await right(auth.revokeAll('gone'))
        const live = await right(auth.issuePair({ userId: 'u1' }))
        await right(auth.verify(live.accessToken))
        const spare = await right(auth.issue({ userId: 'u3' }))
        return { revoked, loggedOut, live, spare }
      }),
    )

    await server.kill()
    for (const [index, { auth }] of instances.entries()) {
      const { live, spare } = before[index] as (typeof before)[number]
      await failsFast(auth.verify(live.accessToken))
      await failsFast(auth.refresh(live.refreshToken))
      await failsFast(auth.isRevoked(live.accessToken))
      // A client with an offline queue may still run these two once Redis is back: they touch
      // nothing the rest of the test looks at.
      await failsFast(auth.revoke(spare))
      await failsFast(auth.revokeAll('u3'))
    }

    await server.start()
    for (const [index, { auth }] of instances.entries()) {
      const { revoked, loggedOut, live } = before[index] as (typeof before)[number]
      // ioredis reconnects on its own schedule (its default backs off up to seconds).
      await eventually(async () => E.isRight(await auth.verify(revoked.refreshToken, { kind: 'refresh' })()), 10_000)
      // What was acknowledged before the crash is still there (append-only file, fsync always).
      await expectLeft(auth.verify(revoked.accessToken), 'Revoked')
      await expectLeft(auth.verify(loggedOut), 'Revoked')
      // The refresh that failed during the outage consumed nothing: the token works once.
      await right(auth.refresh(live.refreshToken))
      await expectLeft(auth.refresh(live.refreshToken), 'RefreshReused')
    }
  }, 30_000)

  it('answers StoreUnavailable within the timeout while Redis is too slow, and a refresh it gave up on stays usable', async () => {
    const instances = Object.entries(configs).map(([name, options]) => ({
      name,
      ...instance(options, `slow-${name}:`),
    }))
    await Promise.all(instances.map(({ client }) => eventually(async () => client.status === 'ready', 10_000)))
    const admin = new Redis(server.url, RECOMMENDED_OPTIONS)
    admin.on('error', () => undefined)
    clients.push(admin)
    // Without an offline queue, a command sent before the connection is up fails at once.
    await eventually(async () => admin.status === 'ready', 10_000)
    const sessions = await Promise.all(
      instances.map(async ({ auth }) => ({
        pair: await right(auth.issuePair({ userId: 'u1' })),
        spare: await right(auth.issue({ userId: 'u1' })),
      })),
    )

    // Redis answers nothing for a while: reads time out.
    await admin.call('CLIENT', 'PAUSE', '800', 'ALL')
    await Promise.all(
      instances.flatMap(({ auth }, index) => {
        const { pair } = sessions[index] as (typeof sessions)[number]
        return [failsFast(auth.verify(pair.accessToken)), failsFast(auth.isRevoked(pair.accessToken))]
      }),
    )
    await eventually(async () => (await admin.ping().catch(() => 'paused')) === 'PONG', 5_000)

    // Redis answers reads but holds every write: a refresh passes its check and then waits on its consume.
    await admin.call('CLIENT', 'PAUSE', '10000', 'WRITE')
    try {
      await Promise.all(
        instances.map(async ({ auth }, index) => {
          const { pair, spare } = sessions[index] as (typeof sessions)[number]
          // First alone: a held write ahead of it on the connection would hold its check too.
          await failsFast(auth.refresh(pair.refreshToken))
          await Promise.all([failsFast(auth.revoke(spare)), failsFast(auth.revokeAll('u2'))])
        }),
      )
    } finally {
      await admin.call('CLIENT', 'UNPAUSE')
    }

    for (const [index, { auth }] of instances.entries()) {
      const { pair } = sessions[index] as (typeof sessions)[number]
      await right(auth.verify(pair.accessToken))
      // The consume held during the pause ran late and was undone, since nobody got its answer.
      await right(auth.refresh(pair.refreshToken))
      await expectLeft(auth.refresh(pair.refreshToken), 'RefreshReused')
    }
  }, 30_000)
})
