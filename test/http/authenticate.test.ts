import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import { beforeAll, describe, expect, it } from 'vitest'
import { authenticate, type Decision, toResponse, type Verifier } from '../../src/http/index.js'
import { AuthConfigError, type Principal, revoked, storeUnavailable } from '../../src/index.js'
import { PRO, planAuth, right } from '../support/auth.js'

const { auth } = planAuth()
let token: string

beforeAll(async () => {
  token = await right(auth.issue({ userId: 'u1', role: 'admin', claims: PRO }))
})

const status = <P>(decision: Decision<P>) => (decision._tag === 'Allow' ? 200 : decision.response.status)

describe('authenticate (framework-free)', () => {
  it('decides a request from its target and Authorization header', async () => {
    const decide = authenticate(auth, { exclude: ['/health'], realm: 'app' })
    const allowed = await decide({ url: '/api', authorization: `Bearer ${token}` })
    expect(allowed).toMatchObject({ _tag: 'Allow', principal: { userId: 'u1', role: 'admin' } })
    const excluded = await decide({ url: 'http://127.0.0.1/health?x', authorization: 'Basic x' })
    expect(excluded).toEqual({ _tag: 'Allow', principal: undefined })
    const missing = await decide({ url: '/api', authorization: undefined })
    expect(missing).toMatchObject({
      _tag: 'Deny',
      response: { status: 401, headers: { 'WWW-Authenticate': 'Bearer realm="app"' } },
    })
  })

  it('accepts any structural verifier, such as a verify-only auth', async () => {
    const principal: Principal<{ tier: number }, 'reader'> = {
      isGuest: false,
      userId: 'r1',
      role: 'reader',
      claims: { tier: 2 },
      tokenId: 't',
      issuedAt: 0,
      expiresAt: 1,
    }
    const verifyOnly: Verifier<{ tier: number }, 'reader'> = { verify: () => async () => E.right(principal) }
    const decision = await authenticate(verifyOnly)({ url: '/', authorization: 'Bearer x' })
    expect(decision).toEqual({ _tag: 'Allow', principal })
  })

  it.each([
    [
      'a verify that throws',
      (() => {
        throw new Error('boom')
      }) as Verifier<unknown, string>['verify'],
      503,
    ],
    ['a verify whose task rejects', () => () => Promise.reject(new Error('boom')), 503],
    ['a verify that answers garbage', () => async () => 'garbage' as never, 503],
    ['a verify that answers a non-AuthError Left', () => async () => E.left({ nope: true } as never), 503],
    ['a verify that answers StoreUnavailable', () => async () => E.left(storeUnavailable(new Error('x'))), 503],
    ['a verify that answers Revoked', () => async () => E.left(revoked()), 401],
  ] as const)('turns %s into an answer, never an exception', async (_name, verify, expected) => {
    const decision = await authenticate({ verify })({ url: '/', authorization: 'Bearer abc' })
    expect(status(decision)).toBe(expected)
  })

  it('never rejects and never echoes the token, whatever the request', async () => {
    const decide = authenticate(auth, { exclude: ['/health', '/docs/*'], optional: true })
    await fc.assert(
      fc.asyncProperty(
        fc.string(),
        fc.oneof(fc.constant(undefined), fc.string(), fc.array(fc.string(), { maxLength: 3 })),
        async (url, authorization) => {
          const decision = await decide({ url, authorization })
          expect([200, 400, 401, 503]).toContain(status(decision))
          if (decision._tag === 'Deny') {
            const text = JSON.stringify(decision.response)
            const values = typeof authorization === 'string' ? [authorization] : (authorization ?? [])
            for (const value of values) {
              const candidate = value.replace(/^bearer +/i, '')
              if (candidate.length > 8) expect(text).not.toContain(candidate)
            }
          }
        },
      ),
      { numRuns: 200 },
    )
  })

  it.each([
    [{ exclude: '/health' }, 'exclude'],
    [{ exclude: ['/health', 'docs'] }, 'exclude.1'],
    [{ optional: 'yes' }, 'optional'],
    [{ realm: '' }, 'realm'],
    [{ realm: 'a"b' }, 'realm'],
    [{ realm: 7 }, 'realm'],
    [{ excludes: ['/health'] }, 'excludes'],
  ])('validates options when created: %j', (options, field) => {
    const attempt = () => authenticate(auth, options as never)
    expect(attempt).toThrow(AuthConfigError)
    expect(() => attempt()).toThrow(expect.objectContaining({ field }))
  })

  it.each([undefined, null, {}, { verify: 'no' }])('refuses an auth without verify: %j', (notAuth) => {
    expect(() => authenticate(notAuth as never)).toThrow(expect.objectContaining({ field: 'auth' }))
  })

  it('renders an answer as a JSON Response', async () => {
    const decision = await authenticate(auth)({ url: '/', authorization: 'Basic x' })
    if (decision._tag !== 'Deny') throw new Error('expected Deny')
    const response = toResponse(decision.response)
    expect(response.status).toBe(400)
    expect(response.headers.get('content-type')).toMatch(/^application\/json/)
    expect(response.headers.get('www-authenticate')).toMatch(/error="invalid_request"/)
    expect(await response.json()).toEqual({ error: 'invalid_request', message: expect.any(String) })
  })
})
