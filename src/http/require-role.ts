import { AuthConfigError } from '../errors.js'
import type { Principal, UserPrincipal } from '../principal.js'
import { allow, type Decision, insufficientScope, missingToken } from './answer.js'
import { DEFAULT_REALM } from './realm.js'
import type { RegisteredRole } from './register.js'
import type { GuardOptions } from './require-auth.js'

/** A role guard: decides whether a principal holds one of the roles. */
export type RoleGuard<TAllowed extends string> = <TClaims, TRole extends string>(
  principal: Principal<TClaims, TRole> | undefined,
  options?: GuardOptions,
) => Decision<UserPrincipal<TClaims, TRole & TAllowed>>

/**
 * Builds the guard of one role or any of several: no principal → 401, a guest or another role →
 * 403 `insufficient_scope`, else through with the role narrowed. Throws `AuthConfigError` for an
 * empty list. The roles are typed by the auth declared in `Register`.
 *
 * @example
 * ```ts
 * import { requireRole } from '@saas-kit/auth/http'
 * const staff = requireRole(['admin', 'moderator'])
 * assert.equal(staff(principal)._tag, principal.role === 'admin' ? 'Allow' : 'Deny')
 * ```
 */
export const requireRole = <const TAllowed extends RegisteredRole>(
  roles: TAllowed | readonly TAllowed[],
): RoleGuard<TAllowed> => {
  const allowed = roleSet(roles)
  const scope = [...allowed].join(' ')
  return (principal, options = {}) => {
    const realm = options.realm ?? DEFAULT_REALM
    if (principal === undefined || principal === null) return missingToken(realm)
    if (principal.isGuest !== false || !allowed.has(principal.role)) {
      return insufficientScope(realm, `This resource requires the role ${scope.replaceAll(' ', ' or ')}.`)
    }
    return allow(principal as UserPrincipal<never, never>)
  }
}

/** Validates the roles of a guard; throws `AuthConfigError` for an empty or non-string one. */
export const roleSet = (roles: string | readonly string[]): ReadonlySet<string> => {
  const list: readonly unknown[] = typeof roles === 'string' ? [roles] : Array.isArray(roles) ? roles : [undefined]
  if (list.length === 0) throw new AuthConfigError('roles', 'must name at least one role')
  list.forEach((role, index) => {
    if (typeof role !== 'string' || role.length === 0 || role === 'guest') {
      throw new AuthConfigError(`roles.${index}`, "must be a non-empty role name other than 'guest'")
    }
  })
  return new Set(list as readonly string[])
}
