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
  const header = parseHeader(token.slice(0, first))
  if (typeof header === 'string') return fail(header)
  const payloadText = decodeText(token.slice(first + 1, second))
  if (payloadText === undefined) return fail('the payload is not canonical base64url UTF-8')
  const signature = token.slice(second + 1)
  if (signature.length === 0) return fail('the signature is empty')
  // The signature bytes are checked by the key; its spelling must be canonical here, or a
  // changed unused bit would leave the signature valid (one token, one spelling).
  const signatureBytes = decode(signature)
  if (signatureBytes === undefined) return fail('the signature is not canonical base64url')
  const payload = parseObject(payloadText)
  if (payload === undefined) return fail('the payload is not a JSON object with unique, unreserved member names')
  return { ok: true, token: { header, payload, signingInput: token.slice(0, second), signature, signatureBytes } }
}

const fail = (reason: string): ParseResult => ({ ok: false, reason })

// One issuer's tokens share a handful of header spellings: each is parsed once and remembered,
// frozen, but only once a token carrying it has passed its signature check, so that forged
// headers can never take the places. Bounded.
const HEADER_MEMO_SIZE = 64
const headerMemo = new Map<string, Readonly<Record<string, unknown>>>()

const parseHeader = (segment: string): Readonly<Record<string, unknown>> | string =>
  headerMemo.get(segment) ?? checkHeader(segment)

/** Remembers the header of a token whose signature verified, for the next tokens that share it. */
export const rememberHeader = (token: ParsedToken): void => {
  if (headerMemo.size >= HEADER_MEMO_SIZE) return
  const segment = token.signingInput.slice(0, token.signingInput.indexOf('.'))
  if (!headerMemo.has(segment)) headerMemo.set(segment, Object.freeze(token.header))
}

const checkHeader = (segment: string): Readonly<Record<string, unknown>> | string => {
  const text = decodeText(segment)
  if (text === undefined) return 'the header is not canonical base64url UTF-8'
  const header = parseObject(text)
  if (header === undefined) return 'the header is not a JSON object with unique, unreserved member names'
  for (const name of FORBIDDEN_HEADERS) {
    if (Object.hasOwn(header, name)) return `the header parameter "${name}" is not supported`
  }
  return header
}

const parseObject = (text: string): Record<string, unknown> | undefined => {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return undefined
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined
  return plainlyUnique(text, value) || !hasBadMember(text) ? (value as Record<string, unknown>) : undefined
}

/**
 * A shortcut past {@link hasBadMember} for compact JSON (what every issuer writes): without any
 * whitespace, each member name is followed at once by `":`, so the text holds at least as many
 * `":` as members. If that count equals the members JSON.parse kept, no name was repeated (a
 * repeat is kept once). Any doubt — whitespace, a `":` inside a string — falls back to the scan.
 */
const plainlyUnique = (text: string, value: object): boolean => {
  if (/\s/.test(text)) return false
  let colons = 0
  for (let at = text.indexOf('":'); at >= 0; at = text.indexOf('":', at + 2)) colons++
  const members = countMembers(value)
  return members >= 0 && colons === members
}

// Members of every object in a parsed JSON value; -1 when one has a name that could reach a
// prototype, or when it nests deeper than claims ever do (the iterative scan then decides, and no
// attacker-chosen depth can exhaust the stack).
const countMembers = (value: unknown, depth = 0): number => {
  if (typeof value !== 'object' || value === null) return 0
  if (depth > MAX_SHORTCUT_DEPTH) return -1
  let count = 0
  if (Array.isArray(value)) {
    for (const item of value) {
      const inner = countMembers(item, depth + 1)
      if (inner < 0) return -1
      count += inner
    }
    return count
  }
  for (const name in value) {
    if (UNSAFE_KEYS.has(name)) return -1
    const inner = countMembers((value as Record<string, unknown>)[name], depth + 1)
    if (inner < 0) return -1
    count += inner + 1
  }
  return count
}

const MAX_SHORTCUT_DEPTH = 32

/**
 * Whether any object in (already valid) JSON text names a member twice, or names one that could
 * reach a prototype (`__proto__`, `constructor`, `prototype`). RFC 8259 §4 leaves the
 * outcome to the parser, and parsers differ (first wins, last wins): a token that means one thing
 * here and another to a peer is refused (RFC 7515 §5.2 step 4, RFC 7519 §7.2 step 4).
 */
export const hasBadMember = (text: string): boolean => {
  // names[] holds the member names of every open object; starts[d] is where depth d's begin
  // (-1 for an array). Objects in a token are small: a linear search beats a Set per object.
  const names: string[] = []
  const starts: number[] = []
  let inObject = false
  let expectingName = false
  let at = 0
  for (;;) {
    const open = text.indexOf('"', at)
    const end = open < 0 ? text.length : open
    // Structure lies only between strings: walk it character by character.
    for (let i = at; i < end; i++) {
      const c = text.charCodeAt(i)
      if (c === 0x7b) {
        starts.push(names.length)
        inObject = expectingName = true
      } else if (c === 0x5b) {
        starts.push(-1)
        inObject = expectingName = false
      } else if (c === 0x7d || c === 0x5d) {
        const start = starts.pop() as number
        if (start >= 0) names.length = start
        inObject = starts.length > 0 && (starts[starts.length - 1] as number) >= 0
        expectingName = false
      } else if (c === 0x2c) {
        expectingName = inObject
      }
    }
    if (open < 0) return false
    // The closing quote is the first one not escaped by an odd run of backslashes.
    let close = text.indexOf('"', open + 1)
    while (close > 0 && isEscaped(text, close)) close = text.indexOf('"', close + 1)
    if (close < 0) return false
    if (expectingName) {
      const raw = text.slice(open + 1, close)
      const name = raw.includes('\\') ? (JSON.parse(`"${raw}"`) as string) : raw
      if (UNSAFE_KEYS.has(name)) return true
      for (let i = starts[starts.length - 1] as number; i < names.length; i++) if (names[i] === name) return true
      names.push(name)
      expectingName = false
    }
    at = close + 1
  }
}

const isEscaped = (text: string, quote: number): boolean => {
  let backslashes = 0
  for (let i = quote - 1; text.charCodeAt(i) === 0x5c; i--) backslashes++
  return backslashes % 2 === 1
}
