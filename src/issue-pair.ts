import type { TaskEither } from 'fp-ts/lib/TaskEither.js'
import type { AuthEnv } from './config.js'
import type { AuthError } from './errors.js'
import type { ClaimsField } from './issue.js'
import { run } from './lib/either.js'
import { freshId, type MintPlan, planUserToken, signing, signUserToken } from './lib/mint.js'
import type { TokenPair } from './principal.js'

/** What `issuePair` takes. */
export type IssuePairInput<TClaimsInput, TRole extends string> = {
  readonly userId: string
  /** Default: the configured `defaultRole` (`'user'`). */
  readonly role?: TRole
} & ClaimsField<TClaimsInput>

/**
 * Issues an access token and a refresh token of one new refresh family: what a login answers.
 *
 * @example
 * ```ts
 * const pair = await issuePair(auth.env)({ userId: '123', claims: { plan: 'pro' } })()
 * assert.ok(E.isRight(pair) && pair.right.tokenType === 'Bearer')
 * ```
 */
export const issuePair =
  <TClaims, TRole extends string, TClaimsInput>(env: AuthEnv<TClaims, TRole, TClaimsInput>) =>
  (input: IssuePairInput<TClaimsInput, TRole>): TaskEither<AuthError, TokenPair> =>
  () =>
    run(async () => {
      const plan = planUserToken(env as AuthEnv<unknown, string, unknown>, { ...input, ttl: undefined }, 'access')
      if (!plan.ok) return plan
      return signing(() =>
        signPair(
          env as AuthEnv<unknown, string, unknown>,
          plan.value,
          freshId(env as AuthEnv<unknown, string, unknown>),
          env.clock.now(),
        ),
      )
    })

/** Signs the two tokens of a pair in one family at one instant. */
export const signPair = async (
  env: AuthEnv<unknown, string, unknown>,
  plan: MintPlan,
  familyId: string,
  now: number,
): Promise<TokenPair> => {
  const [accessToken, refreshToken] = await Promise.all([
    signUserToken(env, plan, 'access', familyId, now),
    signUserToken(env, plan, 'refresh', familyId, now),
  ])
  return { accessToken, refreshToken, tokenType: 'Bearer', expiresIn: env.ttl.access }
}
