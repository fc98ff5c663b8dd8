import type { TaskEither } from 'fp-ts/lib/TaskEither.js'
import type { AuthEnv } from './config.js'
import type { AuthError } from './errors.js'
import type { Duration } from './lib/duration.js'
import { run } from './lib/either.js'
import { freshId, planUserToken, signing, signUserToken } from './lib/mint.js'

/** The custom claims field of an input: optional only when the schema accepts `{}`; readonly data is accepted. */
export type ClaimsField<TClaimsInput> = {} extends TClaimsInput
  ? { readonly claims?: DeepReadonly<TClaimsInput> }
  : { readonly claims: DeepReadonly<TClaimsInput> }

/** `T` with every array and object readonly, so `as const` claims are accepted: the library never mutates them. */
export type DeepReadonly<T> = T extends (...args: never[]) => unknown
  ? T
  : T extends readonly (infer TItem)[]
    ? readonly DeepReadonly<TItem>[]
    : T extends object
      ? { readonly [TKey in keyof T]: DeepReadonly<T[TKey]> }
      : T

/** What `issue` and `issueRefresh` take. */
export type IssueInput<TClaimsInput, TRole extends string> = {
  readonly userId: string
  /** Default: the configured `defaultRole` (`'user'`). */
  readonly role?: TRole
  /** Shortens the configured lifetime of the token's kind; it can never lengthen it. */
  readonly ttl?: Duration
} & ClaimsField<TClaimsInput>

/**
 * Issues an access token (`typ: at+jwt`, RFC 9068) for a user. The custom claims are validated
 * against the claims schema first: on failure it answers `Left InvalidClaims` and signs nothing.
 *
 * @example
 * ```ts
 * const token = await issue(auth.env)({ userId: '123', claims: { plan: 'pro' } })()
 * assert.ok(E.isRight(token))
 * ```
 */
export const issue =
  <TClaims, TRole extends string, TClaimsInput>(env: AuthEnv<TClaims, TRole, TClaimsInput>) =>
  (input: IssueInput<TClaimsInput, TRole>): TaskEither<AuthError, string> =>
  () =>
    run(async () => {
      const plan = planUserToken(env as AuthEnv<unknown, string, unknown>, input, 'access')
      if (!plan.ok) return plan
      const now = env.clock.now()
      return signing(() =>
        signUserToken(env as AuthEnv<unknown, string, unknown>, plan.value, 'access', undefined, now),
      )
    })

/**
 * Issues a refresh token (`typ: rt+jwt`) that starts a new refresh family. Most callers want
 * `issuePair`, which issues the access token of the same family with it.
 */
export const issueRefresh =
  <TClaims, TRole extends string, TClaimsInput>(env: AuthEnv<TClaims, TRole, TClaimsInput>) =>
  (input: IssueInput<TClaimsInput, TRole>): TaskEither<AuthError, string> =>
  () =>
    run(async () => {
      const plan = planUserToken(env as AuthEnv<unknown, string, unknown>, input, 'refresh')
      if (!plan.ok) return plan
      const now = env.clock.now()
      return signing(async () =>
        signUserToken(
          env as AuthEnv<unknown, string, unknown>,
          plan.value,
          'refresh',
          freshId(env as AuthEnv<unknown, string, unknown>),
          now,
        ),
      )
    })
