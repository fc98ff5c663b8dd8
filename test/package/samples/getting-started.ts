// Generated from docs/getting-started.md by `npm run docs:samples`: edit the guide, not this file.
// `npm run typecheck` type-checks it; test/package/docs-samples.test.ts runs the guide against the build.

// docs/getting-started.md:33
import assert from 'node:assert/strict'
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import * as v from 'valibot'
import {
  type AuthError,
  createAuth,
  fixedClock,
  type Principal,
  toHttp,
  type UserPrincipal,
} from '../../../src/index.js'

const PlanClaims = v.object({
  plan: v.picklist(['free', 'pro', 'enterprise']),
  limits: v.object({ daily_limit: v.number(), features: v.array(v.string()) }),
})

const auth = createAuth({
  secret: process.env.JWT_SECRET!, // HS256; createAuth throws when it is missing or shorter than 32 bytes
  claims: PlanClaims, // your custom claims, typed from here on
  roles: ['user', 'premium', 'admin', 'moderator'],
  accessTtl: '15m',
  refreshTtl: '7d',
  issuer: 'https://api.example.com',
})

// docs/getting-started.md:95
const login = await auth.issuePair({
  userId: 'user_123',
  role: 'premium', // one of `roles`; omit it for the default role
  claims: { plan: 'pro', limits: { daily_limit: 100, features: ['export'] } },
})()
if (E.isLeft(login)) throw new Error(login.left.message) // InvalidClaims: the claims failed the schema

const { accessToken, refreshToken, tokenType, expiresIn } = login.right
assert.equal(tokenType, 'Bearer')
assert.equal(expiresIn, 900) // the access token's lifetime, in seconds

// docs/getting-started.md:118
const verified = await auth.verify(accessToken)()
if (E.isRight(verified) && !verified.right.isGuest) {
  const { userId, role, claims } = verified.right
  assert.equal(userId, 'user_123')
  assert.equal(role, 'premium') // typed 'user' | 'premium' | 'admin' | 'moderator'
  assert.equal(claims.limits.daily_limit, 100) // typed number, straight from the schema
}

// docs/getting-started.md:140
const toResponse = (error: AuthError): Response => {
  const { status, headers, body } = toHttp(error, { realm: 'api' })
  return Response.json(body, { status, headers })
}

const refused = await auth.verify('not-a-token')()
assert.ok(E.isLeft(refused))
assert.equal(toResponse(refused.left).status, 401)

// docs/getting-started.md:155
const rotated = await auth.refresh(refreshToken)()
if (E.isLeft(rotated)) throw new Error(rotated.left.message)
const next = rotated.right // a new access token AND a new refresh token

// docs/getting-started.md:172
const logout = (access: string, refresh: string): TE.TaskEither<AuthError, void> =>
  pipe(
    auth.revoke(access),
    TE.flatMap(() => auth.revoke(refresh)),
  )

const loggedOut = await logout(next.accessToken, next.refreshToken)()
assert.ok(E.isRight(loggedOut))
const afterLogout = await auth.verify(next.accessToken)()
assert.ok(E.isLeft(afterLogout) && afterLogout.left._tag === 'Revoked')

// docs/getting-started.md:192
const everywhere = await auth.revokeAll('user_123')()
assert.ok(E.isRight(everywhere))

// docs/getting-started.md:206
type Plan = v.InferOutput<typeof PlanClaims>
type Role = 'user' | 'premium' | 'admin' | 'moderator'

interface GuestNotAllowed {
  readonly _tag: 'GuestNotAllowed'
}

const requireUser = (principal: Principal<Plan, Role>): TE.TaskEither<GuestNotAllowed, UserPrincipal<Plan, Role>> =>
  principal.isGuest ? TE.left<GuestNotAllowed>({ _tag: 'GuestNotAllowed' }) : TE.right(principal)

// AuthError | GuestNotAllowed on the left, the user's plan on the right
const planOf = (token: string) =>
  pipe(
    auth.verify(token),
    TE.flatMap(requireUser),
    TE.map((user) => user.claims.plan),
  )

const fresh = await auth.issue({
  userId: 'user_456',
  claims: { plan: 'free', limits: { daily_limit: 10, features: [] } },
})()
assert.ok(E.isRight(fresh))
assert.deepEqual(await planOf(fresh.right)(), E.right('free'))

// docs/getting-started.md:261
const clock = fixedClock(Date.UTC(2026, 0, 1))
const testAuth = createAuth({ secret: process.env.JWT_SECRET!, claims: PlanClaims, accessTtl: '15m', clock })

const short = await testAuth.issue({
  userId: 'u1',
  claims: { plan: 'pro', limits: { daily_limit: 1, features: [] } },
})()
assert.ok(E.isRight(short))
clock.advance(15 * 60 * 1000) // exactly at exp: no longer valid
const late = await testAuth.verify(short.right)()
assert.ok(E.isLeft(late) && late.left._tag === 'Expired')
