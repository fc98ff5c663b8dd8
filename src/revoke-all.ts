import type { TaskEither } from 'fp-ts/lib/TaskEither.js'
import * as v from 'valibot'
import type { AuthEnv } from './config.js'
import { type AuthError, invalidClaims, storeUnavailable } from './errors.js'
import { run } from './lib/either.js'

const UserId = v.pipe(v.string('userId must be a string'), v.minLength(1, 'userId must be non-empty'), v.maxLength(256))

/**
 * Logs a user out everywhere: every token of `userId` issued up to now (same second included,
 * since `iat` has one-second resolution) stops verifying; tokens issued later pass.
 *
 * @example
 * ```ts
 * await revokeAll(auth.env)('123')()
 * ```
 */
export const revokeAll =
  <TClaims, TRole extends string, TClaimsInput>(env: AuthEnv<TClaims, TRole, TClaimsInput>) =>
  (userId: string): TaskEither<AuthError, void> =>
  () =>
    run(async () => {
      const checked = v.safeParse(UserId, userId)
      if (!checked.success) return { ok: false, error: invalidClaims(checked.issues) }
      const now = env.clock.now()
      const longest = Math.max(env.ttl.access, env.ttl.refresh, env.ttl.guest) + env.leeway
      try {
        await env.store.revokeUser({ userId, cutoff: now, expiresAt: now + longest * 1000 }, now)
      } catch (cause) {
        return { ok: false, error: storeUnavailable(cause) }
      }
      return { ok: true, value: undefined }
    })
