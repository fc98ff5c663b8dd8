import type { BaseIssue } from 'valibot'

// model

/** Why a token or a request was refused: a closed union, discriminated on `_tag`. */
export type AuthError =
  | Malformed
  | InvalidSignature
  | UnknownKey
  | AlgorithmNotAllowed
  | Expired
  | NotYetValid
  | InvalidIssuer
  | InvalidAudience
  | WrongKind
  | InvalidClaims
  | Revoked
  | RefreshReused
  | StoreUnavailable

/** Every `_tag` an {@link AuthError} can carry. */
export type AuthErrorTag = AuthError['_tag']

/** The token is not a well-formed compact JWS/JWT; `reason` says which rule it broke. */
export interface Malformed {
  readonly _tag: 'Malformed'
  readonly message: string
  readonly reason: string
}

/** The signature does not match the header and payload under the selected key. */
export interface InvalidSignature {
  readonly _tag: 'InvalidSignature'
  readonly message: string
}

/** The header names a key (`kid`) that the key ring does not hold. */
export interface UnknownKey {
  readonly _tag: 'UnknownKey'
  readonly message: string
  readonly cause?: unknown
}

/** The header's `alg` is not the algorithm of the selected key. */
export interface AlgorithmNotAllowed {
  readonly _tag: 'AlgorithmNotAllowed'
  readonly message: string
}

/** The token's `exp` (plus leeway) has passed. */
export interface Expired {
  readonly _tag: 'Expired'
  readonly message: string
  /** When the token expired, epoch seconds. */
  readonly expiredAt: number
}

/** The token's `nbf` or `iat` lies in the future beyond the leeway. */
export interface NotYetValid {
  readonly _tag: 'NotYetValid'
  readonly message: string
}

/** The token's `iss` is not the configured issuer. */
export interface InvalidIssuer {
  readonly _tag: 'InvalidIssuer'
  readonly message: string
}

/** The token's `aud` does not name the configured audience. */
export interface InvalidAudience {
  readonly _tag: 'InvalidAudience'
  readonly message: string
}

/** A token of one kind was presented where another is expected (RFC 8725 §3.11). */
export interface WrongKind {
  readonly _tag: 'WrongKind'
  readonly message: string
  readonly expected: TokenKindExpectation
}

/** Which kinds of token a check accepts. */
export type TokenKindExpectation = 'access' | 'refresh'

/** The claims do not match the claims schema, the roles or the registered claim rules. */
export interface InvalidClaims {
  readonly _tag: 'InvalidClaims'
  readonly message: string
  readonly issues: ReadonlyArray<BaseIssue<unknown>>
}

/** The token was revoked, its family was revoked, or its user logged out everywhere. */
export interface Revoked {
  readonly _tag: 'Revoked'
  readonly message: string
}

/** A refresh token was presented a second time; its whole family is now revoked (RFC 9700 §4.14). */
export interface RefreshReused {
  readonly _tag: 'RefreshReused'
  readonly message: string
}

/** The token store (or another port) failed; the operation failed closed. */
export interface StoreUnavailable {
  readonly _tag: 'StoreUnavailable'
  readonly message: string
  readonly cause: unknown
}

// constructors

/** Constructs a {@link Malformed} error. */
export const malformed = (reason: string): AuthError => ({
  _tag: 'Malformed',
  message: 'The token is malformed.',
  reason,
})

/** Constructs an {@link InvalidSignature} error. */
export const invalidSignature = (): AuthError => ({
  _tag: 'InvalidSignature',
  message: 'The token signature is invalid.',
})

/** Constructs an {@link UnknownKey} error. */
export const unknownKey = (cause?: unknown): AuthError =>
  cause === undefined
    ? { _tag: 'UnknownKey', message: 'The token was signed with an unknown key.' }
    : { _tag: 'UnknownKey', message: 'The token was signed with an unknown key.', cause }

/** Constructs an {@link AlgorithmNotAllowed} error. */
export const algorithmNotAllowed = (): AuthError => ({
  _tag: 'AlgorithmNotAllowed',
  message: 'The token algorithm is not allowed for its key.',
})

/** Constructs an {@link Expired} error. */
export const expired = (expiredAt: number): AuthError => ({
  _tag: 'Expired',
  message: 'The token has expired.',
  expiredAt,
})

/** Constructs a {@link NotYetValid} error. */
export const notYetValid = (): AuthError => ({
  _tag: 'NotYetValid',
  message: 'The token is not valid yet.',
})

/** Constructs an {@link InvalidIssuer} error. */
export const invalidIssuer = (): AuthError => ({
  _tag: 'InvalidIssuer',
  message: 'The token issuer is not accepted.',
})

/** Constructs an {@link InvalidAudience} error. */
export const invalidAudience = (): AuthError => ({
  _tag: 'InvalidAudience',
  message: 'The token audience is not accepted.',
})

/** Constructs a {@link WrongKind} error. */
export const wrongKind = (expected: TokenKindExpectation): AuthError => ({
  _tag: 'WrongKind',
  message:
    expected === 'refresh' ? 'A refresh token is required.' : 'An access token is required, not a refresh token.',
  expected,
})

/** Constructs an {@link InvalidClaims} error. */
export const invalidClaims = (issues: ReadonlyArray<BaseIssue<unknown>>): AuthError => ({
  _tag: 'InvalidClaims',
  message: 'The token claims are invalid.',
  issues,
})

/** Constructs a {@link Revoked} error. */
export const revoked = (): AuthError => ({
  _tag: 'Revoked',
  message: 'The token has been revoked.',
})

/** Constructs a {@link RefreshReused} error. */
export const refreshReused = (): AuthError => ({
  _tag: 'RefreshReused',
  message: 'The refresh token was already used; its session has been revoked.',
})

/** Constructs a {@link StoreUnavailable} error. */
export const storeUnavailable = (cause: unknown): AuthError => ({
  _tag: 'StoreUnavailable',
  message: 'The token store is unavailable.',
  cause,
})

// refinements

/** Tells whether a value is an {@link AuthError}. */
export const isAuthError = (value: unknown): value is AuthError =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as { _tag?: unknown })._tag === 'string' &&
  Object.hasOwn(AUTH_ERROR_TAGS, (value as { _tag: string })._tag)

const AUTH_ERROR_TAGS: Record<AuthErrorTag, true> = {
  Malformed: true,
  InvalidSignature: true,
  UnknownKey: true,
  AlgorithmNotAllowed: true,
  Expired: true,
  NotYetValid: true,
  InvalidIssuer: true,
  InvalidAudience: true,
  WrongKind: true,
  InvalidClaims: true,
  Revoked: true,
  RefreshReused: true,
  StoreUnavailable: true,
}

// configuration

/** Thrown by `createAuth` (and the key constructors) when the configuration is invalid. */
export class AuthConfigError extends Error {
  override readonly name = 'AuthConfigError'
  /** The configuration field at fault, as a dot path (`accessTtl`, `roles`, `claims.sub`). */
  readonly field: string

  constructor(field: string, problem: string) {
    super(`Invalid auth configuration: ${field}: ${problem}`)
    this.field = field
  }
}
