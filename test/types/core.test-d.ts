import type { TaskEither } from 'fp-ts/lib/TaskEither.js'
import * as v from 'valibot'
import { describe, expectTypeOf, it } from 'vitest'
import {
  type AuthError,
  createAuth,
  type GuestPrincipal,
  type Principal,
  type TokenPair,
  type UserPrincipal,
  verify,
} from '../../src/index.js'

const PlanClaims = v.object({
  plan: v.picklist(['free', 'pro', 'enterprise']),
  limits: v.object({ daily_limit: v.number(), features: v.array(v.string()) }),
})
type Plan = v.InferOutput<typeof PlanClaims>

const auth = createAuth({
  secret: 'x'.repeat(32),
  claims: PlanClaims,
  roles: ['user', 'premium', 'admin', 'moderator'],
})
type Role = 'user' | 'premium' | 'admin' | 'moderator'
const claims = { plan: 'pro', limits: { daily_limit: 100, features: ['export'] } } as const

describe('claims and roles are typed from the configuration', () => {
  it('infers the principal from the schema and the roles', () => {
    expectTypeOf(auth.verify).returns.toEqualTypeOf<TaskEither<AuthError, Principal<Plan, Role>>>()
    expectTypeOf(verify(auth.env)).returns.toEqualTypeOf<TaskEither<AuthError, Principal<Plan, Role>>>()
  })

  it('narrows the principal on isGuest', () => {
    const check = (principal: Principal<Plan, Role>) => {
      if (principal.isGuest) {
        expectTypeOf(principal).toEqualTypeOf<GuestPrincipal>()
        expectTypeOf(principal.role).toEqualTypeOf<'guest'>()
        expectTypeOf(principal.deviceId).toEqualTypeOf<string>()
      } else {
        expectTypeOf(principal).toEqualTypeOf<UserPrincipal<Plan, Role>>()
        expectTypeOf(principal.claims.limits.daily_limit).toEqualTypeOf<number>()
        expectTypeOf(principal.claims.plan).toEqualTypeOf<'free' | 'pro' | 'enterprise'>()
        expectTypeOf(principal.role).toEqualTypeOf<Role>()
        // @ts-expect-error a user has no device
        principal.deviceId
      }
      // @ts-expect-error claims exist only on a user principal
      principal.claims
    }
    expectTypeOf(check).toBeFunction()
  })

  it('types the issuing verbs', () => {
    expectTypeOf(auth.issue({ userId: '1', claims })).toEqualTypeOf<TaskEither<AuthError, string>>()
    expectTypeOf(auth.issuePair({ userId: '1', role: 'admin', claims })).toEqualTypeOf<
      TaskEither<AuthError, TokenPair>
    >()
    expectTypeOf(auth.refresh).returns.toEqualTypeOf<TaskEither<AuthError, TokenPair>>()
    expectTypeOf(auth.revoke).returns.toEqualTypeOf<TaskEither<AuthError, void>>()
    expectTypeOf(auth.isRevoked).returns.toEqualTypeOf<TaskEither<AuthError, boolean>>()
  })

  it('refuses a wrong claim type, a missing claim and an unknown role at compile time', () => {
    // @ts-expect-error plan is a picklist
    auth.issue({ userId: '1', claims: { ...claims, plan: 'platinum' } })
    // @ts-expect-error daily_limit is a number
    auth.issue({ userId: '1', claims: { ...claims, limits: { daily_limit: '100', features: [] } } })
    // @ts-expect-error the schema does not accept {}, so claims are required
    auth.issue({ userId: '1' })
    // @ts-expect-error 'root' is not a configured role
    auth.issue({ userId: '1', role: 'root', claims })
    // @ts-expect-error ttl is a duration, not any string
    auth.issue({ userId: '1', claims, ttl: 'soon' })
    // @ts-expect-error issuePair has no ttl: the pair uses the configured lifetimes
    auth.issuePair({ userId: '1', claims, ttl: 60 })
  })

  it('accepts readonly (as const) claims, since nothing mutates them', () => {
    const frozen = { plan: 'pro', limits: { daily_limit: 5, features: ['a'] } } as const
    expectTypeOf(auth.issue({ userId: '1', claims: frozen })).toEqualTypeOf<TaskEither<AuthError, string>>()
  })

  it('makes claims optional when the schema accepts {}', () => {
    const plain = createAuth({ secret: 'x'.repeat(32) })
    expectTypeOf(plain.issue({ userId: '1' })).toEqualTypeOf<TaskEither<AuthError, string>>()
    expectTypeOf(plain.verify).returns.toEqualTypeOf<TaskEither<AuthError, Principal<{}, string>>>()
  })

  it('refuses a default role outside the roles at compile time', () => {
    // @ts-expect-error 'owner' is not one of the roles
    createAuth({ secret: 'x'.repeat(32), roles: ['admin', 'member'], defaultRole: 'owner' })
  })

  it('takes the input type of the schema at issue and its output type at verify', () => {
    const withDefault = createAuth({
      secret: 'x'.repeat(32),
      claims: v.object({ plan: v.optional(v.picklist(['free', 'pro']), 'free') }),
    })
    expectTypeOf(withDefault.issue({ userId: '1', claims: {} })).toEqualTypeOf<TaskEither<AuthError, string>>()
    expectTypeOf(withDefault.verify).returns.toEqualTypeOf<
      TaskEither<AuthError, Principal<{ plan: 'free' | 'pro' }, string>>
    >()
  })

  it('types the errors as a union discriminated on _tag', () => {
    const describe = (error: AuthError): string => {
      switch (error._tag) {
        case 'InvalidClaims':
          return String(error.issues.length)
        case 'StoreUnavailable':
          return String(error.cause)
        case 'Expired':
          return String(error.expiredAt)
        default:
          return error.message
      }
    }
    expectTypeOf(describe).toBeFunction()
  })
})
