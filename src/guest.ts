import type { TaskEither } from 'fp-ts/lib/TaskEither.js'
import * as v from 'valibot'
import type { AuthEnv } from './config.js'
import { signCompact } from './crypto/jws.js'
import { type AuthError, invalidClaims } from './errors.js'
import { customIssue } from './lib/claims.js'
import type { Duration } from './lib/duration.js'
import { run } from './lib/either.js'
import { baseClaims, freshId, signing, ttlOf } from './lib/mint.js'

/** What `guest` takes. */
export interface GuestInput {
  /** The client's device id (an assertion, not a proof); generated when absent. */
  readonly deviceId?: string
  /** Shortens the configured guest lifetime; it can never lengthen it. */
  readonly ttl?: Duration
}

const DeviceId = v.pipe(
  v.string('deviceId must be a string'),
  v.minLength(1, 'deviceId must be non-empty'),
  v.maxLength(200, 'deviceId must be at most 200 characters'),
)

/**
 * Issues a guest (device) token: an access token with role `'guest'`, `is_guest: true`,
 * `device_id` and `sub: guest:<deviceId>`. Guests have no refresh token.
 *
 * @example
 * ```ts
 * const token = await guest(auth.env)({ deviceId: 'ios-42' })()
 * assert.ok(E.isRight(token))
 * ```
 */
export const guest =
  <TClaims, TRole extends string, TClaimsInput>(env: AuthEnv<TClaims, TRole, TClaimsInput>) =>
  (input: GuestInput = {}): TaskEither<AuthError, string> =>
  () =>
    run(async () => {
      if (typeof input !== 'object' || input === null) {
        return { ok: false, error: invalidClaims([customIssue('input', 'the input must be an object', input)]) }
      }
      const ttl = ttlOf(env as AuthEnv<unknown, string, unknown>, input.ttl, 'guest')
      if (!ttl.ok) return ttl
      const requested = input.deviceId
      const deviceId = requested === undefined ? undefined : v.safeParse(DeviceId, requested)
      if (deviceId !== undefined && !deviceId.success) return { ok: false, error: invalidClaims(deviceId.issues) }
      return signing(async () => {
        const device = deviceId?.output ?? freshId(env as AuthEnv<unknown, string, unknown>, 200)
        const payload = baseClaims(
          env as AuthEnv<unknown, string, unknown>,
          `guest:${device}`,
          ttl.value ?? env.ttl.guest,
          env.clock.now(),
        )
        payload.role = 'guest'
        payload.is_guest = true
        payload.device_id = device
        return signCompact(env.keys, 'at+jwt', payload)
      })
    })
