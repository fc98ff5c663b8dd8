import { type Clock, createAuth, type TokenStore } from '@saas-kit/auth'
import type * as v from 'valibot'
import { Claims, PLAN_LIMITS, ROLES } from './claims.js'
import type { Db, User } from './db.js'

/** What the auth of the example is built from. */
export interface AppAuthOptions {
  /** The HS256 secret, at least 32 bytes. */
  readonly secret: string
  readonly db: Db
  /** `memoryStore()` for one process, `redisStore(client)` for several. */
  readonly store: TokenStore
  readonly clock: Clock
}

/** The claims a user's tokens carry, from their row: the plan's limits come with the plan. */
export const claimsOf = (user: User): v.InferInput<typeof Claims> =>
  user.email === null
    ? { plan: user.plan, limits: PLAN_LIMITS[user.plan], source: 'telegram' }
    : { email: user.email, plan: user.plan, limits: PLAN_LIMITS[user.plan] }

/** Builds the auth of the example: typed claims and roles, and claims reloaded from the database on every refresh. */
export const createAppAuth = ({ secret, db, store, clock }: AppAuthOptions) =>
  createAuth({
    secret,
    claims: Claims,
    roles: ROLES,
    issuer: 'saas-api',
    accessTtl: '15m',
    refreshTtl: '7d',
    guestTtl: '7d',
    store,
    clock,
    // A refresh signs the user's current role and plan; a deleted user's refresh is refused.
    loadClaims: async (userId) => {
      const user = db.findUser(userId)
      return user === undefined ? null : { role: user.role, claims: claimsOf(user) }
    },
  })

/** The auth of the example, with its claims and roles in its type. */
export type AppAuth = ReturnType<typeof createAppAuth>

// Tells the HTTP layer which auth the app uses: `requireRole` then accepts only our roles, and the
// principal behind a guard carries our claims type.
declare module '@saas-kit/auth/http' {
  interface Register {
    auth: AppAuth
  }
}
