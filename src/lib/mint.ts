import * as v from 'valibot'
import type { AuthEnv } from '../config.js'
import { signCompact } from '../crypto/jws.js'
import { type AuthError, invalidClaims, storeUnavailable } from '../errors.js'
import type { TokenKind } from '../principal.js'
import type { Checked } from './check.js'
import { customIssue, RESERVED_CLAIMS, UNSAFE_KEYS } from './claims.js'
import { type Duration, toSeconds } from './duration.js'

/** What a new user token says, before validation. */
export interface MintInput {
  readonly userId: unknown
  readonly role?: unknown
  readonly claims?: unknown
  readonly ttl?: unknown
}

/** Validated contents of a user token, ready to sign as an access or a refresh token. */
export interface MintPlan {
  readonly userId: string
  readonly role: string
  readonly claims: Readonly<Record<string, unknown>>
  readonly ttl: number | undefined
}

const MAX_ID_LENGTH = 256
const UserId = v.pipe(
  v.string('userId must be a string'),
  v.minLength(1, 'userId must be non-empty'),
  v.maxLength(MAX_ID_LENGTH, `userId must be at most ${MAX_ID_LENGTH} characters`),
  // A user id never looks like a guest's subject, so `revokeAll` and logs can't confuse the two.
  v.check((id) => !id.startsWith('guest:'), "userId must not start with 'guest:'"),
)

/** Validates user, role, ttl and custom claims (the schema's output is what gets signed). */
export const planUserToken = (
  env: AuthEnv<unknown, string, unknown>,
  input: MintInput,
  kind: TokenKind,
): Checked<MintPlan> => {
  if (typeof input !== 'object' || input === null) {
    return { ok: false, error: invalidClaims([customIssue('input', 'the input must be an object', input)]) }
  }
  const userId = v.safeParse(UserId, input.userId)
  if (!userId.success) return { ok: false, error: invalidClaims(userId.issues) }
  const role = input.role ?? env.defaultRole
  if (
    typeof role !== 'string' ||
    role === 'guest' ||
    role.length === 0 ||
    role.length > MAX_ID_LENGTH ||
    (env.roles !== undefined && !env.roles.has(role))
  ) {
    return {
      ok: false,
      error: invalidClaims([customIssue('role', 'the role is not one of the configured roles', role)]),
    }
  }
  const ttl = ttlOf(env, input.ttl, kind)
  if (!ttl.ok) return ttl
  const claims = v.safeParse(env.claims, input.claims ?? {})
  if (!claims.success) return { ok: false, error: invalidClaims(claims.issues) }
  const output = claims.output as Record<string, unknown>
  if (typeof output !== 'object' || output === null || Array.isArray(output)) {
    return {
      ok: false,
      error: invalidClaims([customIssue('claims', 'the claims schema must output an object', output)]),
    }
  }
  const reserved = Object.keys(output).find((name) => RESERVED_CLAIMS.has(name) || UNSAFE_KEYS.has(name))
  if (reserved !== undefined) {
    return {
      ok: false,
      error: invalidClaims([customIssue(reserved, `"${reserved}" is a reserved claim name`, output[reserved])]),
    }
  }
  return { ok: true, value: { userId: userId.output, role, claims: output, ttl: ttl.value } }
}

/** A per-call TTL may shorten the configured lifetime of its kind, never lengthen it. */
export const ttlOf = (
  env: AuthEnv<unknown, string, unknown>,
  ttl: unknown,
  kind: TokenKind | 'guest',
): Checked<number | undefined> => {
  if (ttl === undefined) return { ok: true, value: undefined }
  const seconds = toSeconds(ttl as Duration)
  const max = kind === 'access' ? env.ttl.access : kind === 'refresh' ? env.ttl.refresh : env.ttl.guest
  if (seconds === undefined || seconds <= 0 || seconds > max) {
    return {
      ok: false,
      error: invalidClaims([customIssue('ttl', `the ttl must be a positive duration of at most ${max} seconds`, ttl)]),
    }
  }
  return { ok: true, value: seconds }
}

/**
 * An id from the `ids` port, checked as verify will check it: a port that answers an empty or
 * overlong id fails the issue (a port failure) instead of signing a token that can never verify.
 */
export const freshId = (env: AuthEnv<unknown, string, unknown>, maxLength = MAX_ID_LENGTH): string => {
  const id = env.ids()
  if (typeof id !== 'string' || id.length === 0 || id.length > maxLength) {
    throw new TypeError(`the ids port must answer a non-empty string of at most ${maxLength} characters`)
  }
  return id
}

/** Registered claims every token gets: id, times, issuer and audience. */
export const baseClaims = (
  env: AuthEnv<unknown, string, unknown>,
  sub: string,
  ttl: number,
  now: number,
): Record<string, unknown> => {
  const iat = Math.floor(now / 1000)
  const claims: Record<string, unknown> = { sub, jti: freshId(env), iat, exp: iat + ttl }
  if (env.issuer !== undefined) claims.iss = env.issuer
  if (env.audience !== undefined) claims.aud = env.audience.length === 1 ? env.audience[0] : env.audience
  return claims
}

/** Signs a planned user token of one kind, optionally in a refresh family. */
export const signUserToken = (
  env: AuthEnv<unknown, string, unknown>,
  plan: MintPlan,
  kind: TokenKind,
  familyId: string | undefined,
  now: number,
): Promise<string> => {
  const ttl = plan.ttl ?? (kind === 'access' ? env.ttl.access : env.ttl.refresh)
  const payload = baseClaims(env, plan.userId, ttl, now)
  payload.role = plan.role
  if (familyId !== undefined) payload.fam = familyId
  Object.assign(payload, plan.claims)
  // RFC 9068 §2.1: access tokens are typed at+jwt; refresh tokens get their own type (RFC 8725 §3.11).
  return signCompact(env.keys, kind === 'access' ? 'at+jwt' : 'rt+jwt', payload)
}

/** Runs a signing step, turning a failure of the key or of the `ids` port into a `Left`. */
export const signing = async <T>(run: () => Promise<T>): Promise<Checked<T>> => {
  try {
    return { ok: true, value: await run() }
  } catch (cause) {
    return { ok: false, error: signingFailed(cause) }
  }
}

const signingFailed = (cause: unknown): AuthError => storeUnavailable(cause)
