import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { decode, encode } from '../../src/lib/base64url.js'

describe('base64url', () => {
  it('round-trips any bytes and agrees with Node', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const text = encode(bytes)
        expect(text).toBe(Buffer.from(bytes).toString('base64url'))
        expect(decode(text)).toEqual(bytes)
      }),
    )
  })

  it('has exactly one spelling per byte string', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 64 }), fc.integer({ min: 1, max: 63 }), (bytes, delta) => {
        const text = encode(bytes)
        const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
        const last = alphabet.indexOf(text.at(-1) as string)
        const other = text.slice(0, -1) + alphabet[(last + delta) % 64]
        const decoded = decode(other)
        // Any other last character either decodes to other bytes or is refused.
        expect(decoded === undefined || Buffer.compare(Buffer.from(decoded), Buffer.from(bytes)) !== 0).toBe(true)
      }),
    )
  })

  it.each(['a', 'ab=', 'a+b/', 'ab cd', 'ab\ncd', 'AB==', '\u00e9A', 'QQ=', 'QR'])('refuses %j', (text) => {
    expect(decode(text)).toBeUndefined()
  })
})
