import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { PRO, planAuth, right } from '../support/auth.js'
import { b64 } from '../support/forge.js'

// CI runs a short campaign; `npm run fuzz` sets FUZZ_RUNS to a million or more.
const RUNS = Number(process.env.FUZZ_RUNS ?? 200)
const TIMEOUT = RUNS > 10_000 ? 0 : 60_000

const setup = async () => {
  const { auth } = planAuth()
  const issued = new Set<string>()
  const pair = await right(auth.issuePair({ userId: 'u1', role: 'admin', claims: PRO }))
  const tokens = [
    await right(auth.issue({ userId: 'u2', claims: PRO })),
    await right(auth.guest({ deviceId: 'device-1' })),
    pair.accessToken,
  ]
  for (const token of tokens) issued.add(token)
  // Verify answers, never throws, and accepts nothing it did not issue.
  const probe = async (input: unknown): Promise<void> => {
    const result = await auth.verify(input as string)()
    expect(typeof result).toBe('object')
    if (E.isRight(result)) expect(issued.has(input as string)).toBe(true)
    else expect(typeof result.left._tag).toBe('string')
  }
  return { auth, tokens, probe, pair }
}

const mutation = (tokens: string[]) =>
  fc.oneof(
    // flip one bit of one character
    fc.tuple(fc.constantFrom(...tokens), fc.nat(), fc.integer({ min: 0, max: 6 })).map(([t, at, bit]) => {
      const i = at % t.length
      return t.slice(0, i) + String.fromCharCode(t.charCodeAt(i) ^ (1 << bit)) + t.slice(i + 1)
    }),
    // insert a string
    fc.tuple(fc.constantFrom(...tokens), fc.nat(), fc.string({ minLength: 1, maxLength: 4 })).map(([t, at, s]) => {
      const i = at % (t.length + 1)
      return t.slice(0, i) + s + t.slice(i)
    }),
    // delete a run
    fc.tuple(fc.constantFrom(...tokens), fc.nat(), fc.integer({ min: 1, max: 8 })).map(([t, at, n]) => {
      const i = at % t.length
      return t.slice(0, i) + t.slice(i + n)
    }),
    // re-encode the payload: same claims, other bytes
    fc.tuple(fc.constantFrom(...tokens), fc.constantFrom(' ', '\n', '\t')).map(([t, space]) => {
      const [h, p, s] = t.split('.') as [string, string, string]
      const json = JSON.parse(Buffer.from(p, 'base64url').toString())
      return `${h}.${b64(JSON.stringify(json, null, space))}.${s}`
    }),
    // swap segments between tokens
    fc
      .tuple(fc.constantFrom(...tokens), fc.constantFrom(...tokens), fc.integer({ min: 0, max: 2 }))
      .map(([a, b, segment]) => {
        const x = a.split('.')
        x[segment] = b.split('.')[segment] as string
        return x.join('.')
      }),
    // change a claim and keep the old signature
    fc.tuple(fc.constantFrom(...tokens), fc.constantFrom('admin', 'enterprise', 'u3')).map(([t, value]) => {
      const [h, p, s] = t.split('.') as [string, string, string]
      const json = JSON.parse(Buffer.from(p, 'base64url').toString())
      json.role = value
      return `${h}.${b64(JSON.stringify(json))}.${s}`
    }),
  )

describe('fuzzing verify', () => {
  it('arbitrary strings: never throws, never accepts', { timeout: TIMEOUT }, async () => {
    const { probe } = await setup()
    await fc.assert(fc.asyncProperty(fc.string({ maxLength: 400, unit: 'binary' }), probe), { numRuns: RUNS })
  })

  it('three arbitrary segments: never throws, never accepts', { timeout: TIMEOUT }, async () => {
    const { probe } = await setup()
    const segment = fc.stringMatching(/^[A-Za-z0-9_-]{0,80}$/)
    await fc.assert(
      fc.asyncProperty(fc.tuple(segment, segment, segment), (parts) => probe(parts.join('.'))),
      { numRuns: RUNS },
    )
  })

  it('arbitrary bytes as header and payload: never throws, never accepts', { timeout: TIMEOUT }, async () => {
    const { probe } = await setup()
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 200 }), fc.uint8Array({ maxLength: 200 }), (h, p) =>
        probe(`${b64(h)}.${b64(p)}.${b64('signature-bytes-32-long-xxxxxxxx')}`),
      ),
      { numRuns: RUNS },
    )
  })

  it('arbitrary JSON values as header and payload: never throws, never accepts', { timeout: TIMEOUT }, async () => {
    const { probe } = await setup()
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), fc.jsonValue(), (h, p) =>
        probe(`${b64(JSON.stringify(h) ?? '')}.${b64(JSON.stringify(p) ?? '')}.${b64('x'.repeat(32))}`),
      ),
      { numRuns: RUNS },
    )
  })

  it('mutations of valid tokens: never throws, never accepts', { timeout: TIMEOUT }, async () => {
    const { probe, tokens } = await setup()
    await fc.assert(fc.asyncProperty(mutation(tokens), probe), { numRuns: RUNS * 5 })
  })

  it('refresh, revoke and isRevoked never throw on mutated tokens and never accept a forgery', {
    timeout: TIMEOUT,
  }, async () => {
    const { auth, tokens, pair } = await setup()
    await fc.assert(
      fc.asyncProperty(mutation([...tokens, pair.refreshToken]), async (input) => {
        fc.pre(input !== pair.refreshToken && !tokens.includes(input))
        expect(E.isLeft(await auth.refresh(input)())).toBe(true)
        expect(E.isLeft(await auth.revoke(input)())).toBe(true)
        expect(E.isLeft(await auth.isRevoked(input)())).toBe(true)
      }),
      { numRuns: RUNS },
    )
  })
})
