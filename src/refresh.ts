import type { TaskEither } from 'fp-ts/lib/TaskEither.js'
import type { AuthEnv } from './config.js'
import { type AuthError, refreshReused, revoked, storeUnavailable } from './errors.js'
import { signPair } from './issue-pair.js'
import { type Checked, checkToken } from './lib/check.js'
import { run } from './lib/either.js'
import { type MintPlan, planUserToken, signing } from './lib/mint.js'
import type { TokenPair, UserPrincipal } from './principal.js'

/**
 * Rotates a refresh token (RFC 9700 §4.14.2): verifies it, issues a new pair in the same family,
 * then consumes the old token atomically. A refresh token presented a second time answers
 * `RefreshReused` and revokes its whole family, access tokens included.
 *
 * The new pair is signed before the old token is consumed, so a failure leaves the old token
 * usable instead of locking the user out; a store that cannot consume answers `StoreUnavailable`.
 *
 * @example
 * ```ts
 * const pair = await refresh(auth.env)(refreshToken)()
 * if (E.isLeft(pair) && pair.left._tag === 'RefreshReused') notifySecurityTeam()
 * ```
 */
export const refresh =
  <TClaims, TRole extends string, TClaimsInput>(env: AuthEnv<TClaims, TRole, TClaimsInput>) =>
  (refreshToken: string): TaskEither<AuthError, TokenPair> =>
  () =>
    run(async () => {
      const base = env as unknown as AuthEnv<unknown, string, unknown>
      // The new pair is dated from before the check: if a reuse elsewhere revokes the family after
      // this check passed, the denial (refreshTtl from its own, later, moment) outlives the pair.
      const started = env.clock.now()
      const checked = await checkToken(env, refreshToken, 'refresh')
      if (!checked.ok) return checked
      const { registered, principal } = checked.value
      const familyId = registered.fam as string
      const plan = await nextPlan(base, principal as UserPrincipal<unknown, string>)
      if (!plan.ok) return plan
      const pair = await signing(() => signPair(base, plan.value, familyId, started))
      if (!pair.ok) return pair
      const now = env.clock.now()
      const leeway = env.leeway * 1000
      let first: boolean
      try {
        first = await env.store.consume(
          { userId: registered.sub, tokenId: registered.jti, expiresAt: registered.exp * 1000 + leeway },
          now,
        )
      } catch (cause) {
        return { ok: false, error: storeUnavailable(cause) }
      }
      if (first) return pair
      // RFC 9700 §4.14.2: reuse means theft or a replay; end the whole family, every member of it.
      try {
        await env.store.revokeFamily(
          { userId: registered.sub, familyId, expiresAt: now + env.ttl.refresh * 1000 + leeway },
          now,
        )
      } catch (cause) {
        return { ok: false, error: storeUnavailable(cause) }
      }
      return { ok: false, error: refreshReused() }
    })

// Claims carry over from the refresh token unless a `loadClaims` port gives the current ones.
const nextPlan = async (
  env: AuthEnv<unknown, string, unknown>,
  principal: UserPrincipal<unknown, string>,
): Promise<Checked<MintPlan>> => {
  if (env.loadClaims === undefined) {
    return planUserToken(env, { userId: principal.userId, role: principal.role, claims: principal.claims }, 'refresh')
  }
  let loaded: Awaited<ReturnType<NonNullable<typeof env.loadClaims>>>
  try {
    loaded = await env.loadClaims(principal.userId)
  } catch (cause) {
    return { ok: false, error: storeUnavailable(cause) }
  }
  if (loaded === null || loaded === undefined) return { ok: false, error: revoked() }
  return planUserToken(
    env,
    { userId: principal.userId, role: loaded.role ?? principal.role, claims: loaded.claims },
    'refresh',
  )
}
