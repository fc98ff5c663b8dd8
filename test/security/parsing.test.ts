import { describe, expect, it } from 'vitest'
import { createAuth, fixedClock } from '../../src/index.js'
import { expectLeft, PlanClaims, planAuth, right, SECRET, T0 } from '../support/auth.js'
import { AT, b64, hs256, signedRaw, userClaims } from '../support/forge.js'

const IAT = T0 / 1000
const claims = userClaims(IAT)

describe('positive control', () => {
  it('a correctly signed token of the same shape verifies', async () => {
    const { auth } = planAuth()
    expect((await right(auth.verify(await signedRaw(AT, claims)))).userId).toBe('u1')
  })
})

describe('empty, whitespace, huge and non-string inputs', () => {
  const { auth } = planAuth()
  it.each([
    ['empty string', ''],
    ['a space', ' '],
    ['a newline', '\n'],
    ['dots only', '..'],
    ['null', null],
    ['undefined', undefined],
    ['a number', 42],
    ['an object', { token: 'x' }],
    ['an array', ['a', 'b', 'c']],
    ['a Buffer', Buffer.from('a.b.c')],
  ])('%s is Malformed', async (_, input) => {
    await expectLeft(auth.verify(input as never), 'Malformed')
  })

  it('a token with leading or trailing whitespace is Malformed', async () => {
    const token = await signedRaw(AT, claims)
    await expectLeft(auth.verify(` ${token}`), 'Malformed')
    await expectLeft(auth.verify(`${token}\n`), 'Malformed')
  })

  it('a token over the length cap is Malformed before any decoding', async () => {
    const big = await signedRaw(AT, { ...claims, pad: 'x'.repeat(9000) })
    const error = await expectLeft(auth.verify(big), 'Malformed')
    expect(error._tag === 'Malformed' && error.reason).toMatch(/longer than 8192/)
    // 10 MB of garbage is refused at once, by length.
    const started = performance.now()
    await expectLeft(auth.verify('a'.repeat(10_000_000)), 'Malformed')
    expect(performance.now() - started).toBeLessThan(50)
  })

  it('the cap is configurable', async () => {
    const small = createAuth({ secret: SECRET, claims: PlanClaims, clock: fixedClock(T0), maxTokenLength: 256 })
    await expectLeft(small.verify(await signedRaw(AT, claims)), 'Malformed')
  })
})

describe('segments: truncation, extra segments, JWE and JSON serialisation', () => {
  const { auth } = planAuth()
  it('a token without its signature is Malformed', async () => {
    const token = await signedRaw(AT, claims)
    await expectLeft(auth.verify(token.slice(0, token.lastIndexOf('.') + 1)), 'Malformed')
    await expectLeft(auth.verify(token.slice(0, token.lastIndexOf('.'))), 'Malformed')
  })

  it('a truncated signature fails', async () => {
    const token = await signedRaw(AT, claims)
    await expectLeft(auth.verify(token.slice(0, -3)), 'InvalidSignature')
  })

  it('four segments are Malformed', async () => {
    await expectLeft(auth.verify(`${await signedRaw(AT, claims)}.e30`), 'Malformed')
  })

  it('a five-segment JWE is Malformed (GHSA-c8v6-786g-vjx6: sign/encryption confusion)', async () => {
    const jwe = `${b64('{"alg":"dir","enc":"A256GCM"}')}..${b64('iv')}.${b64('ciphertext')}.${b64('tag')}`
    await expectLeft(auth.verify(jwe), 'Malformed')
  })

  it('a JWS JSON serialisation is Malformed', async () => {
    const token = await signedRaw(AT, claims)
    const [protectedHeader, payload, signature] = token.split('.')
    await expectLeft(auth.verify(JSON.stringify({ protected: protectedHeader, payload, signature })), 'Malformed')
  })

  it('an unsecured JWT (RFC 7519 §6) with an empty signature is Malformed', async () => {
    const h = b64('{"alg":"none","typ":"at+jwt"}')
    await expectLeft(auth.verify(`${h}.${b64(JSON.stringify(claims))}.`), 'Malformed')
  })
})

describe('base64url: alphabet, padding and canonical form', () => {
  const { auth } = planAuth()
  const parts = async () => (await signedRaw(AT, claims)).split('.') as [string, string, string]

  it('padding on a segment is Malformed', async () => {
    const [h, p, s] = await parts()
    await expectLeft(auth.verify(`${h}==.${p}.${s}`), 'Malformed')
    await expectLeft(auth.verify(`${h}.${p}.${s}=`), 'Malformed')
  })

  it('the standard base64 alphabet (+ and /) is Malformed', async () => {
    const [h, p, s] = await parts()
    const standard = Buffer.from(s, 'base64url').toString('base64').replace(/=+$/, '')
    if (standard !== s) await expectLeft(auth.verify(`${h}.${p}.${standard}`), 'Malformed')
    await expectLeft(auth.verify(`${h}.${p}.${s.slice(0, -1)}+`), 'Malformed')
  })

  it('whitespace or percent-encoding inside a segment is Malformed', async () => {
    const [h, p, s] = await parts()
    await expectLeft(auth.verify(`${h}.${p.slice(0, 10)} ${p.slice(10)}.${s}`), 'Malformed')
    await expectLeft(auth.verify(`${h}.${p.slice(0, 10)}%41${p.slice(10)}.${s}`), 'Malformed')
  })

  it('non-zero unused trailing bits (a second spelling of the same bytes) are Malformed', async () => {
    const [h, p, s] = await parts()
    // A 32-byte HMAC has 43 characters: the last one carries 4 unused bits.
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
    const last = alphabet.indexOf(s.at(-1) as string)
    const twin = s.slice(0, -1) + alphabet[last ^ 1]
    expect(Buffer.from(twin, 'base64url')).toEqual(Buffer.from(s, 'base64url'))
    await expectLeft(auth.verify(`${h}.${p}.${twin}`), 'Malformed')
  })

  it('a non-canonical header spelling with a valid signature over it is Malformed', async () => {
    const h = b64(JSON.stringify(AT))
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
    const bits = (h.length * 6) % 8
    if (bits !== 0) {
      const twin = h.slice(0, -1) + alphabet[alphabet.indexOf(h.at(-1) as string) ^ 1]
      const p = b64(JSON.stringify(claims))
      await expectLeft(auth.verify(`${twin}.${p}.${await hs256(`${twin}.${p}`)}`), 'Malformed')
    }
  })
})

