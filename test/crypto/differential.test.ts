import fc from 'fast-check'
import * as v from 'valibot'
import { afterAll, describe, expect, it } from 'vitest'
import { checkSignature, preferNodeCrypto } from '../../src/crypto/jws.js'
import { type Algorithm, createAuth, fixedClock, generateKeyRing } from '../../src/index.js'
import { parseCompact } from '../../src/lib/compact.js'
import { right, T0 } from '../support/auth.js'
import { ALL_ALGORITHMS } from '../support/keys.js'

// Node's synchronous verifier must agree with Web Crypto (jose's path) on every input: the two
// are run side by side on the same keys and tokens, and their answers compared.

const claims = v.object({ plan: v.string(), seats: v.number(), tags: v.array(v.string()) })

const setups = new Map<Algorithm, Promise<{ auth: ReturnType<typeof createAuth<typeof claims, string>> }>>()
const setup = (alg: Algorithm) => {
  let made = setups.get(alg)
  if (made === undefined) {
    made = generateKeyRing(alg).then((keys) => ({
      auth: createAuth({ keys, claims, clock: fixedClock(T0), cache: 0 }),
    }))
    setups.set(alg, made)
  }
  return made
}

const signatureVerdict = async (keys: Parameters<typeof checkSignature>[0], token: string, node: boolean) => {
  preferNodeCrypto(node)
  const parsed = parseCompact(token, 1 << 16)
  if (!parsed.ok) return 'unparsed'
  const error = await checkSignature(keys, parsed.token.header, parsed.token.signingInput, parsed.token.signature)
  return error === undefined ? 'valid' : error._tag
}

afterAll(() => preferNodeCrypto(true))

describe('node:crypto and Web Crypto agree', () => {
  it.each(ALL_ALGORITHMS)('%s: on random claims and every single-byte mutation of the token', async (alg) => {
    const { auth } = await setup(alg)
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          plan: fc.string(),
          seats: fc.double({ noNaN: true, noDefaultInfinity: true }),
          tags: fc.array(fc.string(), { maxLength: 3 }),
        }),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        async (custom, at, delta) => {
          const token = await right(auth.issue({ userId: 'u', claims: custom }))
          expect(await signatureVerdict(auth.env.keys, token, true)).toBe('valid')
          expect(await signatureVerdict(auth.env.keys, token, false)).toBe('valid')
          const i = at % token.length
          const mutated =
            token.slice(0, i) + String.fromCharCode((token.charCodeAt(i) + delta) % 128) + token.slice(i + 1)
          const [node, web] = [
            await signatureVerdict(auth.env.keys, mutated, true),
            await signatureVerdict(auth.env.keys, mutated, false),
          ]
          expect(node).toBe(web)
          if (mutated !== token) expect(node).not.toBe('valid')
        },
      ),
      { numRuns: alg.startsWith('RS') || alg.startsWith('PS') ? 40 : 120 },
    )
  })

  it.each(ALL_ALGORITHMS)('%s: a signature of the wrong length or all zeros is refused by both', async (alg) => {
    const { auth } = await setup(alg)
    const token = await right(auth.issue({ userId: 'u', claims: { plan: 'p', seats: 1, tags: [] } }))
    const [h, p, s] = token.split('.') as [string, string, string]
    const size = Buffer.from(s, 'base64url').length
    for (const bytes of [new Uint8Array(size), new Uint8Array(size - 1), new Uint8Array(size + 1), new Uint8Array(0)]) {
      const forged = `${h}.${p}.${Buffer.from(bytes).toString('base64url')}`
      const node = await signatureVerdict(auth.env.keys, forged, true)
      expect(node).toBe(await signatureVerdict(auth.env.keys, forged, false))
      expect(node).not.toBe('valid')
    }
  })

  it.each(ALL_ALGORITHMS)('%s: tokens signed on either path verify on both', async (alg) => {
    const { auth } = await setup(alg)
    for (const signWithNode of [true, false]) {
      preferNodeCrypto(signWithNode)
      const token = await right(auth.issue({ userId: 'u', claims: { plan: 'p', seats: 2, tags: ['x'] } }))
      expect(await signatureVerdict(auth.env.keys, token, true)).toBe('valid')
      expect(await signatureVerdict(auth.env.keys, token, false)).toBe('valid')
    }
  })

  it('HS256: both paths write the very same token', async () => {
    const ids = ['same-id', 'same-id']
    const ring = await generateKeyRing('HS256')
    const auth = createAuth({ keys: ring, claims, clock: fixedClock(T0), ids: () => ids[0] as string })
    preferNodeCrypto(true)
    const viaNode = await right(auth.issue({ userId: 'u', claims: { plan: 'p', seats: 1, tags: [] } }))
    const other = createAuth({ keys: ring, claims, clock: fixedClock(T0), ids: () => ids[1] as string })
    preferNodeCrypto(false)
    const viaJose = await right(other.issue({ userId: 'u', claims: { plan: 'p', seats: 1, tags: [] } }))
    expect(viaNode).toBe(viaJose)
  })

  it.each(ALL_ALGORITHMS)(
    '%s: every single-character change of a valid token is refused by both, alike',
    async (alg) => {
      const { auth } = await setup(alg)
      preferNodeCrypto(true)
      const token = await right(auth.issue({ userId: 'u', claims: { plan: 'p', seats: 3, tags: [] } }))
      for (let i = 0; i < token.length; i++) {
        // The next character of the base64url alphabet (or '.' ↔ 'A'): every position changes once.
        const c = token[i] as string
        const next = c === '.' ? 'A' : BASE64URL[(BASE64URL.indexOf(c) + 1) % 64]
        const mutated = token.slice(0, i) + next + token.slice(i + 1)
        const [node, web] = [
          await signatureVerdict(auth.env.keys, mutated, true),
          await signatureVerdict(auth.env.keys, mutated, false),
        ]
        expect(node).toBe(web)
        expect(node).not.toBe('valid')
      }
    },
  )
})

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
