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
  revoked,
  storeUnavailable,
  wrongKind,
} from '../errors.js'
import type { Principal, TokenKind } from '../principal.js'
import { customIssue, customMembers, type Registered, RegisteredClaims } from './claims.js'
import { parseCompact } from './compact.js'

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

/** Parses a token, checks its signature with the key ring, its `typ` and its registered claims. */
export const checkSigned = async (
  env: AuthEnv<unknown, string, unknown>,
  token: unknown,
): Promise<Checked<SignedToken>> => {
  const parsed = parseCompact(token, env.maxTokenLength)
  if (!parsed.ok) return fail(malformed(parsed.reason))
  const { header, payload } = parsed.token
  const signatureError = await verifySignature(env.keys, parsed.token)
  if (signatureError !== undefined) return fail(signatureError)
  const kind = kindOf(header.typ)
  if (kind === undefined) return fail(malformed('the header "typ" is not at+jwt or rt+jwt'))
  const registered = v.safeParse(RegisteredClaims, payload)
  if (!registered.success) return fail(invalidClaims(registered.issues))
  const shape = shapeError(kind, registered.output)
  if (shape !== undefined) return fail(shape)
  return ok({ kind, registered: registered.output, payload })
}

/**
 * Every check a token must pass before it speaks for anyone, in RFC 8725 order: signature
 * first, then kind, time, issuer, audience, claims, and last the store (one round trip).
 */
export const checkToken = async <TClaims, TRole extends string>(
  env: AuthEnv<TClaims, TRole, unknown>,
  token: unknown,
  expected: TokenKind,
): Promise<Checked<CheckedToken<TClaims, TRole>>> => {
  const signed = await checkSigned(env as AuthEnv<unknown, string, unknown>, token)
  if (!signed.ok) return signed
  const { kind, registered, payload } = signed.value
  if (kind !== expected) return fail(wrongKind(expected))
  const now = env.clock.now()
  const timeError = timeWindowError(env, kind, registered, now)
  if (timeError !== undefined) return fail(timeError)
  if (env.issuer !== undefined && registered.iss !== env.issuer) return fail(invalidIssuer())
  if (env.audience !== undefined && !audienceMatches(env.audience, registered.aud)) return fail(invalidAudience())
  const principal = toPrincipal(env, registered, payload)
  if (!principal.ok) return principal
  const state = await storeState(env, registered, now)
  if (!state.ok) return state
  return ok({ kind, registered, principal: principal.value })
}

/** Asks the store about a token: `Revoked`, `StoreUnavailable`, or nothing to object. */
export const storeState = async (
  env: AuthEnv<unknown, string, unknown>,
  registered: Registered,
  now: number,
): Promise<Checked<undefined>> => {
  try {
    const state = await env.store.check(
      { userId: registered.sub, tokenId: registered.jti, familyId: registered.fam, issuedAt: registered.iat * 1000 },
      now,
    )
    return state === 'active' ? ok(undefined) : fail(revoked())
  } catch (cause) {
    return fail(storeUnavailable(cause))
  }
}

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

const timeWindowError = (
  env: AuthEnv<unknown, string, unknown>,
  kind: TokenKind,
  claims: Registered,
  now: number,
): AuthError | undefined => {
  const leeway = env.leeway * 1000
  // RFC 7519 §4.1.4: valid only while now < exp; the leeway widens the window on both sides.
  if (now >= claims.exp * 1000 + leeway) return expired(claims.exp)
  if (now < claims.iat * 1000 - leeway) return notYetValid()
  if (claims.nbf !== undefined && now < claims.nbf * 1000 - leeway) return notYetValid()
  const maxTtl = kind === 'refresh' ? env.ttl.refresh : claims.is_guest === true ? env.ttl.guest : env.ttl.access
  if (claims.exp - claims.iat > maxTtl || claims.exp <= claims.iat) {
    return invalidClaims([customIssue('exp', 'the token lives longer than its kind allows', claims.exp)])
  }
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
