import * as v from 'valibot'
import type { AuthEnv } from '../config.js'
import { verifySignature } from '../crypto/jws.js'
import {
  type AuthError,
  expired,
  invalidAudience,
  invalidClaims,
  invalidIssuer,
  malformed,
  notYetValid,
  refreshReused,
  revoked,
  storeUnavailable,
  wrongKind,
} from '../errors.js'
import type { TokenState } from '../ports/store.js'
import type { Principal, TokenKind } from '../principal.js'
import { customIssue, customMembers, type Registered, registeredClaims } from './claims.js'
import { type ParsedToken, parseCompact, rememberHeader } from './compact.js'

/** A token whose signature, kind, time window and claims all passed. */
export interface CheckedToken<TClaims, TRole extends string> {
  readonly kind: TokenKind
  readonly registered: Registered
  readonly principal: Principal<TClaims, TRole>
}

/** A result without fp-ts allocation on the hot path; the verbs lift it into `Either`. */
export type Checked<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: AuthError }

const ok = <T>(value: T): Checked<T> => ({ ok: true, value })
const fail = <T>(error: AuthError): Checked<T> => ({ ok: false, error })

/** A token whose signature and registered claims passed, whatever its time window: what `revoke` needs. */
export interface SignedToken {
  readonly kind: TokenKind
  readonly registered: Registered
  readonly payload: Readonly<Record<string, unknown>>
}

/** A value now, or later: the hot path stays synchronous until it must wait. */
export type Eventually<T> = T | Promise<T>

/** Parses a token, checks its signature with the key ring, its `typ` and its registered claims. */
export const checkSigned = (
  env: AuthEnv<unknown, string, unknown>,
  token: unknown,
): Eventually<Checked<SignedToken>> => {
  const parsed = parseCompact(token, env.maxTokenLength)
  if (!parsed.ok) return fail(malformed(parsed.reason))
  const signatureError = verifySignature(env.keys, parsed.token)
  return signatureError instanceof Promise
    ? signatureError.then((error) => afterSignature(parsed.token, error))
    : afterSignature(parsed.token, signatureError)
}

const afterSignature = (token: ParsedToken, signatureError: AuthError | undefined): Checked<SignedToken> => {
  if (signatureError !== undefined) return fail(signatureError)
  rememberHeader(token)
  const { header, payload } = token
  const kind = kindOf(header.typ)
  if (kind === undefined) return fail(malformed('the header "typ" is not at+jwt or rt+jwt'))
  const registered = registeredClaims(payload)
  if (!registered.ok) return registered
  const shape = shapeError(kind, registered.value)
  if (shape !== undefined) return fail(shape)
  return ok({ kind, registered: registered.value, payload })
}

/** What verifying a token proved that neither time nor the store can change: what the cache holds. */
export type CachedToken = CheckedToken<unknown, string>

/**
 * Every check a token must pass before it speaks for anyone, in RFC 8725 order: signature
 * first, then kind, claims, issuer, audience; then, on every call even when the token is
 * cached, its kind, its time window against the clock, and last the store (one round trip).
 */
export const checkToken = <TClaims, TRole extends string>(
  env: AuthEnv<TClaims, TRole, unknown>,
  token: unknown,
  expected: TokenKind,
): Eventually<Checked<CheckedToken<TClaims, TRole>>> => {
  const cached = env.cache !== undefined && typeof token === 'string' ? env.cache.get(token) : undefined
  if (cached !== undefined) return finish(env, token as string, cached as CheckedToken<TClaims, TRole>, expected, true)
  const proved = prove(env, token)
  return proved instanceof Promise
    ? proved.then((result) => (result.ok ? finish(env, token as string, result.value, expected, false) : result))
    : proved.ok
      ? finish(env, token as string, proved.value, expected, false)
      : proved
}

// The checks that depend on the moment and on the store run on every call, cached or not.
const finish = <TClaims, TRole extends string>(
  env: AuthEnv<TClaims, TRole, unknown>,
  token: string,
  checked: CheckedToken<TClaims, TRole>,
  expected: TokenKind,
  wasCached: boolean,
): Eventually<Checked<CheckedToken<TClaims, TRole>>> => {
  const { kind, registered } = checked
  if (kind !== expected) return fail(wrongKind(expected))
  const now = env.clock.now()
  const timeError = timeWindowError(env.leeway, registered, now)
  if (timeError !== undefined) {
    if (wasCached && timeError._tag === 'Expired') env.cache?.delete(token)
    return fail(timeError)
  }
  const state = storeState(env as AuthEnv<unknown, string, unknown>, registered, now)
  if (state instanceof Promise) {
    return state.then((result) => settle(env as AuthEnv<unknown, string, unknown>, token, checked, wasCached, result))
  }
  return settle(env as AuthEnv<unknown, string, unknown>, token, checked, wasCached, state)
}

const settle = <T extends CachedToken>(
  env: AuthEnv<unknown, string, unknown>,
  token: string,
  checked: T,
  wasCached: boolean,
  state: Checked<undefined>,
): Checked<T> => {
  if (!state.ok) return state
  // Only a token that passed everything is remembered (failures never are), from its second use
  // on. A cached principal is shared by later verifications: nobody may change it.
  const cache = env.cache
  if (!wasCached && cache !== undefined && cache.admit(token)) cache.set(token, deepFreeze(checked))
  return ok(checked)
}

// The checks whose answer depends only on the token and the configuration.
const prove = <TClaims, TRole extends string>(
  env: AuthEnv<TClaims, TRole, unknown>,
  token: unknown,
): Eventually<Checked<CheckedToken<TClaims, TRole>>> => {
  const signed = checkSigned(env as AuthEnv<unknown, string, unknown>, token)
  return signed instanceof Promise ? signed.then((result) => proveClaims(env, result)) : proveClaims(env, signed)
}

