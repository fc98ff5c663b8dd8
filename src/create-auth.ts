import type { TaskEither } from 'fp-ts/lib/TaskEither.js'
import type * as v from 'valibot'
import { type AuthConfig, type AuthEnv, type ClaimsSchema, createAuthEnv, type VerifyOnlyAuthConfig } from './config.js'
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

/** The verbs of an auth that only verifies: built from a JWKS, it holds no key to sign with. */
export interface VerifyOnlyAuth<TClaims, TRole extends string, TClaimsInput = TClaims> {
  /** The environment the verbs are bound to, for the pure functions (`verify(auth.env)(token)`). */
  readonly env: AuthEnv<TClaims, TRole, TClaimsInput>
  /** Verifies a token and answers its typed principal. */
  readonly verify: (token: string, options?: VerifyOptions) => TaskEither<AuthError, Principal<TClaims, TRole>>
  /** Tells whether a token has been revoked. */
  readonly isRevoked: (token: string) => TaskEither<AuthError, boolean>
}

/** The verbs of one configured auth, bound to its environment. */
export interface Auth<TClaims, TRole extends string, TClaimsInput = TClaims>
  extends VerifyOnlyAuth<TClaims, TRole, TClaimsInput> {
  /** Issues an access token. */
  readonly issue: (input: IssueInput<TClaimsInput, TRole>) => TaskEither<AuthError, string>
  /** Issues a refresh token in a new family. */
  readonly issueRefresh: (input: IssueInput<TClaimsInput, TRole>) => TaskEither<AuthError, string>
  /** Issues an access and a refresh token of one new family. */
  readonly issuePair: (input: IssuePairInput<TClaimsInput, TRole>) => TaskEither<AuthError, TokenPair>
  /** Issues a guest token. */
  readonly guest: (input?: GuestInput) => TaskEither<AuthError, string>
  /** Rotates a refresh token; reuse revokes the family. */
  readonly refresh: (refreshToken: string) => TaskEither<AuthError, TokenPair>
  /** Revokes one token until it expires. */
  readonly revoke: (token: string) => TaskEither<AuthError, void>
  /** Revokes every token of a user issued up to now. */
  readonly revokeAll: (userId: string) => TaskEither<AuthError, void>
}

/**
 * Builds a verify-only auth from a JWKS (a URL fetched with caching, or a document): it has
 * `verify` and `isRevoked`, and no issuing verbs. Throws `AuthConfigError` naming the bad field.
 *
 * @example
 * ```ts
 * const auth = createAuth({ jwks: 'https://auth.example.com/.well-known/jwks.json', issuer: 'https://auth.example.com' })
 * const principal = await auth.verify(token)()
 * ```
 */
export function createAuth<
  const TSchema extends ClaimsSchema = v.ObjectSchema<{}, undefined>,
  const TRole extends string = string,
>(config: VerifyOnlyAuthConfig<TSchema, TRole>): VerifyOnlyAuth<v.InferOutput<TSchema>, TRole, v.InferInput<TSchema>>
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
export function createAuth<
  const TSchema extends ClaimsSchema = v.ObjectSchema<{}, undefined>,
  const TRole extends string = string,
>(config: AuthConfig<TSchema, TRole>): Auth<v.InferOutput<TSchema>, TRole, v.InferInput<TSchema>>
export function createAuth<const TSchema extends ClaimsSchema, const TRole extends string>(
  config: AuthConfig<TSchema, TRole> | VerifyOnlyAuthConfig<TSchema, TRole>,
):
  | Auth<v.InferOutput<TSchema>, TRole, v.InferInput<TSchema>>
  | VerifyOnlyAuth<v.InferOutput<TSchema>, TRole, v.InferInput<TSchema>> {
  const env = createAuthEnv(config)
  // A verify-only auth gets no issuing verbs at all, not verbs that would fail at run time.
  if (env.keys.signing === undefined) return { env, verify: verify(env), isRevoked: isRevoked(env) }
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
