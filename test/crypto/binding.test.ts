import { createHmac, createPublicKey } from 'node:crypto'
import { beforeAll, describe, expect, it } from 'vitest'
import { type Algorithm, createAuth, keyRing, pemKey, type RingKey } from '../../src/index.js'
import { decodeSegment, expectLeft, right, T0 } from '../support/auth.js'
import { ALL_ALGORITHMS, keyFor, pemPair, signRaw } from '../support/keys.js'

const NOW = Math.floor(T0 / 1000)
const clock = { now: () => T0 }
const claims = (extra: Record<string, unknown> = {}) => ({
  sub: 'u1',
  jti: 'j1',
  iat: NOW,
  exp: NOW + 60,
  role: 'user',
  ...extra,
})

/** The same kid `k` under every algorithm: a token of one must never verify under another. */
const sameKid: Partial<Record<Algorithm, RingKey>> = {}

beforeAll(async () => {
  for (const alg of ALL_ALGORITHMS) sameKid[alg] = await keyFor(alg, 'k')
})

const ringOf = (alg: Algorithm) => createAuth({ keys: keyRing(sameKid[alg]!), clock })

describe('round trip', () => {
  it.each(ALL_ALGORITHMS)('%s: issue, verify, refresh', async (alg) => {
    const auth = ringOf(alg)
    const token = await right(auth.issue({ userId: 'u1', role: 'admin' }))
    expect(decodeSegment(token, 0)).toEqual({ alg, kid: 'k', typ: 'at+jwt' })
    expect(await right(auth.verify(token))).toMatchObject({ userId: 'u1', role: 'admin', isGuest: false })
    const pair = await right(auth.issuePair({ userId: 'u1' }))
    const next = await right(auth.refresh(pair.refreshToken))
    expect(await right(auth.verify(next.accessToken))).toMatchObject({ userId: 'u1' })
  })
})

describe('the key fixes the algorithm (RFC 8725 §3.1)', () => {
  const pairs = ALL_ALGORITHMS.flatMap((signedWith) =>
    ALL_ALGORITHMS.filter((other) => other !== signedWith).map((heldAs) => [signedWith, heldAs] as const),
  )
  it.each(pairs)('a %s token is refused by a ring holding kid "k" as %s', async (signedWith, heldAs) => {
    const token = await right(ringOf(signedWith).issue({ userId: 'u1' }))
    await expectLeft(ringOf(heldAs).verify(token), 'AlgorithmNotAllowed')
  })

  it.each(ALL_ALGORITHMS)('%s: a header naming an algorithm other than the key one is refused', async (alg) => {
    const key = sameKid[alg]!
    const other = alg === 'HS512' ? 'HS256' : 'HS512'
    const token = await signRaw({ alg: other, kid: 'k', typ: 'at+jwt' }, claims(), new Uint8Array(64).fill(1))
    await expectLeft(ringOf(key.alg).verify(token), 'AlgorithmNotAllowed')
  })

  it('alg "none" is refused whatever the ring', async () => {
    const header = Buffer.from(JSON.stringify({ alg: 'none', kid: 'k', typ: 'at+jwt' })).toString('base64url')
    const payload = Buffer.from(JSON.stringify(claims())).toString('base64url')
    for (const alg of ALL_ALGORITHMS) {
      const result = await ringOf(alg).verify(`${header}.${payload}.AAAA`)()
      expect(result).toMatchObject({
        _tag: 'Left',
        left: { _tag: expect.stringMatching(/^(AlgorithmNotAllowed|Malformed)$/) },
      })
    }
  })
})

describe('kid selection', () => {
  it('an unknown kid is UnknownKey', async () => {
    const token = await signRaw({ alg: 'ES256', kid: 'nope', typ: 'at+jwt' }, claims(), await sameKid.ES256!.signKey!)
    await expectLeft(ringOf('ES256').verify(token), 'UnknownKey')
  })

  it('a token without kid verifies only when the ring holds exactly one key', async () => {
    const es = sameKid.ES256!
    const token = await signRaw({ alg: 'ES256', typ: 'at+jwt' }, claims(), await es.signKey!)
    expect(await right(createAuth({ keys: keyRing(es), clock }).verify(token))).toMatchObject({ userId: 'u1' })
    const two = createAuth({ keys: keyRing(es, await keyFor('ES256', 'second')), clock })
    await expectLeft(two.verify(token), 'UnknownKey')
  })

  it('each token is checked with the key its kid names, never another one of the ring', async () => {
    const a = await keyFor('EdDSA', 'a')
    const b = await keyFor('EdDSA', 'b')
    const auth = createAuth({ keys: keyRing(a, b), clock })
    const signedByB = await signRaw({ alg: 'EdDSA', kid: 'b', typ: 'at+jwt' }, claims(), await b.signKey!)
    expect(await right(auth.verify(signedByB))).toMatchObject({ userId: 'u1' })
    const lyingKid = await signRaw({ alg: 'EdDSA', kid: 'a', typ: 'at+jwt' }, claims(), await b.signKey!)
    await expectLeft(auth.verify(lyingKid), 'InvalidSignature')
  })

  it.each(['jku', 'x5u', 'jwk', 'x5c', 'crit'])('a "%s" header is never followed: Malformed', async (name) => {
    const es = sameKid.ES256!
    const value =
      name === 'crit' ? ['exp'] : name === 'jwk' ? es.publicJwk : name === 'x5c' ? ['AAAA'] : 'https://x.invalid'
    const token = await signRaw({ alg: 'ES256', kid: 'k', typ: 'at+jwt', [name]: value }, claims(), await es.signKey!)
    await expectLeft(ringOf('ES256').verify(token), 'Malformed')
  })
})

describe('HS256 forged with a public key as the HMAC secret', () => {
  const forge = (secret: string, kid: string | undefined) => {
    const header = Buffer.from(
      JSON.stringify(kid === undefined ? { alg: 'HS256', typ: 'at+jwt' } : { alg: 'HS256', kid, typ: 'at+jwt' }),
    ).toString('base64url')
    const payload = Buffer.from(JSON.stringify(claims())).toString('base64url')
    const signature = createHmac('sha256', secret).update(`${header}.${payload}`).digest('base64url')
    return `${header}.${payload}.${signature}`
  }

  it.each([
    ['RSA', 'rsa2048', 'RS256'],
    ['RSA (PSS)', 'rsa2048', 'PS256'],
    ['EC', 'p256', 'ES256'],
    ['Ed25519', 'ed25519', 'EdDSA'],
  ] as const)('%s public key as PEM text or JWK text: refused', async (_, kind, alg) => {
    const { publicPem } = pemPair(kind)
    const key = await pemKey('pub', publicPem, alg)
    const single = createAuth({ keys: keyRing(await keyFor(alg, 'pub-signer')), clock })
    const holding = createAuth({ keys: keyRing(await keyFor(alg, 'signer'), key), clock })
    const jwkText = JSON.stringify(createPublicKey(publicPem).export({ format: 'jwk' }))
    const publishedJwkText = JSON.stringify(key.publicJwk)
    for (const secret of [publicPem, publicPem.trim(), jwkText, publishedJwkText]) {
      await expectLeft(holding.verify(forge(secret, 'pub')), 'AlgorithmNotAllowed')
      await expectLeft(single.verify(forge(secret, undefined)), 'AlgorithmNotAllowed')
    }
  })
})
