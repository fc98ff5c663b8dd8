import * as v from 'valibot'
import { type AuthError, invalidClaims } from '../errors.js'

/** Claim names the library writes itself; a custom claims schema may not declare them. */
export const RESERVED_CLAIMS: ReadonlySet<string> = new Set([
  'sub',
  'jti',
  'iat',
  'exp',
  'nbf',
  'iss',
  'aud',
  'role',
  'fam',
  'is_guest',
  'device_id',
  'typ',
])

/** Member names that could reach an object's prototype; never accepted in a token. */
export const UNSAFE_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype'])

// Upper bound for NumericDate claims: year 2286 in seconds. A millisecond timestamp exceeds it.
const MAX_NUMERIC_DATE = 9_999_999_999
const MAX_ID_LENGTH = 256

const numericDate = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(MAX_NUMERIC_DATE))
const identifier = v.pipe(v.string(), v.minLength(1), v.maxLength(MAX_ID_LENGTH))

/** The registered and library claims every token carries, checked before the custom claims. */
export const RegisteredClaims = v.object({
  sub: identifier,
  jti: identifier,
  iat: numericDate,
  exp: numericDate,
  nbf: v.optional(numericDate),
  iss: v.optional(v.string()),
  aud: v.optional(v.union([v.string(), v.array(v.string())])),
  role: identifier,
  fam: v.optional(identifier),
  is_guest: v.optional(v.literal(true)),
  device_id: v.optional(identifier),
})

/** The output of {@link RegisteredClaims}. */
export type Registered = v.InferOutput<typeof RegisteredClaims>

/**
 * Checks the registered claims of a payload: the same rules as {@link RegisteredClaims}, written
 * out by hand for the verify hot path; valibot runs only on failure, to name the issues.
 */
export const registeredClaims = (
  payload: Readonly<Record<string, unknown>>,
): { readonly ok: true; readonly value: Registered } | { readonly ok: false; readonly error: AuthError } => {
  const { sub, jti, iat, exp, nbf, iss, aud, role, fam, is_guest, device_id } = payload
  if (
    isIdentifier(sub) &&
    isIdentifier(jti) &&
    isNumericDate(iat) &&
    isNumericDate(exp) &&
    isIdentifier(role) &&
    (nbf === undefined || isNumericDate(nbf)) &&
    (iss === undefined || typeof iss === 'string') &&
    (aud === undefined || typeof aud === 'string' || isStringArray(aud)) &&
    (fam === undefined || isIdentifier(fam)) &&
    (is_guest === undefined || is_guest === true) &&
    (device_id === undefined || isIdentifier(device_id))
  ) {
    const value: Record<string, unknown> = { sub, jti, iat, exp, role }
    if (nbf !== undefined) value.nbf = nbf
    if (iss !== undefined) value.iss = iss
    if (aud !== undefined) value.aud = aud
    if (fam !== undefined) value.fam = fam
    if (is_guest !== undefined) value.is_guest = is_guest
    if (device_id !== undefined) value.device_id = device_id
    return { ok: true, value: value as Registered }
  }
  const checked = v.safeParse(RegisteredClaims, payload)
  // Both checks agree by construction (a property test holds them to it); valibot names the issues.
  return checked.success ? { ok: true, value: checked.output } : { ok: false, error: invalidClaims(checked.issues) }
}

const isIdentifier = (value: unknown): value is string =>
  typeof value === 'string' && value.length >= 1 && value.length <= MAX_ID_LENGTH
const isNumericDate = (value: unknown): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= MAX_NUMERIC_DATE
const isStringArray = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((item) => typeof item === 'string')

/** The payload members that are not reserved: the input of the custom claims schema. */
export const customMembers = (payload: Readonly<Record<string, unknown>>): Record<string, unknown> => {
  const custom: Record<string, unknown> = {}
  for (const key of Object.keys(payload)) {
    if (!RESERVED_CLAIMS.has(key)) custom[key] = payload[key]
  }
  return custom
}

/** The entry names a claims schema declares, looking through `pipe`; `undefined` when it is not an object schema. */
export const declaredClaimNames = (schema: unknown): readonly string[] | undefined => {
  if (typeof schema !== 'object' || schema === null) return undefined
  const entries = (schema as { entries?: unknown }).entries
  if (typeof entries === 'object' && entries !== null) return Object.keys(entries)
  const pipe = (schema as { pipe?: unknown }).pipe
  return Array.isArray(pipe) && pipe.length > 0 ? declaredClaimNames(pipe[0]) : undefined
}

/** A valibot issue for a rule the library checks by hand, so every `InvalidClaims` carries issues alike. */
export const customIssue = (path: string, message: string, input: unknown): v.BaseIssue<unknown> => ({
  kind: 'validation',
  type: 'check',
  input,
  expected: null,
  received: typeof input,
  message,
  path: [{ type: 'object', origin: 'value', input: {}, key: path, value: input }],
})
