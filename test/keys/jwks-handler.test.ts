import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createAdaptorServer } from '@hono/node-server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { jwksHandler } from '../../src/http/jwks-handler.js'
import { AuthConfigError, createAuth, hmacKey, keyRing, type RingKey, toJwks } from '../../src/index.js'
import { expectLeft, right } from '../support/auth.js'
import { keyFor } from '../support/keys.js'

let signing: RingKey
let previous: RingKey
let server: Server
let base = ''

beforeAll(async () => {
  signing = await keyFor('EdDSA', 'current')
  previous = await keyFor('ES256', 'previous')
  const issuer = createAuth({ keys: keyRing(signing, previous, hmacKey('internal', 'x'.repeat(32))) })
  const handler = jwksHandler(issuer, { maxAge: '10m' })
  server = createAdaptorServer({ fetch: handler, hostname: '127.0.0.1' }) as Server
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()))
})

describe('jwksHandler over real HTTP', () => {
  it('serves the public keys as a cacheable JWKS document', async () => {
    const response = await fetch(`${base}/.well-known/jwks.json`)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('application/jwk-set+json')
    expect(response.headers.get('cache-control')).toBe('public, max-age=600')
    const body = (await response.json()) as { keys: Record<string, unknown>[] }
    expect(body).toEqual(toJwks(keyRing(signing, previous)))
    expect(body.keys.map((key) => key.kid)).toEqual(['current', 'previous'])
    for (const key of body.keys) {
      expect(key).toMatchObject({ use: 'sig' })
      expect(key).not.toHaveProperty('d')
      expect(key).not.toHaveProperty('k')
    }
  })

  it('answers HEAD without a body and refuses other methods', async () => {
    const head = await fetch(`${base}/jwks.json`, { method: 'HEAD' })
    expect(head.status).toBe(200)
    const post = await fetch(`${base}/jwks.json`, { method: 'POST' })
    expect(post.status).toBe(405)
    expect(post.headers.get('allow')).toBe('GET, HEAD')
  })

  it('a verify-only auth pointed at it verifies the issuer tokens (end to end)', async () => {
    const issuer = createAuth({ keys: keyRing(signing, previous) })
    const verifier = createAuth({ jwks: `${base}/.well-known/jwks.json` })
    const token = await right(issuer.issue({ userId: 'u1', role: 'admin' }))
    expect(await right(verifier.verify(token))).toMatchObject({ userId: 'u1', role: 'admin' })
    const refresh = await right(issuer.issueRefresh({ userId: 'u1' }))
    await expectLeft(verifier.verify(refresh), 'WrongKind')
  })

  it('refuses at creation an auth with nothing public to publish', () => {
    expect(() => jwksHandler(createAuth({ secret: 'x'.repeat(32) }))).toThrow(AuthConfigError)
    expect(() => jwksHandler(keyRing(hmacKey('h', 'x'.repeat(32))))).toThrow(AuthConfigError)
    expect(() => jwksHandler(createAuth({ jwks: 'https://a.test/jwks.json' }))).toThrow(AuthConfigError)
    expect(() => jwksHandler(keyRing(signing), { maxAge: -1 })).toThrow(AuthConfigError)
  })
})
