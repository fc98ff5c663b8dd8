import { decode, decodeText } from './base64url.js'
import { UNSAFE_KEYS } from './claims.js'

/** A compact JWS split and decoded, not yet verified. */
export interface ParsedToken {
  readonly header: Readonly<Record<string, unknown>>
  readonly payload: Readonly<Record<string, unknown>>
  /** `BASE64URL(header) || '.' || BASE64URL(payload)`, the bytes the signature covers. */
  readonly signingInput: string
  readonly signature: string
  /** The decoded signature. */
  readonly signatureBytes: Uint8Array
}

/** The outcome of {@link parseCompact}: a parsed token, or the rule it broke. */
export type ParseResult =
  | { readonly ok: true; readonly token: ParsedToken }
  | { readonly ok: false; readonly reason: string }

/** The default cap on a token's length, in characters, checked before any decoding. */
export const DEFAULT_MAX_TOKEN_LENGTH = 8192

// RFC 8725 §3.8 and §2.8: no header this library does not understand may steer verification.
// `crit`, `b64` (RFC 7797) and `zip` change what is signed; `jku`, `x5u`, `jwk`, `x5c` would let
// the token choose its own key; `cty` announces a nested token.
const FORBIDDEN_HEADERS = ['crit', 'b64', 'zip', 'jku', 'x5u', 'jwk', 'x5c', 'x5t', 'x5t#S256', 'cty', 'enc'] as const

/**
 * Splits and decodes a compact JWS strictly: a length cap first, exactly three segments,
 * canonical base64url, UTF-8 JSON objects for header and payload, no prototype keys.
 */
export const parseCompact = (token: unknown, maxLength: number): ParseResult => {
  if (typeof token !== 'string') return fail('the token is not a string')
  if (token.length === 0) return fail('the token is empty')
  if (token.length > maxLength) return fail(`the token is longer than ${maxLength} characters`)
  const first = token.indexOf('.')
  const second = first < 0 ? -1 : token.indexOf('.', first + 1)
  if (second < 0 || token.indexOf('.', second + 1) >= 0) return fail('a compact JWS has exactly three segments')
  const headerText = decodeText(token.slice(0, first))
  if (headerText === undefined) return fail('the header is not canonical base64url UTF-8')
  const payloadText = decodeText(token.slice(first + 1, second))
  if (payloadText === undefined) return fail('the payload is not canonical base64url UTF-8')
  const signature = token.slice(second + 1)
  if (signature.length === 0) return fail('the signature is empty')
  // The signature bytes are checked by the key; its spelling must be canonical here, or a
  // changed unused bit would leave the signature valid (one token, one spelling).
  const signatureBytes = decode(signature)
  if (signatureBytes === undefined) return fail('the signature is not canonical base64url')
  const header = parseObject(headerText)
  if (header === undefined) return fail('the header is not a JSON object with unique member names')
  const payload = parseObject(payloadText)
  if (payload === undefined) return fail('the payload is not a JSON object with unique member names')
  if (hasForbiddenKey(header) || hasForbiddenKey(payload)) return fail('a JSON member name is reserved')
  for (const name of FORBIDDEN_HEADERS) {
    if (Object.hasOwn(header, name)) return fail(`the header parameter "${name}" is not supported`)
  }
  return { ok: true, token: { header, payload, signingInput: token.slice(0, second), signature, signatureBytes } }
}

const fail = (reason: string): ParseResult => ({ ok: false, reason })

const parseObject = (text: string): Record<string, unknown> | undefined => {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return undefined
  }
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !hasDuplicateMember(text)
    ? (value as Record<string, unknown>)
    : undefined
}

/**
 * Whether any object in (already valid) JSON text names a member twice. RFC 8259 §4 leaves the
 * outcome to the parser, and parsers differ (first wins, last wins): a token that means one thing
 * here and another to a peer is refused (RFC 7515 §5.2 step 4, RFC 7519 §7.2 step 4).
 */
const hasDuplicateMember = (text: string): boolean => {
  const stack: (Set<string> | null)[] = []
  let expectingName = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c === 0x22) {
      const start = i
      let escaped = false
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i)
        if (d === 0x5c) {
          escaped = true
          i++
        } else if (d === 0x22) break
      }
      const members = stack.at(-1)
      if (expectingName && members) {
        const raw = text.slice(start, i + 1)
        const name = escaped ? (JSON.parse(raw) as string) : raw.slice(1, -1)
        if (members.has(name)) return true
        members.add(name)
        expectingName = false
      }
    } else if (c === 0x7b) {
      stack.push(new Set())
      expectingName = true
    } else if (c === 0x5b) {
      stack.push(null)
      expectingName = false
    } else if (c === 0x7d || c === 0x5d) {
      stack.pop()
      expectingName = false
    } else if (c === 0x2c) {
      expectingName = stack.at(-1) != null
    }
  }
  return false
}

const hasForbiddenKey = (value: unknown): boolean => {
  if (typeof value !== 'object' || value === null) return false
  if (Array.isArray(value)) return value.some(hasForbiddenKey)
  for (const key of Object.keys(value)) {
    if (UNSAFE_KEYS.has(key) || hasForbiddenKey((value as Record<string, unknown>)[key])) return true
  }
  return false
}
