import { describe, expect, it } from 'vitest'
import {
  type Algorithm,
  AuthConfigError,
  addKey,
  createAuth,
  exportPrivateJwk,
  generateKey,
  hmacKey,
  isKeyRing,
  jwkKey,
  keyRing,
  pemKey,
  type RingKey,
  retire,
  rotate,
  toJwks,
} from '../../src/index.js'
import { right } from '../support/auth.js'
import { ALL_ALGORITHMS, ASYMMETRIC, keyFor, pemPair } from '../support/keys.js'

const bytes = (n: number) => new Uint8Array(n).fill(7)

/** Runs a constructor and answers the field of the AuthConfigError it throws. */
const configErrorField = async (build: () => unknown): Promise<string> => {
  try {
    await build()
  } catch (error) {
    expect(error).toBeInstanceOf(AuthConfigError)
    return (error as AuthConfigError).field
  }
  throw new Error('expected an AuthConfigError')
}

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k', 'oth', 'priv']

describe('hmacKey', () => {
  it.each([
    ['HS256', 32],
    ['HS384', 48],
    ['HS512', 64],
  ] as const)('%s needs at least %i bytes', async (alg, min) => {
    expect(await configErrorField(() => hmacKey('k', bytes(min - 1), alg))).toBe('keys.k')
    expect(hmacKey('k', bytes(min), alg)).toMatchObject({ kid: 'k', alg, type: 'secret', publicJwk: undefined })
  })

  it('defaults to HS256 and counts UTF-8 bytes of a string secret', () => {
    expect(hmacKey('k', 'é'.repeat(16)).alg).toBe('HS256')
  })

  it('refuses a PEM or a JWK as a secret (the algorithm-confusion footgun)', async () => {
    const { publicPem } = pemPair('rsa2048')
    expect(await configErrorField(() => hmacKey('k', publicPem))).toBe('keys.k')
    const jwkText = JSON.stringify((await keyFor('ES256')).publicJwk)
    expect(await configErrorField(() => hmacKey('k', jwkText))).toBe('keys.k')
  })

  it('refuses an empty kid and an asymmetric algorithm', async () => {
    expect(await configErrorField(() => hmacKey('', bytes(32)))).toBe('kid')
    expect(await configErrorField(() => hmacKey('k', bytes(32), 'RS256' as 'HS256'))).toBe('keys.k')
  })
})

describe('pemKey', () => {
  it('imports a PKCS#8 private key that can sign, for RS256 and PS256', async () => {
    const { privatePem } = pemPair('rsa2048')
    for (const alg of ['RS256', 'PS256'] as const) {
      const key = await pemKey('r', privatePem, alg)
      expect(key).toMatchObject({ kid: 'r', alg, type: 'private' })
      expect(key.publicJwk).toMatchObject({ kty: 'RSA', kid: 'r', alg, use: 'sig' })
    }
  })

  it('imports SPKI public keys as verify-only', async () => {
    expect((await pemKey('e', pemPair('p256').publicPem, 'ES256')).type).toBe('public')
    expect((await pemKey('d', pemPair('ed25519').publicPem, 'EdDSA')).type).toBe('public')
  })

  it('refuses RSA keys under 2048 bits', async () => {
    const { privatePem, publicPem } = pemPair('rsa1024')
    expect(await configErrorField(() => pemKey('r', privatePem, 'RS256'))).toBe('keys.r')
    expect(await configErrorField(() => pemKey('r', publicPem, 'PS256'))).toBe('keys.r')
  })

  it('refuses a key whose type or curve does not match the algorithm', async () => {
    expect(await configErrorField(() => pemKey('e', pemPair('p384').privatePem, 'ES256'))).toBe('keys.e')
    expect(await configErrorField(() => pemKey('e', pemPair('p256').publicPem, 'EdDSA'))).toBe('keys.e')
    expect(await configErrorField(() => pemKey('e', pemPair('ed25519').publicPem, 'ES256'))).toBe('keys.e')
    expect(await configErrorField(() => pemKey('e', pemPair('x25519').publicPem, 'EdDSA'))).toBe('keys.e')
    expect(await configErrorField(() => pemKey('e', pemPair('rsa2048').publicPem, 'ES256'))).toBe('keys.e')
  })

  it('refuses PKCS#1/SEC1 PEMs, garbage, and HMAC algorithms', async () => {
    expect(await configErrorField(() => pemKey('r', pemPair('rsa2048').pkcs1, 'RS256'))).toBe('keys.r')
    expect(await configErrorField(() => pemKey('e', pemPair('p256').pkcs1, 'ES256'))).toBe('keys.e')
    expect(await configErrorField(() => pemKey('r', 'not a pem', 'RS256'))).toBe('keys.r')
    expect(await configErrorField(() => pemKey('r', pemPair('rsa2048').publicPem, 'HS256' as 'RS256'))).toBe('keys.r')
  })
})

