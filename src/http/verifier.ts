import type { TaskEither } from 'fp-ts/lib/TaskEither.js'
import type { AuthError } from '../errors.js'
import type { Principal, UserPrincipal } from '../principal.js'
import type { VerifyOptions } from '../verify.js'

/**
 * What the HTTP layer needs of an auth: a `verify`. Both `createAuth` and a verify-only auth fit,
 * and `TClaims` / `TRole` are inferred from the one passed in.
 */
export interface Verifier<TClaims, TRole extends string> {
  /** Verifies a token and answers the principal it speaks for, or why it is refused. */
  readonly verify: (token: string, options?: VerifyOptions) => TaskEither<AuthError, Principal<TClaims, TRole>>
}

/** The claims type of a {@link Verifier}. */
export type ClaimsOf<TVerifier> = TVerifier extends Verifier<infer TClaims, string> ? TClaims : never

/** The role union of a {@link Verifier}. */
export type RoleOf<TVerifier> = TVerifier extends Verifier<unknown, infer TRole> ? TRole : never

/** The principal a {@link Verifier} answers: a user or a guest. */
export type PrincipalOf<TVerifier> = Principal<ClaimsOf<TVerifier>, RoleOf<TVerifier>>

/** The registered-user principal of a {@link Verifier}, optionally narrowed to some of its roles. */
export type UserPrincipalOf<TVerifier, TRole extends RoleOf<TVerifier> = RoleOf<TVerifier>> = UserPrincipal<
  ClaimsOf<TVerifier>,
  TRole
>
