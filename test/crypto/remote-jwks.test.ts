import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import {
  createAuth,
  fixedClock,
  type JsonWebKeySet,
  keyRing,
  type RingKey,
  rotate,
  toJwks,
  type UnknownKey,
} from '../../src/index.js'
import { expectLeft, right, T0 } from '../support/auth.js'
import { keyFor, signRaw } from '../support/keys.js'

/** A JWKS endpoint on 127.0.0.1 whose behaviour each test sets. */
interface JwksServer {
  url: string
  requests: number
  mode: 'serve' | 'hang' | 'trickle' | 'redirect' | 'fail'
  document: unknown
}

let server: Server
const state: JwksServer = { url: '', requests: 0, mode: 'serve', document: { keys: [] } }
let downUrl = ''

beforeAll(async () => {
  server = createServer((_request, response) => {
    state.requests++
    if (state.mode === 'hang') return // never answers
    if (state.mode === 'trickle') {
      response.writeHead(200, { 'content-type': 'application/json' }).write('{"keys":[') // never ends
      return
    }
    if (state.mode === 'redirect') {
      response.writeHead(302, { location: '/elsewhere' }).end()
      return
    }
    if (state.mode === 'fail') {
      response.writeHead(500).end()
      return
    }
    response.writeHead(200, { 'content-type': 'application/jwk-set+json' }).end(JSON.stringify(state.document))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`
  // A port that was just open and is now closed: connections are refused.
  const closed = createServer()
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
  downUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/jwks.json`
  await new Promise<void>((resolve) => closed.close(() => resolve()))
})

afterAll(async () => {
  server.closeAllConnections()
  await new Promise<void>((resolve) => server.close(() => resolve()))
})

let k1: RingKey
let k2: RingKey
beforeAll(async () => {
  k1 = await keyFor('ES256', 'k1')
  k2 = await keyFor('EdDSA', 'k2')
})

beforeEach(() => {
  state.requests = 0
  state.mode = 'serve'
  state.document = toJwks(keyRing(k1))
})

const clock = fixedClock(T0)
const issuer = () => createAuth({ keys: keyRing(k1), clock })
const verifier = (options: { cooldown?: number; timeoutMs?: number; algorithms?: ['ES256'] } = {}) =>
  createAuth({ jwks: state.url, clock, ...options })

describe('verify against a remote JWKS', () => {
  it('verifies, and caches the document between verifies', async () => {
    const token = await right(issuer().issue({ userId: 'u1' }))
    const auth = verifier()
    expect(await right(auth.verify(token))).toMatchObject({ userId: 'u1' })
    expect(await right(auth.verify(token))).toMatchObject({ userId: 'u1' })
    expect(state.requests).toBe(1)
  })

  it('concurrent first verifies share one fetch', async () => {
    const token = await right(issuer().issue({ userId: 'u1' }))
    const auth = verifier()
    const results = await Promise.all(Array.from({ length: 10 }, () => auth.verify(token)()))
    expect(results.every((result) => result._tag === 'Right')).toBe(true)
    expect(state.requests).toBe(1)
  })

  it('a kid miss fetches again, and finds a key published since', async () => {
    const auth = verifier({ cooldown: 0 })
    expect(await right(auth.verify(await right(issuer().issue({ userId: 'u1' }))))).toBeDefined()
    state.document = toJwks(rotate(keyRing(k1), k2))
    const rotated = createAuth({ keys: rotate(keyRing(k1), k2), clock })
    const token = await right(rotated.issue({ userId: 'u2' }))
    expect(await right(auth.verify(token))).toMatchObject({ userId: 'u2' })
    expect(state.requests).toBe(2)
  })

  it('a kid miss within the cooldown does not fetch again', async () => {
    const auth = verifier({ cooldown: 3600 })
    expect(await right(auth.verify(await right(issuer().issue({ userId: 'u1' }))))).toBeDefined()
    const rotated = createAuth({ keys: rotate(keyRing(k1), k2), clock })
    state.document = toJwks(rotate(keyRing(k1), k2))
    await expectLeft(auth.verify(await right(rotated.issue({ userId: 'u2' }))), 'UnknownKey')
    expect(state.requests).toBe(1)
  })

  it('the header never chooses the algorithm of a remote key', async () => {
    const auth = verifier({ cooldown: 0 })
    const lying = await signRaw(
      { alg: 'HS256', kid: 'k1', typ: 'at+jwt' },
      { sub: 'u1', jti: 'j', iat: T0 / 1000, exp: T0 / 1000 + 60, role: 'user' },
      new TextEncoder().encode(JSON.stringify(k1.publicJwk)),
    )
    await expectLeft(auth.verify(lying), 'AlgorithmNotAllowed')
  })

  it('a JWK without alg is unusable, unless `algorithms` fixes it', async () => {
    const { alg: _alg, ...bare } = k1.publicJwk!
    state.document = { keys: [bare] }
    const token = await right(issuer().issue({ userId: 'u1' }))
    await expectLeft(verifier({ cooldown: 3600 }).verify(token), 'UnknownKey')
    expect(await right(verifier({ cooldown: 3600, algorithms: ['ES256'] }).verify(token))).toMatchObject({
      userId: 'u1',
    })
  })

  it('ignores HMAC keys, private keys, encryption keys and repeated kids in the document', async () => {
    const token = await right(issuer().issue({ userId: 'u1' }))
    const { kid: _kid, ...material } = k1.publicJwk!
    const cases: JsonWebKeySet[] = [
      { keys: [{ kty: 'oct', k: Buffer.alloc(32).toString('base64url'), kid: 'k1', alg: 'HS256' }] },
      { keys: [{ ...material, kid: 'k1', use: 'enc' }] },
      { keys: [{ ...material, kid: 'k1', d: 'AAAA' }] },
      { keys: [{ ...material, kid: 'k1', key_ops: ['encrypt'] }] },
      { keys: [k1.publicJwk!, { ...k1.publicJwk! }] },
    ]
    for (const document of cases) {
      state.document = document
      await expectLeft(verifier({ cooldown: 3600 }).verify(token), 'UnknownKey')
    }
  })
})

describe('an unreachable JWKS is a Left, in bounded time', () => {
  const timed = async (run: () => Promise<unknown>): Promise<number> => {
    const start = performance.now()
    await run()
    return performance.now() - start
  }

  it('server down: UnknownKey with the cause', async () => {
    const token = await right(issuer().issue({ userId: 'u1' }))
    const auth = createAuth({ jwks: downUrl, clock, timeoutMs: 1000 })
    const elapsed = await timed(async () => {
      const error = (await expectLeft(auth.verify(token), 'UnknownKey')) as UnknownKey
      expect(error.cause).toBeDefined()
    })
    expect(elapsed).toBeLessThan(1500)
  })

  it('a server that never answers: UnknownKey within the timeout', async () => {
    state.mode = 'hang'
    const token = await right(issuer().issue({ userId: 'u1' }))
    const auth = verifier({ timeoutMs: 200 })
    const elapsed = await timed(async () => {
      const error = (await expectLeft(auth.verify(token), 'UnknownKey')) as UnknownKey
      expect(error.cause).toBeDefined()
    })
    expect(elapsed).toBeGreaterThanOrEqual(150)
    expect(elapsed).toBeLessThan(1500)
  })

  it('a server that sends headers and then stalls the body: UnknownKey within the timeout', async () => {
    state.mode = 'trickle'
    const token = await right(issuer().issue({ userId: 'u1' }))
    const auth = verifier({ timeoutMs: 200 })
    const elapsed = await timed(() => expectLeft(auth.verify(token), 'UnknownKey'))
    expect(elapsed).toBeLessThan(1500)
  })

  it('after a failure, verifies fail fast until the cooldown has passed on the injected clock', async () => {
    state.mode = 'fail'
    const clock = fixedClock(T0)
    const token = await right(createAuth({ keys: keyRing(k1), clock }).issue({ userId: 'u1' }))
    const auth = createAuth({ jwks: state.url, clock, cooldown: 30 })
    await expectLeft(auth.verify(token), 'UnknownKey')
    await expectLeft(auth.verify(token), 'UnknownKey')
    expect(state.requests).toBe(1)
    state.mode = 'serve'
    clock.advance(30_000)
    expect(await right(auth.verify(token))).toMatchObject({ userId: 'u1' })
    expect(state.requests).toBe(2)
  })

  it('redirects are not followed', async () => {
    state.mode = 'redirect'
    const token = await right(issuer().issue({ userId: 'u1' }))
    await expectLeft(verifier().verify(token), 'UnknownKey')
    expect(state.requests).toBe(1)
  })

  it('a document that is not a JWKS is a Left', async () => {
    state.document = { not: 'a jwks' }
    const token = await right(issuer().issue({ userId: 'u1' }))
    await expectLeft(verifier().verify(token), 'UnknownKey')
  })
})
