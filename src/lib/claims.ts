import * as v from 'valibot'

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
