// RFC 7515 §2 base64url without padding, strict: one spelling per byte string (RFC 4648 §3.5).

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
const DECODE = new Int16Array(128).fill(-1)
for (let i = 0; i < ALPHABET.length; i++) DECODE[ALPHABET.charCodeAt(i)] = i

/** Encodes bytes as unpadded base64url. */
export const encode = (bytes: Uint8Array): string => {
  let out = ''
  let i = 0
  for (; i + 2 < bytes.length; i += 3) {
    const n = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8) | (bytes[i + 2] as number)
    out += ALPHABET[n >>> 18]! + ALPHABET[(n >>> 12) & 63]! + ALPHABET[(n >>> 6) & 63]! + ALPHABET[n & 63]!
  }
  const rest = bytes.length - i
  if (rest === 1) {
    const n = (bytes[i] as number) << 16
    out += ALPHABET[n >>> 18]! + ALPHABET[(n >>> 12) & 63]!
  } else if (rest === 2) {
    const n = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8)
    out += ALPHABET[n >>> 18]! + ALPHABET[(n >>> 12) & 63]! + ALPHABET[(n >>> 6) & 63]!
  }
  return out
}

const CANONICAL = /^[A-Za-z0-9_-]*$/

/**
 * Decodes unpadded base64url to a binary string (one character per byte), or `undefined` when
 * the text is not canonical: a character outside the alphabet, padding, a length of 1 mod 4, or
 * non-zero unused trailing bits (two spellings of one byte string).
 */
export const decodeBinary = (text: string): string | undefined => {
  const rest = text.length % 4
  if (rest === 1 || !CANONICAL.test(text)) return undefined
  if (rest !== 0) {
    const last = DECODE[text.charCodeAt(text.length - 1)] as number
    if ((last & (rest === 2 ? 0x0f : 0x03)) !== 0) return undefined
  }
  // The alphabet was checked above, so `atob`'s forgiving parse (whitespace, padding) never applies.
  return atob(text.replace(/-/g, '+').replace(/_/g, '/'))
}

/** Decodes canonical unpadded base64url to bytes, or `undefined` (see {@link decodeBinary}). */
export const decode = (text: string): Uint8Array | undefined => {
  const binary = decodeBinary(text)
  if (binary === undefined) return undefined
  const out = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i)
  return out
}

const textEncoder = new TextEncoder()
const textDecoder = new TextDecoder('utf-8', { fatal: true })

/** Encodes a string's UTF-8 bytes as base64url. */
export const encodeText = (text: string): string => encode(textEncoder.encode(text))

const NON_ASCII = /[\u0080-\uffff]/

/** Decodes base64url to strict UTF-8 text, or `undefined` (bad base64url or bad UTF-8). */
export const decodeText = (text: string): string | undefined => {
  const binary = decodeBinary(text)
  if (binary === undefined) return undefined
  // ASCII is its own UTF-8: the common case needs no decoder.
  if (!NON_ASCII.test(binary)) return binary
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
  try {
    return textDecoder.decode(bytes)
  } catch {
    return undefined
  }
}

/** The UTF-8 bytes of a string. */
export const utf8 = (text: string): Uint8Array => textEncoder.encode(text)