describe('jwkKey', () => {
  it('imports public and private JWKs; a private one can sign', async () => {
    const generated = await keyFor('ES256')
    const privateJwk = await exportPrivateJwk(generated)
    expect((await jwkKey(generated.kid, privateJwk, 'ES256')).type).toBe('private')
    expect((await jwkKey('pub', { ...generated.publicJwk, kid: 'pub' }, 'ES256')).type).toBe('public')
  })

  it('refuses keys meant for encryption, or whose key_ops exclude the operation', async () => {
    const { kid: _kid, use: _use, ...jwk } = (await keyFor('ES256')).publicJwk!
    expect(await configErrorField(() => jwkKey('e', { ...jwk, use: 'enc' }, 'ES256'))).toBe('keys.e')
    expect(await configErrorField(() => jwkKey('e', { ...jwk, key_ops: ['encrypt'] }, 'ES256'))).toBe('keys.e')
    expect((await jwkKey('e', { ...jwk, key_ops: ['verify'] }, 'ES256')).type).toBe('public')
  })

  it('refuses a JWK bound to another algorithm or naming another kid', async () => {
    const jwk = (await keyFor('RS256')).publicJwk!
    expect(await configErrorField(() => jwkKey(jwk.kid!, jwk, 'PS256'))).toBe(`keys.${jwk.kid}`)
    expect(await configErrorField(() => jwkKey('other', jwk, 'RS256'))).toBe('keys.other')
  })

  it('refuses a P-384 JWK for ES256, an RSA JWK for EdDSA, and short RSA moduli', async () => {
    const { createPublicKey } = await import('node:crypto')
    const p384 = createPublicKey(pemPair('p384').publicPem).export({ format: 'jwk' })
    const rsa1024 = createPublicKey(pemPair('rsa1024').publicPem).export({ format: 'jwk' })
    expect(await configErrorField(() => jwkKey('e', p384, 'ES256'))).toBe('keys.e')
    expect(await configErrorField(() => jwkKey('r', rsa1024, 'RS256'))).toBe('keys.r')
    expect(await configErrorField(() => jwkKey('r', rsa1024, 'EdDSA'))).toBe('keys.r')
  })

  it('imports oct JWKs for HMAC with the same strength rule', async () => {
    const k = Buffer.from(bytes(48)).toString('base64url')
    expect((await jwkKey('h', { kty: 'oct', k }, 'HS384')).type).toBe('secret')
    expect(await configErrorField(() => jwkKey('h', { kty: 'oct', k }, 'HS512'))).toBe('keys.h')
    expect(await configErrorField(() => jwkKey('h', { kty: 'oct', k }, 'ES256'))).toBe('keys.h')
  })
})

describe('generateKey and exportPrivateJwk', () => {
  it.each(ALL_ALGORITHMS)('%s: an extractable key survives export and re-import', async (alg) => {
    const key = await keyFor(alg)
    const jwk = await exportPrivateJwk(key)
    expect(jwk).toMatchObject({ kid: key.kid, alg, use: 'sig' })
    const again = await jwkKey(key.kid, jwk, alg)
    expect(again.type).toBe(key.type)
    expect(again.publicJwk).toEqual(key.publicJwk)
  })

  it('names an asymmetric key by its RFC 7638 thumbprint by default', async () => {
    const key = await generateKey('EdDSA')
    expect(key.kid).toMatch(/^[A-Za-z0-9_-]{43}$/)
  })

  it('refuses to export a key that is not extractable, or a public one', async () => {
    const key = await generateKey('ES256', { kid: 'n' })
    expect(await configErrorField(() => exportPrivateJwk(key))).toBe('keys.n')
    const pub = await pemKey('p', pemPair('p256').publicPem, 'ES256')
    expect(await configErrorField(() => exportPrivateJwk(pub))).toBe('keys.p')
  })
})

describe('keyRing, rotate, addKey, retire', () => {
  it('refuses a public signing key, a repeated kid, and hand-made keys', async () => {
    const pub = await pemKey('p', pemPair('p256').publicPem, 'ES256')
    const a = hmacKey('a', bytes(32))
    expect(await configErrorField(() => keyRing(pub))).toBe('keys.p')
    expect(await configErrorField(() => keyRing(a, hmacKey('a', bytes(64), 'HS512')))).toBe('keys.a')
    expect(await configErrorField(() => keyRing({ ...a } as RingKey))).toBe('keys')
    expect(keyRing(a, pub).verifying).toEqual([pub])
  })

  it('rotate signs with the new key and keeps the old ones; retire drops one', () => {
    const a = hmacKey('a', bytes(32))
    const b = hmacKey('b', bytes(33))
    const c = hmacKey('c', bytes(34))
    const ring = rotate(rotate(keyRing(a), b), c)
    expect(ring.signing).toBe(c)
    expect(ring.verifying.map((key) => key.kid)).toEqual(['b', 'a'])
    expect(retire(ring, 'a').verifying.map((key) => key.kid)).toEqual(['b'])
  })

  it('rotate promotes a pre-published key instead of refusing it as a duplicate', () => {
    const a = hmacKey('a', bytes(32))
    const b = hmacKey('b', bytes(33))
    const ring = rotate(addKey(keyRing(a), b), b)
    expect(ring.signing).toBe(b)
    expect(ring.verifying).toEqual([a])
  })

  it('refuses to retire the signing key or an unknown kid, and to rotate in a duplicate kid', async () => {
    const ring = keyRing(hmacKey('a', bytes(32)), hmacKey('b', bytes(32)))
    expect(await configErrorField(() => retire(ring, 'a'))).toBe('keys.a')
    expect(await configErrorField(() => retire(ring, 'zz'))).toBe('keys.zz')
    expect(await configErrorField(() => rotate(ring, hmacKey('b', bytes(40))))).toBe('keys.b')
  })

  it('rings are immutable values', () => {
    const ring = keyRing(hmacKey('a', bytes(32)))
    expect(isKeyRing(ring)).toBe(true)
    expect(isKeyRing({ ...ring })).toBe(false)
    expect(Object.isFrozen(ring) && Object.isFrozen(ring.verifying) && Object.isFrozen(ring.signing)).toBe(true)
  })
})

