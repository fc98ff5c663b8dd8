import type { Principal, UserPrincipal } from '../principal.js'
import { allow, type Decision, insufficientScope, missingToken } from './answer.js'
import { DEFAULT_REALM } from './realm.js'

/** Options of the framework-free guards. */
export interface GuardOptions {
  /** The `realm` of the challenge. Default `'api'`. */
  readonly realm?: string
}

/**
 * The guard of registered users: no principal → 401, a guest → 403 `insufficient_scope`, a
 * user → through, narrowed to `UserPrincipal`.
 *
 * @example
 * ```ts
 * import { requireAuth } from '@saas-kit/auth/http'
 * const decision = requireAuth(principal)
 * if (decision._tag === 'Allow') decision.principal.claims.plan
 * ```
 */
export const requireAuth = <TClaims, TRole extends string>(
  principal: Principal<TClaims, TRole> | undefined,
  options: GuardOptions = {},
): Decision<UserPrincipal<TClaims, TRole>> => {
  const realm = options.realm ?? DEFAULT_REALM
  if (principal === undefined || principal === null) return missingToken(realm)
  if (principal.isGuest !== false) return insufficientScope(realm, 'A registered user is required.')
  return allow(principal)
}