describe('header and payload must be UTF-8 JSON objects', () => {
  const { auth } = planAuth()
  it.each([
    ['an array', '[1,2,3]'],
    ['a string', '"sub"'],
    ['a number', '42'],
    ['null', 'null'],
    ['true', 'true'],
    ['not JSON', '{sub: 1}'],
  ])('a payload that is %s is Malformed', async (_, payload) => {
    await expectLeft(auth.verify(await signedRaw(AT, payload)), 'Malformed')
  })

  it('a header that is an array is Malformed', async () => {
    await expectLeft(auth.verify(await signedRaw('["HS256"]', claims)), 'Malformed')
  })

  it('invalid UTF-8 in the payload is Malformed', async () => {
    const text = Buffer.from(JSON.stringify(claims))
    const broken = Buffer.concat([text.subarray(0, 10), Buffer.from([0xc3, 0x28]), text.subarray(10)])
    await expectLeft(auth.verify(await signedRaw(AT, new Uint8Array(broken))), 'Malformed')
  })

  it('an overlong UTF-8 encoding is Malformed', async () => {
    const text = JSON.stringify(claims).replace('"u1"', '"u\u0000"')
    const overlong = Buffer.from(text.replace('\u0000', '\u0001')).toString('latin1').replace('\u0001', '\xc0\x81')
    await expectLeft(auth.verify(await signedRaw(AT, new Uint8Array(Buffer.from(overlong, 'latin1')))), 'Malformed')
  })
})

describe('duplicate members', () => {
  const { auth } = planAuth()
  it('a payload naming role twice is Malformed, whichever a peer would pick', async () => {
    const json = JSON.stringify(claims).replace('"role":"user"', '"role":"user","role":"admin"')
    await expectLeft(auth.verify(await signedRaw(AT, json)), 'Malformed')
  })

  it('a duplicate hidden behind a JSON escape is Malformed', async () => {
    const json = JSON.stringify(claims).replace('"role":"user"', '"role":"user","r\\u006fle":"admin"')
    await expectLeft(auth.verify(await signedRaw(AT, json)), 'Malformed')
  })

  it('a header naming alg twice is Malformed', async () => {
    await expectLeft(auth.verify(await signedRaw('{"alg":"none","alg":"HS256","typ":"at+jwt"}', claims)), 'Malformed')
  })

  it('the same name in different objects is fine', async () => {
    const json = JSON.stringify({ ...claims, limits: { daily_limit: 1, features: ['role', 'sub'] } })
    await right(auth.verify(await signedRaw(AT, json)))
  })
})

describe('prototype pollution', () => {
  const { auth } = planAuth()
  it.each([
    ['__proto__ at the top', '"__proto__":{"admin":true}'],
    ['__proto__ nested', '"limits":{"__proto__":{"admin":true},"daily_limit":1,"features":[]}'],
    ['constructor', '"constructor":{"prototype":{"admin":true}}'],
    ['prototype', '"prototype":{"admin":true}'],
  ])('%s is Malformed and pollutes nothing', async (_, member) => {
    const json = JSON.stringify(claims).replace(/^\{/, `{${member},`)
    await expectLeft(auth.verify(await signedRaw(AT, json)), 'Malformed')
    expect(({} as Record<string, unknown>).admin).toBeUndefined()
  })

  it('__proto__ in the header is Malformed', async () => {
    await expectLeft(
      auth.verify(await signedRaw('{"alg":"HS256","typ":"at+jwt","__proto__":{"x":1}}', claims)),
      'Malformed',
    )
  })
})

describe('deep nesting', () => {
  it('a payload nested thousands deep is refused as a token problem, never as an outage', async () => {
    const auth = createAuth({ secret: SECRET, claims: PlanClaims, clock: fixedClock(T0), maxTokenLength: 1_048_576 })
    const depth = 20_000
    const deep = `{"sub":"u1","a":${'['.repeat(depth)}${']'.repeat(depth)}}`
    const result = await auth.verify(await signedRaw(AT, deep))()
    expect(result._tag === 'Left' && result.left._tag).not.toBe('StoreUnavailable')
    expect(result._tag).toBe('Left')
    const objects = `{"sub":"u1","a":${'{"b":'.repeat(depth)}1${'}'.repeat(depth)}}`
    const nested = await auth.verify(await signedRaw(AT, objects))()
    expect(nested._tag === 'Left' && nested.left._tag).not.toBe('StoreUnavailable')
  })
})