describe('toJwks', () => {
  it.each(ALL_ALGORITHMS)('%s: publishes only public members, with kid, alg and use', async (alg) => {
    const key = await keyFor(alg)
    const other = await keyFor(alg === 'HS256' ? 'ES256' : 'HS256', 'other')
    const { keys } = toJwks(keyRing(key, other))
    const published = keys.filter((jwk) => jwk.kid === key.kid)
    if (alg.startsWith('HS')) {
      expect(published).toEqual([])
    } else {
      expect(published).toHaveLength(1)
      expect(published[0]).toMatchObject({ kid: key.kid, alg, use: 'sig' })
    }
    for (const jwk of keys) {
      for (const member of PRIVATE_MEMBERS) expect(jwk).not.toHaveProperty(member)
      expect(jwk.kty).not.toBe('oct')
    }
  })

  it('publishes the keys of a ring that a JWKS-built auth then verifies with', async () => {
    const keys = await Promise.all(ASYMMETRIC.map((alg) => keyFor(alg)))
    const [first, ...rest] = keys as [RingKey, ...RingKey[]]
    for (const signing of keys) {
      const ring = keyRing(signing, ...keys.filter((key) => key !== signing))
      const issuer = createAuth({ keys: ring })
      const verifier = createAuth({ jwks: toJwks(keyRing(first, ...rest)) })
      const token = await right(issuer.issue({ userId: 'u1' }))
      expect(await right(verifier.verify(token))).toMatchObject({ userId: 'u1' })
    }
  })
})

describe('createAuth key sources', () => {
  const ring = keyRing(hmacKey('a', bytes(32)))
  const cases: ReadonlyArray<readonly [string, Record<string, unknown>, string]> = [
    ['none', {}, 'secret'],
    ['secret and keys', { secret: 'x'.repeat(32), keys: ring }, 'keys'],
    ['keys and jwks', { keys: ring, jwks: { keys: [] } }, 'jwks'],
    ['a ring built by hand', { keys: { signing: ring.signing, verifying: [] } }, 'keys'],
    ['jwks options without jwks', { keys: ring, cooldown: 5 }, 'cooldown'],
    ['an http URL off loopback', { jwks: 'http://keys.invalid/jwks.json' }, 'jwks'],
    ['a relative URL', { jwks: '/jwks.json' }, 'jwks'],
    ['a JWKS with no usable key', { jwks: { keys: [{ kty: 'oct', k: 'AAAA' }] } }, 'jwks'],
    ['an HMAC algorithm allow-list', { jwks: { keys: [] }, algorithms: ['HS256'] }, 'algorithms.0'],
    ['a zero timeout', { jwks: 'https://keys.invalid/jwks.json', timeoutMs: 0 }, 'timeoutMs'],
  ]
  it.each(cases)('%s → AuthConfigError naming the field', async (_, config, field) => {
    expect(await configErrorField(() => createAuth(config as never))).toBe(field)
  })

  it('a verify-only auth needs no default role among its roles', async () => {
    const jwks = toJwks(keyRing(await keyFor('ES256')))
    const auth = createAuth({ jwks, roles: ['admin'] })
    const issuer = createAuth({ keys: keyRing(await keyFor('ES256')), roles: ['admin'], defaultRole: 'admin' })
    expect(await right(auth.verify(await right(issuer.issue({ userId: 'u' }))))).toMatchObject({ role: 'admin' })
  })

  it.each(['HS256', 'RS256', 'PS256', 'ES256', 'EdDSA'] satisfies Algorithm[])(
    '%s: an auth built on a ring issues tokens with the key kid and alg',
    async (alg) => {
      const key = await keyFor(alg)
      const auth = createAuth({ keys: keyRing(key) })
      const token = await right(auth.issue({ userId: 'u' }))
      const header = JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString())
      expect(header).toEqual({ alg, kid: key.kid, typ: 'at+jwt' })
    },
  )
})
