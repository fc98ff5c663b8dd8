// Generated from docs/claims-and-roles.md by `npm run docs:samples`: edit the guide, not this file.
// `npm run typecheck` type-checks it; test/package/docs-samples.test.ts runs the guide against the build.

// docs/claims-and-roles.md:12
import assert from 'node:assert/strict'
import * as E from 'fp-ts/lib/Either.js'
import * as v from 'valibot'
import { AuthConfigError, createAuth, type LoadedClaims, type Principal } from '../../../src/index.js'

const ROLES = ['user', 'premium', 'admin', 'moderator'] as const
type Role = (typeof ROLES)[number]

const AccountClaims = v.object({
  plan: v.optional(v.picklist(['free', 'pro', 'enterprise']), 'free'),
  limits: v.object({ daily_limit: v.number(), features: v.array(v.string()) }),
  email: v.pipe(v.string(), v.trim(), v.toLowerCase(), v.email()),
})

const auth = createAuth({
  secret: process.env.JWT_SECRET!,
  claims: AccountClaims,
  roles: ROLES,
})

// docs/claims-and-roles.md:49
type ClaimsIn = v.InferInput<typeof AccountClaims> // { plan?: 'free' | 'pro' | 'enterprise'; … }
type ClaimsOut = v.InferOutput<typeof AccountClaims> // { plan: 'free' | 'pro' | 'enterprise'; … }

const token = await auth.issue({
  userId: 'u_1',
  claims: { email: '  Ada@Example.COM ', limits: { daily_limit: 10, features: [] } },
})()
assert.ok(E.isRight(token))

const verified = await auth.verify(token.right)()
assert.ok(E.isRight(verified) && !verified.right.isGuest)
const claims: ClaimsOut = verified.right.claims
assert.equal(claims.plan, 'free') // the default, signed at issue
assert.equal(claims.email, 'ada@example.com') // the transform's result, signed at issue

// docs/claims-and-roles.md:69
const refused = await auth.issue({
  userId: 'u_1',
  claims: { email: 'not an address', limits: { daily_limit: 10, features: [] } },
})()
assert.ok(E.isLeft(refused) && refused.left._tag === 'InvalidClaims')

// docs/claims-and-roles.md:89
const Counted = v.object({
  size: v.pipe(
    v.string(),
    v.transform((text) => text.length),
  ),
})
const counting = createAuth({ secret: process.env.JWT_SECRET!, claims: Counted })

const counted = await counting.issue({ userId: 'u_2', claims: { size: 'abc' } })()
assert.ok(E.isRight(counted)) // signed { size: 3 } …
const never = await counting.verify(counted.right)()
assert.ok(E.isLeft(never) && never.left._tag === 'InvalidClaims') // … which is not a string

// docs/claims-and-roles.md:115
try {
  createAuth({ secret: process.env.JWT_SECRET!, claims: v.object({ role: v.string() }) })
  assert.fail('a reserved claim name must be refused')
} catch (error) {
  assert.ok(error instanceof AuthConfigError)
  assert.equal(error.field, 'claims.role')
}

// docs/claims-and-roles.md:143
const admin = await auth.issue({
  userId: 'u_3',
  role: 'admin',
  claims: { plan: 'enterprise', email: 'ops@example.com', limits: { daily_limit: 1000, features: ['audit'] } },
})()
assert.ok(E.isRight(admin))

const canModerate = (principal: Principal<ClaimsOut, Role>): boolean =>
  !principal.isGuest && (principal.role === 'admin' || principal.role === 'moderator')

const adminPrincipal = await auth.verify(admin.right)()
assert.ok(E.isRight(adminPrincipal) && canModerate(adminPrincipal.right))

// docs/claims-and-roles.md:173
// Your user store; in an app this is a database query.
const users = new Map<string, LoadedClaims<ClaimsIn, Role>>()

const current = createAuth({
  secret: process.env.JWT_SECRET!,
  claims: AccountClaims,
  roles: ROLES,
  loadClaims: async (userId) => users.get(userId) ?? null,
})

const limits = { daily_limit: 10, features: [] }
users.set('u_4', { role: 'user', claims: { plan: 'free', email: 'bo@example.com', limits } })
const pair = await current.issuePair({ userId: 'u_4', claims: { plan: 'free', email: 'bo@example.com', limits } })()
assert.ok(E.isRight(pair))

// The user upgrades; the next refresh signs the new plan and role.
users.set('u_4', { role: 'premium', claims: { plan: 'pro', email: 'bo@example.com', limits } })
const renewed = await current.refresh(pair.right.refreshToken)()
assert.ok(E.isRight(renewed))
const upgraded = await current.verify(renewed.right.accessToken)()
assert.ok(E.isRight(upgraded) && !upgraded.right.isGuest)
assert.equal(upgraded.right.role, 'premium')
assert.equal(upgraded.right.claims.plan, 'pro')
