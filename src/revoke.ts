import type { TaskEither } from 'fp-ts/lib/TaskEither.js'
import type { AuthEnv } from './config.js'
import { type AuthError, storeUnavailable } from './errors.js'
import { checkSigned } from './lib/check.js'
import { run } from './lib/either.js'

/**
 * Revokes one token (access, guest or refresh): it must carry a valid signature; its `jti` is
 * then denied until the token would have expired. An invalid token writes nothing.
 *
 * @example
 * ```ts
 * await revoke(auth.env)(accessToken)()
 * const again = await verify(auth.env)(accessToken)()
 * assert.ok(E.isLeft(again) && again.left._tag === 'Revoked')
 * ```
 */
export const revoke =
  <TClaims, TRole extends string, TClaimsInput>(env: AuthEnv<TClaims, TRole, TClaimsInput>) =>
  (token: string): TaskEither<AuthError, void> =>
  () =>
    run(async () => {
      const signed = await checkSigned(env as AuthEnv<unknown, string, unknown>, token)
      if (!signed.ok) return signed
      const { sub, jti, exp } = signed.value.registered
      const now = env.clock.now()
      try {
        // An entry that would expire at once is not written: the token can no longer verify.
        await env.store.revoke({ userId: sub, tokenId: jti, expiresAt: exp * 1000 + env.leeway * 1000 }, now)
      } catch (cause) {
        return { ok: false, error: storeUnavailable(cause) }
      }
      return { ok: true, value: undefined }
    })
