import type { TaskEither } from 'fp-ts/lib/TaskEither.js'
import type * as v from 'valibot'
import { type AuthConfig, type AuthEnv, type ClaimsSchema, createAuthEnv } from './config.js'
import type { AuthError } from './errors.js'
import { type GuestInput, guest } from './guest.js'
import { isRevoked } from './is-revoked.js'
import { type IssueInput, issue, issueRefresh } from './issue.js'
import { type IssuePairInput, issuePair } from './issue-pair.js'
import type { Principal, TokenPair } from './principal.js'
import { refresh } from './refresh.js'
import { revoke } from './revoke.js'
import { revokeAll } from './revoke-all.js'
import { type VerifyOptions, verify } from './verify.js'

/** The verbs of one configured auth, bound to its environment. */
export interface Auth<TClaims, TRole extends string, TClaimsInput = TClaims> {
  /** The environment the verbs are bound to, for the pure functions (`verify(auth.env)(token)`). */
  readonly env: AuthEnv<TClaims, TRole, TClaimsInput>
  /** Issues an access token. */
  readonly issue: (input: IssueInput<TClaimsInput, TRole>) => TaskEither<AuthError, string>
  /** Issues a refresh token in a new family. */
  readonly issueRefresh: (input: IssueInput<TClaimsInput, TRole>) => TaskEither<AuthError, string>
  /** Issues an access and a refresh token of one new family. */
  readonly issuePair: (input: IssuePairInput<TClaimsInput, TRole>) => TaskEither<AuthError, TokenPair>
  /** Issues a guest token. */
  readonly guest: (input?: GuestInput) => TaskEither<AuthError, string>
  /** Verifies a token and answers its typed principal. */
  readonly verify: (token: string, options?: VerifyOptions) => TaskEither<AuthError, Principal<TClaims, TRole>>
  /** Rotates a refresh token; reuse revokes the family. */
  readonly refresh: (refreshToken: string) => TaskEither<AuthError, TokenPair>
  /** Revokes one token until it expires. */
  readonly revoke: (token: string) => TaskEither<AuthError, void>
  /** Tells whether a token has been revoked. */
  readonly isRevoked: (token: string) => TaskEither<AuthError, boolean>
  /** Revokes every token of a user issued up to now. */
  readonly revokeAll: (userId: string) => TaskEither<AuthError, void>
}

/**
 * Validates the configuration, builds the environment once and binds every verb to it.
 * Throws `AuthConfigError` naming the bad field; at request time nothing throws.
 *
 * @example
 * ```ts
 * import * as v from 'valibot'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { createAuth } from '@saas-kit/auth'
 *
 * const auth = createAuth({
 *   secret: 'a secret of at least thirty-two bytes!!',
 *   claims: v.object({ plan: v.picklist(['free', 'pro']) }),
 *   roles: ['user', 'admin'],
 * })
 * const token = await auth.issue({ userId: '123', claims: { plan: 'pro' } })()
 * const principal = await auth.verify(E.isRight(token) ? token.right : '')()
 * assert.ok(E.isRight(principal))
 * ```
 */
export const createAuth = <
  const TSchema extends ClaimsSchema = v.ObjectSchema<{}, undefined>,
  const TRole extends string = string,
>(
  config: AuthConfig<TSchema, TRole>,
): Auth<v.InferOutput<TSchema>, TRole, v.InferInput<TSchema>> => {
  const env = createAuthEnv(config)
  return {
    env,
    issue: issue(env),
    issueRefresh: issueRefresh(env),
    issuePair: issuePair(env),
    guest: guest(env),
    verify: verify(env),
    refresh: refresh(env),
    revoke: revoke(env),
    isRevoked: isRevoked(env),
    revokeAll: revokeAll(env),
  }
}
