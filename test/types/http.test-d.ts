import * as v from 'valibot'
import { describe, expectTypeOf, it } from 'vitest'
import {
  authenticate,
  type ClaimsOf,
  type Decision,
  type PrincipalOf,
  type RoleOf,
  requireAuth,
  requireRole,
  type Verifier,
} from '../../src/http/index.js'
import { createAuth, type Principal, type UserPrincipal } from '../../src/index.js'

const PlanClaims = v.object({ plan: v.picklist(['free', 'pro', 'enterprise']) })
type Plan = v.InferOutput<typeof PlanClaims>
type Role = 'user' | 'premium' | 'admin' | 'moderator'
const auth = createAuth({
  secret: 'x'.repeat(32),
  claims: PlanClaims,
  roles: ['user', 'premium', 'admin', 'moderator'],
})
declare const principal: Principal<Plan, Role> | undefined

describe('the framework-free HTTP core', () => {
  it('takes any auth as a Verifier and reads its claims and roles', () => {
    expectTypeOf(auth).toExtend<Verifier<Plan, Role>>()
    expectTypeOf<ClaimsOf<typeof auth>>().toEqualTypeOf<Plan>()
    expectTypeOf<RoleOf<typeof auth>>().toEqualTypeOf<Role>()
    expectTypeOf<PrincipalOf<typeof auth>>().toEqualTypeOf<Principal<Plan, Role>>()
  })

  it('decides with the principal typed from the auth', () => {
    const decide = authenticate(auth, { exclude: ['/health'] })
    expectTypeOf(decide).returns.resolves.toEqualTypeOf<Decision<Principal<Plan, Role> | undefined>>()
  })

  it('narrows to a registered user with requireAuth', () => {
    const decision = requireAuth(principal)
    expectTypeOf(decision).toEqualTypeOf<Decision<UserPrincipal<Plan, Role>>>()
    if (decision._tag === 'Allow') expectTypeOf(decision.principal.claims.plan).toEqualTypeOf<Plan['plan']>()
  })

  it('narrows the role with requireRole', () => {
    const decision = requireRole(['admin', 'moderator'])(principal)
    if (decision._tag === 'Allow') {
      expectTypeOf(decision.principal.role).toEqualTypeOf<'admin' | 'moderator'>()
      expectTypeOf(decision.principal.claims).toEqualTypeOf<Plan>()
    }
  })

  it('refuses what is not an auth or not an option', () => {
    // @ts-expect-error: no verify
    authenticate({ issue: () => undefined })
    // @ts-expect-error: exclude is a list
    authenticate(auth, { exclude: '/health' })
    // @ts-expect-error: roles are strings
    requireRole(42)
  })
})