const proveClaims = <TClaims, TRole extends string>(
  env: AuthEnv<TClaims, TRole, unknown>,
  signed: Checked<SignedToken>,
): Checked<CheckedToken<TClaims, TRole>> => {
  if (!signed.ok) return signed
  const { kind, registered, payload } = signed.value
  const maxTtl = kind === 'refresh' ? env.ttl.refresh : registered.is_guest === true ? env.ttl.guest : env.ttl.access
  if (registered.exp - registered.iat > maxTtl || registered.exp <= registered.iat) {
    return fail(invalidClaims([customIssue('exp', 'the token lives longer than its kind allows', registered.exp)]))
  }
  if (env.issuer !== undefined && registered.iss !== env.issuer) return fail(invalidIssuer())
  if (env.audience !== undefined && !audienceMatches(env.audience, registered.aud)) return fail(invalidAudience())
  const principal = toPrincipal(env, registered, payload)
  if (!principal.ok) return principal
  return ok({ kind, registered, principal: principal.value })
}

const deepFreeze = <T>(value: T): T => {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key])
  }
  return value
}

/** Asks the store about a token: `Revoked`, `StoreUnavailable`, or nothing to object. */
export const storeState = (
  env: AuthEnv<unknown, string, unknown>,
  registered: Registered,
  now: number,
): Eventually<Checked<undefined>> => {
  let answer: TokenState | Promise<TokenState>
  try {
    answer = env.store.check(
      { userId: registered.sub, tokenId: registered.jti, familyId: registered.fam, issuedAt: registered.iat * 1000 },
      now,
    )
  } catch (cause) {
    return fail(storeUnavailable(cause))
  }
  return answer instanceof Promise
    ? answer.then(stateToChecked, (cause: unknown) => fail(storeUnavailable(cause)))
    : stateToChecked(answer)
}

const stateToChecked = (state: unknown): Checked<undefined> =>
  state === 'active' ? ACTIVE : state === 'reused' ? fail(refreshReused()) : fail(revoked())

const ACTIVE: Checked<undefined> = { ok: true, value: undefined }

// RFC 9068 §4: `typ` is compared case-insensitively, with or without the `application/` prefix.
const kindOf = (typ: unknown): TokenKind | undefined => {
  if (typeof typ !== 'string') return undefined
  const lower = typ.toLowerCase()
  const bare = lower.startsWith('application/') ? lower.slice('application/'.length) : lower
  return bare === 'at+jwt' ? 'access' : bare === 'rt+jwt' ? 'refresh' : undefined
}

// A refresh token always belongs to a family and never to a guest; a guest token is consistent in itself.
const shapeError = (kind: TokenKind, claims: Registered): AuthError | undefined => {
  if (kind === 'refresh') {
    if (claims.fam === undefined)
      return invalidClaims([customIssue('fam', 'a refresh token needs a family', undefined)])
    if (claims.is_guest === true) return invalidClaims([customIssue('is_guest', 'a guest has no refresh token', true)])
    return undefined
  }
  if (claims.is_guest === true) {
    if (claims.role !== 'guest' || claims.device_id === undefined || claims.sub !== `guest:${claims.device_id}`) {
      return invalidClaims([customIssue('is_guest', 'a guest token is inconsistent', claims.sub)])
    }
    return undefined
  }
  if (claims.device_id !== undefined || claims.role === 'guest' || claims.sub.startsWith('guest:')) {
    return invalidClaims([customIssue('role', 'only a guest token carries the guest role or a device', claims.role)])
  }
  return undefined
}

const timeWindowError = (leewaySeconds: number, claims: Registered, now: number): AuthError | undefined => {
  const leeway = leewaySeconds * 1000
  // RFC 7519 §4.1.4: valid only while now < exp; the leeway widens the window on both sides.
  if (now >= claims.exp * 1000 + leeway) return expired(claims.exp)
  if (now < claims.iat * 1000 - leeway) return notYetValid()
  if (claims.nbf !== undefined && now < claims.nbf * 1000 - leeway) return notYetValid()
  return undefined
}

const audienceMatches = (accepted: readonly string[], aud: string | string[] | undefined): boolean => {
  if (aud === undefined) return false
  if (typeof aud === 'string') return accepted.includes(aud)
  return aud.some((one) => accepted.includes(one))
}

const toPrincipal = <TClaims, TRole extends string>(
  env: AuthEnv<TClaims, TRole, unknown>,
  claims: Registered,
  payload: Readonly<Record<string, unknown>>,
): Checked<Principal<TClaims, TRole>> => {
  if (claims.is_guest === true) {
    return ok({
      isGuest: true,
      userId: claims.sub,
      role: 'guest',
      deviceId: claims.device_id as string,
      tokenId: claims.jti,
      issuedAt: claims.iat,
      expiresAt: claims.exp,
    })
  }
  if (env.roles !== undefined && !env.roles.has(claims.role)) {
    return fail(invalidClaims([customIssue('role', 'the role is not one of the configured roles', claims.role)]))
  }
  const custom = v.safeParse(env.claims, customMembers(payload))
  if (!custom.success) return fail(invalidClaims(custom.issues))
  return ok({
    isGuest: false,
    userId: claims.sub,
    role: claims.role as TRole,
    claims: custom.output,
    tokenId: claims.jti,
    issuedAt: claims.iat,
    expiresAt: claims.exp,
  })
}
