import type { TaskEither } from 'fp-ts/lib/TaskEither.js'
import type { AuthEnv } from './config.js'
import type { AuthError } from './errors.js'
import { checkToken } from './lib/check.js'
import { run } from './lib/either.js'
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
  () =>
    run(async () => {
      const checked = await checkToken(env, token, options?.kind ?? 'access')
      return checked.ok ? { ok: true, value: checked.value.principal } : checked
    })
