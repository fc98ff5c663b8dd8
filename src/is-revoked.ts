import type { TaskEither } from 'fp-ts/lib/TaskEither.js'
import type { AuthEnv } from './config.js'
import type { AuthError } from './errors.js'
import { checkSigned, storeState } from './lib/check.js'
import { run } from './lib/either.js'

/**
 * Tells whether a validly signed token has been revoked: by its id, its refresh family, or its
 * user's `revokeAll`. Answers a `Left` when the token is not ours or the store fails.
 *
 * @example
 * ```ts
 * const answer = await isRevoked(auth.env)(token)()
 * assert.deepEqual(answer, E.right(false))
 * ```
 */
export const isRevoked =
  <TClaims, TRole extends string, TClaimsInput>(env: AuthEnv<TClaims, TRole, TClaimsInput>) =>
  (token: string): TaskEither<AuthError, boolean> =>
  () =>
    run(async () => {
      const signed = await checkSigned(env as AuthEnv<unknown, string, unknown>, token)
      if (!signed.ok) return signed
      const state = await storeState(env as AuthEnv<unknown, string, unknown>, signed.value.registered, env.clock.now())
      if (state.ok) return { ok: true, value: false }
      return state.error._tag === 'Revoked' || state.error._tag === 'RefreshReused' ? { ok: true, value: true } : state
    })
