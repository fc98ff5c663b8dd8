import type { TaskEither } from 'fp-ts/lib/TaskEither.js'
import * as v from 'valibot'
import { describe, expectTypeOf, it } from 'vitest'
import { jwksHandler } from '../../src/http/jwks-handler.js'
import {
  type Auth,
  type AuthError,
  createAuth,
  generateKeyRing,
  hmacKey,
  type KeyRing,
  keyRing,
  type Principal,
  pemKey,
  type RingKey,
  rotate,
  toJwks,
  type VerifyOnlyAuth,
} from '../../src/index.js'

const Plan = v.object({ plan: v.picklist(['free', 'pro']) })
type PlanOutput = v.InferOutput<typeof Plan>

declare const ring: KeyRing

describe('key rings in createAuth', () => {
  it('an auth built on keys has every verb', () => {
    const auth = createAuth({ keys: ring, claims: Plan, roles: ['user', 'admin'] })
    expectTypeOf(auth).toEqualTypeOf<Auth<PlanOutput, 'user' | 'admin', v.InferInput<typeof Plan>>>()
    expectTypeOf(auth.issue).toBeFunction()
  })

  it('secret, keys and jwks exclude each other', () => {
    // @ts-expect-error: secret and keys together
    createAuth({ secret: 'x'.repeat(32), keys: ring })
    // @ts-expect-error: keys and jwks together
    createAuth({ keys: ring, jwks: 'https://example.test/jwks.json' })
    // @ts-expect-error: none of them
    createAuth({ claims: Plan })
    // @ts-expect-error: JWKS fetch options belong to a verify-only auth
    createAuth({ keys: ring, cooldown: '1m' })
  })

  it('constructors have the documented shapes', () => {
    expectTypeOf(hmacKey).toEqualTypeOf<
      (kid: string, secret: string | Uint8Array, alg?: 'HS256' | 'HS384' | 'HS512') => RingKey
    >()
    expectTypeOf(pemKey).returns.toEqualTypeOf<Promise<RingKey>>()
    expectTypeOf(generateKeyRing).returns.toEqualTypeOf<Promise<KeyRing>>()
    expectTypeOf(rotate).toEqualTypeOf<(ring: KeyRing, next: RingKey) => KeyRing>()
    expectTypeOf(keyRing).parameters.toEqualTypeOf<[RingKey, ...RingKey[]]>()
    // @ts-expect-error: pemKey takes asymmetric algorithms only
    pemKey('k', '', 'HS256')
    // @ts-expect-error: hmacKey takes HMAC algorithms only
    hmacKey('k', 'x'.repeat(32), 'ES256')
    expectTypeOf(toJwks(ring).keys).toBeArray()
  })
})

describe('a verify-only auth', () => {
  const remote = createAuth({ jwks: 'https://auth.example.test/.well-known/jwks.json', claims: Plan, roles: ['user'] })

  it('has verify, isRevoked and env, typed by the claims schema', () => {
    expectTypeOf(remote).toEqualTypeOf<VerifyOnlyAuth<PlanOutput, 'user', v.InferInput<typeof Plan>>>()
    expectTypeOf(remote.verify).returns.toEqualTypeOf<TaskEither<AuthError, Principal<PlanOutput, 'user'>>>()
    expectTypeOf(remote.isRevoked).returns.toEqualTypeOf<TaskEither<AuthError, boolean>>()
    expectTypeOf(remote).toHaveProperty('env')
  })

  it('has no issuing or refresh verb', () => {
    expectTypeOf(remote).not.toHaveProperty('issue')
    expectTypeOf(remote).not.toHaveProperty('issueRefresh')
    expectTypeOf(remote).not.toHaveProperty('issuePair')
    expectTypeOf(remote).not.toHaveProperty('guest')
    expectTypeOf(remote).not.toHaveProperty('refresh')
    // @ts-expect-error: a verify-only auth cannot issue
    remote.issue({ userId: 'u' })
  })

  it('takes its fetch options, and no issuing option', () => {
    createAuth({
      jwks: new URL('https://a.test/jwks'),
      cacheMaxAge: '10m',
      cooldown: 30,
      timeoutMs: 2000,
      algorithms: ['ES256'],
    })
    createAuth({ jwks: { keys: [] } })
    // @ts-expect-error: HMAC algorithms never come from a JWKS
    createAuth({ jwks: 'https://a.test/jwks', algorithms: ['HS256'] })
    // @ts-expect-error: nothing to issue, so no loadClaims
    createAuth({ jwks: 'https://a.test/jwks', loadClaims: async () => null })
  })

  it('still fits wherever a structural { verify } is expected', () => {
    expectTypeOf(remote).toMatchTypeOf<{ verify: (token: string) => TaskEither<AuthError, unknown> }>()
  })
})

describe('jwksHandler', () => {
  it('is a fetch-style handler over an auth or a ring', () => {
    expectTypeOf(jwksHandler(ring)).toEqualTypeOf<(request: Request) => Promise<Response>>()
    expectTypeOf(jwksHandler(createAuth({ keys: ring }), { maxAge: '5m' })).toEqualTypeOf<
      (request: Request) => Promise<Response>
    >()
  })
})
