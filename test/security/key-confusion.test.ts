import { createHmac, createPublicKey } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { checkSignature } from '../../src/crypto/jws.js'
import { createAuth, fixedClock, hmacKey, keyRing, pemKey } from '../../src/index.js'
import { expectLeft, right, T0 } from '../support/auth.js'
import { b64, userClaims } from '../support/forge.js'
import { pemPair } from '../support/keys.js'

const IAT = T0 / 1000

// CVE-2015-9235, CVE-2016-10555, CVE-2023-48223: a verifier that lets the header pick HS256 and
// then uses the configured public key as the HMAC secret accepts anything the attacker signs
// with that public (hence known) key. Here the key fixes the algorithm, whatever the encoding.
const hs256With = (secret: string | Uint8Array, header: Record<string, unknown>) => {
  const signingInput = `${b64(JSON.stringify(header))}.${b64(JSON.stringify(userClaims(IAT, { role: 'user' })))}`
  return `${signingInput}.${createHmac('sha256', secret).update(signingInput).digest('base64url')}`
}

const encodings = (publicPem: string) => {
  const key = createPublicKey(publicPem)
  const pkcs1 = key.asymmetricKeyType === 'rsa' ? key.export({ type: 'pkcs1', format: 'pem' }).toString() : undefined
  return [
    ['SPKI PEM', publicPem],
    ['SPKI PEM without its final newline', publicPem.trimEnd()],
    ['SPKI DER', new Uint8Array(key.export({ type: 'spki', format: 'der' }))],
    ['JWK text', JSON.stringify(key.export({ format: 'jwk' }))],
    ...(pkcs1 === undefined ? [] : [['PKCS#1 PEM (CVE-2023-48223)', pkcs1]]),
  ] as [string, string | Uint8Array][]
}

describe.each([
  ['RS256', 'rsa2048'],
  ['ES256', 'p256'],
  ['EdDSA', 'ed25519'],
] as const)('HS256 forged with the %s public key', (alg, kind) => {
  const setup = async () => {
    const pair = pemPair(kind)
    const auth = createAuth({
      keys: keyRing(await pemKey('k1', pair.privatePem, alg)),
      clock: fixedClock(T0),
    })
    return { auth, pair }
  }

  it('positive control: a token the ring signs verifies', async () => {
    const { auth } = await setup()
    await right(auth.verify(await right(auth.issue({ userId: 'u1' }))))
  })

  it.each(encodings(pemPair(kind).publicPem))('as %s is refused, with or without the kid', async (_, secret) => {
    const { auth } = await setup()
    await expectLeft(auth.verify(hs256With(secret, { alg: 'HS256', typ: 'at+jwt', kid: 'k1' })), 'AlgorithmNotAllowed')
    await expectLeft(auth.verify(hs256With(secret, { alg: 'HS256', typ: 'at+jwt' })), 'AlgorithmNotAllowed')
  })
})

describe('signature-level known answers', () => {
  it('RFC 7515 Appendix A.1 (HS256) verifies, and fails with one bit changed', async () => {
    const k = Buffer.from(
      'AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow',
      'base64url',
    )
    const keys = createAuth({ keys: keyRing(hmacKey('a1', k)) }).env.keys
    const [h, p, s] = [
      'eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9',
      'eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ',
      'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk',
    ]
    const header = JSON.parse(Buffer.from(h, 'base64url').toString())
    expect(await checkSignature(keys, header, `${h}.${p}`, s)).toBeUndefined()
    const flipped = `${s.slice(0, 5)}${s[5] === 'A' ? 'B' : 'A'}${s.slice(6)}`
    expect((await checkSignature(keys, header, `${h}.${p}`, flipped))?._tag).toBe('InvalidSignature')
  })

  it('ES256 signatures with r = s = 0 (CVE-2022-21449) and r = s = n are refused', async () => {
    const pair = pemPair('p256')
    const auth = createAuth({ keys: keyRing(await pemKey('k1', pair.privatePem, 'ES256')), clock: fixedClock(T0) })
    const token = await right(auth.issue({ userId: 'u1' }))
    const [h, p] = token.split('.') as [string, string]
    const n = Buffer.from('FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551', 'hex')
    for (const signature of [Buffer.alloc(64), Buffer.concat([n, n])]) {
      await expectLeft(auth.verify(`${h}.${p}.${signature.toString('base64url')}`), 'InvalidSignature')
    }
  })
})
