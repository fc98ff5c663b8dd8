import * as E from 'fp-ts/lib/Either.js'
import type { TaskEither } from 'fp-ts/lib/TaskEither.js'
import type { AuthEnv } from './config.js'
import { type AuthError, storeUnavailable } from './errors.js'
import { type Checked, type CheckedToken, checkToken } from './lib/check.js'
import type { Principal, TokenKind } from './principal.js'

/** Options of `verify`. */
export interface VerifyOptions {
  /** `'access'` (default) accepts access and guest tokens; `'refresh'` accepts only refresh tokens. */
  readonly kind?: TokenKind
}

/**
 * Verifies a token and answers the typed principal it speaks for: signature with the key its
 * header names, kind, time window, issuer, audience, claims schema, then revocation.
 *
 * @example
 * ```ts
 * const principal = await verify(auth.env)(token)()
 * if (E.isRight(principal) && !principal.right.isGuest) principal.right.claims.plan
 * ```
 */
export const verify =
  <TClaims, TRole extends string, TClaimsInput>(env: AuthEnv<TClaims, TRole, TClaimsInput>) =>
  (token: string, options?: VerifyOptions): TaskEither<AuthError, Principal<TClaims, TRole>> =>
  () => {
    // The hot path: no async frames of its own, only the waits the key and the store need.
    let checked: ReturnType<typeof checkToken<TClaims, TRole>>
    try {
      checked = checkToken(env, token, options?.kind ?? 'access')
    } catch (cause) {
      return Promise.resolve(E.left(storeUnavailable(cause)))
    }
    return checked instanceof Promise
      ? checked.then(toPrincipal, (cause: unknown) => E.left(storeUnavailable(cause)))
      : Promise.resolve(toPrincipal(checked))
  }

const toPrincipal = <TClaims, TRole extends string>(
  checked: Checked<CheckedToken<TClaims, TRole>>,
): E.Either<AuthError, Principal<TClaims, TRole>> =>
  checked.ok ? E.right(checked.value.principal) : E.left(checked.error)
