import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { extractBearer } from '../../src/http/index.js'

const B64TOKEN = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~+/'.split('')

describe('extractBearer (RFC 6750 §2.1)', () => {
  it.each([
    ['Bearer abc.def.ghi', 'abc.def.ghi'],
    ['bearer abc', 'abc'],
    ['BEARER abc', 'abc'],
    ['BeArEr   abc==', 'abc=='],
    [['Bearer one'], 'one'],
  ] as const)('reads %j', (header, token) => {
    expect(extractBearer(header)).toEqual({ _tag: 'Bearer', token })
  })

  it.each([undefined, null, []] as const)('no header (%j) is None', (header) => {
    expect(extractBearer(header)._tag).toBe('None')
  })

  it.each([
    '',
    ' ',
    'Bearer',
    'Bearer ',
    'Basic dXNlcjpwYXNz',
    'Digest username="a"',
    'Token abc',
    'Bearerabc',
    'Bearer a b',
    'Bearer a,b',
    'Bearer a, Bearer b',
    'Bearer "abc"',
    'Bearer =abc',
    'Bearer a=b',
    'Bearer\tabc',
    'Bearer abc\n',
    'Bearer äbc',
    ['Bearer a', 'Bearer b'],
    ['Bearer a', 'Basic b'],
  ])('%j is Invalid', (header) => {
    expect(extractBearer(header)._tag).toBe('Invalid')
  })

  it('answers Invalid for values that are not text', () => {
    expect(extractBearer(42 as unknown as string)._tag).toBe('Invalid')
    expect(extractBearer([42] as unknown as string[])._tag).toBe('Invalid')
  })

  it('reads back any b64token after any casing of the scheme and any run of spaces', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...B64TOKEN), { minLength: 1, maxLength: 64 }).map((chars) => chars.join('')),
        fc.nat({ max: 3 }),
        fc.integer({ min: 1, max: 4 }),
        fc.mixedCase(fc.constant('bearer')),
        (body, padding, spaces, scheme) => {
          const token = body + '='.repeat(padding)
          expect(extractBearer(`${scheme}${' '.repeat(spaces)}${token}`)).toEqual({ _tag: 'Bearer', token })
        },
      ),
    )
  })

  it('never throws and never repeats the header in its reason', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.array(fc.string(), { maxLength: 3 })), (header) => {
        const result = extractBearer(header)
        expect(['None', 'Bearer', 'Invalid']).toContain(result._tag)
        if (result._tag === 'Invalid') {
          const values = typeof header === 'string' ? [header] : header
          for (const value of values) if (value.length > 3) expect(result.reason).not.toContain(value)
        }
      }),
    )
  })
})
