import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parseCompact } from '../../src/lib/compact.js'
import { b64 } from '../support/forge.js'

const SIG = b64('x'.repeat(32))
const parsePayload = (json: string) => parseCompact(`${b64('{"alg":"HS256"}')}.${b64(json)}.${SIG}`, 1 << 20)

// A JSON object text built member by member, so that a name can be repeated on purpose.
const name = fc.string({ maxLength: 6 }).filter((n) => !['__proto__', 'constructor', 'prototype'].includes(n))
const leaf = fc.oneof(fc.integer(), fc.string({ maxLength: 8 }), fc.boolean(), fc.constant(null))
const spacing = fc.constantFrom('', ' ', '\n', '\t ')

const objectText = (depth: number): fc.Arbitrary<{ text: string; duplicated: boolean }> =>
  fc
    .tuple(
      fc.uniqueArray(name, { maxLength: 5 }),
      fc.array(
        depth > 0
          ? fc.oneof(
              leaf.map((v) => ({ text: JSON.stringify(v), duplicated: false })),
              objectText(depth - 1),
            )
          : leaf.map((v) => ({ text: JSON.stringify(v), duplicated: false })),
        { minLength: 6, maxLength: 6 },
      ),
      fc.boolean(),
      spacing,
      fc.boolean(),
    )
    .map(([names, values, repeat, space, escaped]) => {
      const members = names.map((n, i) => {
        const value = values[i] as { text: string; duplicated: boolean }
        return { name: n, ...value }
      })
      let duplicated = members.some((m) => m.duplicated)
      if (repeat && members.length > 0) {
        const first = members[0] as { name: string; text: string }
        // The same name again, maybe spelled with escapes: JSON.parse keeps one of the two.
        const spelled = escaped
          ? `"${[...first.name].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('')}"`
          : JSON.stringify(first.name)
        members.push({ name: first.name, text: '0', duplicated: false, spelled } as never)
        duplicated = true
      }
      const body = members
        .map((m) => `${(m as { spelled?: string }).spelled ?? JSON.stringify(m.name)}${space}:${space}${m.text}`)
        .join(`,${space}`)
      return { text: `{${space}${body}${space}}`, duplicated }
    })

describe('parseCompact: duplicate member names', () => {
  it('refuses a payload exactly when some object repeats a name, at any depth and in any spelling', () => {
    fc.assert(
      fc.property(objectText(2), ({ text, duplicated }) => {
        expect(parsePayload(text).ok).toBe(!duplicated)
      }),
      { numRuns: 2000 },
    )
  })

  it('accepts any JSON object JSON.stringify writes, compact or indented, when no name is reserved', () => {
    fc.assert(
      fc.property(
        fc.dictionary(name, fc.jsonValue({ maxDepth: 3 })),
        fc.constantFrom(undefined, 1, '\t'),
        (value, indent) => {
          const text = JSON.stringify(
            value,
            (key, v) => (['__proto__', 'constructor', 'prototype'].includes(key) ? undefined : v),
            indent,
          )
          expect(parsePayload(text).ok).toBe(true)
        },
      ),
      { numRuns: 1000 },
    )
  })

  it('refuses a prototype-reaching name in any spelling and position', () => {
    for (const text of [
      '{"__proto__":1}',
      '{"a":{"constructor":1}}',
      '{"a":[{"prototype":{}}]}',
      '{"\\u005f_proto__":1}',
      '{ "a" : 1 , "__proto__" : 2 }',
    ]) {
      expect(parsePayload(text).ok).toBe(false)
    }
  })

  it('sees repeats inside arrays of objects and after nested objects close', () => {
    expect(parsePayload('{"a":[{"x":1,"x":2}]}').ok).toBe(false)
    expect(parsePayload('{"a":[{"x":1},{"x":2}]}').ok).toBe(true)
    expect(parsePayload('{"a":{"b":1},"b":2}').ok).toBe(true)
    expect(parsePayload('{"a":{"b":1},"a":2}').ok).toBe(false)
  })

  it('is not fooled by ": inside strings', () => {
    expect(parsePayload('{"a":"x\\":","b":1}').ok).toBe(true)
    expect(parsePayload('{"a":"x\\":","a":1}').ok).toBe(false)
    expect(parsePayload('{"a\\":":1,"a":2}').ok).toBe(true)
  })
})
