import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { expectLeft, planAuth, right, T0 } from '../support/auth.js'
import { AT, b64, signedRaw, userClaims } from '../support/forge.js'

const IAT = T0 / 1000
const claims = userClaims(IAT)

describe('positive control', () => {
  it('the header { alg: HS256, typ: at+jwt } verifies', async () => {
    const { auth } = planAuth()
    await right(auth.verify(await signedRaw(AT, claims)))
  })
})

describe('alg none in every spelling (GHSA-qwph-4952-7xr6, CVE-2015-9235)', () => {
  const { auth } = planAuth()
  it.each(['none', 'None', 'NONE', 'nOnE', 'none ', ''])('alg %j with a valid HMAC is refused', async (alg) => {
    await expectLeft(auth.verify(await signedRaw({ alg, typ: 'at+jwt' }, claims)), 'AlgorithmNotAllowed')
  })

  it.each(['none', 'NONE'])('alg %j with an empty signature is Malformed', async (alg) => {
    const token = `${b64(JSON.stringify({ alg, typ: 'at+jwt' }))}.${b64(JSON.stringify(claims))}.`
    await expectLeft(auth.verify(token), 'Malformed')
  })
})

describe('algorithms outside the key binding', () => {
  const { auth } = planAuth()
  it.each(['HS384', 'HS512', 'RS256', 'PS256', 'ES256', 'EdDSA', 'hs256', 'HS256\u0000'])(
    'alg %j on the HS256 key is AlgorithmNotAllowed',
    async (alg) => {
      await expectLeft(auth.verify(await signedRaw({ alg, typ: 'at+jwt' }, claims)), 'AlgorithmNotAllowed')
    },
  )

  it.each([
    ['missing', { typ: 'at+jwt' }],
    ['a number', { alg: 256, typ: 'at+jwt' }],
    ['an array', { alg: ['HS256'], typ: 'at+jwt' }],
    ['null', { alg: null, typ: 'at+jwt' }],
  ])('alg %s is Malformed', async (_, header) => {
    await expectLeft(auth.verify(await signedRaw(header, claims)), 'Malformed')
  })
})

describe('kid injection', () => {
  const { auth } = planAuth()
  it.each([
    '../../../../dev/null',
    "' OR '1'='1",
    'key\u0000',
    'https://attacker.example/key',
    '',
    '__proto__',
    'constructor',
  ])('kid %j names no key: UnknownKey', async (kid) => {
    await expectLeft(auth.verify(await signedRaw({ ...AT, kid }, claims)), 'UnknownKey')
  })

  it.each([
    ['a number', 1],
    ['an object', { $ne: null }],
  ])('kid that is %s is Malformed', async (_, kid) => {
    await expectLeft(auth.verify(await signedRaw({ ...AT, kid }, claims)), 'Malformed')
  })
})

describe('embedded and remote key headers are never followed', () => {
  let server: Server
  let hits = 0
  let url = ''
  beforeAll(async () => {
    server = createServer((_, response) => {
      hits++
      response.end('{"keys":[]}')
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`
  })
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

  const { auth } = planAuth()
  const embedded = { kty: 'oct', k: b64('attacker-chosen-secret-of-32-bytes!!') }
  it.each([
    ['jku', () => ({ jku: url })],
    ['x5u', () => ({ x5u: url })],
    ['jwk', () => ({ jwk: embedded })],
    ['x5c', () => ({ x5c: ['MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA'] })],
    ['x5t', () => ({ x5t: 'dGh1bWJwcmludA' })],
  ])('a %s header is Malformed and fetches nothing', async (_, extra) => {
    await expectLeft(auth.verify(await signedRaw({ ...AT, ...extra() }, claims)), 'Malformed')
    expect(hits).toBe(0)
  })

  it('a token signed with its own embedded jwk is refused', async () => {
    const attacker = 'attacker-chosen-secret-of-32-bytes!!'
    await expectLeft(
      auth.verify(await signedRaw({ ...AT, jwk: { kty: 'oct', k: b64(attacker) } }, claims, attacker)),
      'Malformed',
    )
    expect(hits).toBe(0)
  })
})

describe('crit, b64 and zip', () => {
  const { auth } = planAuth()
  it.each([
    ['crit naming exp', { crit: ['exp'], exp: 1 }],
    ['crit empty', { crit: [] }],
    ['b64 false (RFC 7797)', { b64: false, crit: ['b64'] }],
    ['b64 false without crit', { b64: false }],
    ['zip DEF (CVE-2024-28176 class: decompression bombs)', { zip: 'DEF' }],
    ['enc (a JWE header on a JWS)', { enc: 'A256GCM' }],
  ])('%s is Malformed', async (_, extra) => {
    await expectLeft(auth.verify(await signedRaw({ ...AT, ...extra }, claims)), 'Malformed')
  })
})

describe('typ: explicit typing (RFC 8725 §3.11, RFC 9068 §4)', () => {
  const { auth } = planAuth()
  it.each(['at+jwt', 'AT+JWT', 'application/at+jwt', 'Application/AT+JWT'])(
    'typ %j is an access token',
    async (typ) => {
      await right(auth.verify(await signedRaw({ alg: 'HS256', typ }, claims)))
    },
  )

  it.each([
    ['JWT', 'JWT'],
    ['missing', undefined],
    ['a trailing space', 'at+jwt '],
    ['application/jwt', 'application/jwt'],
    ['a number', 1],
    ['dpop+jwt', 'dpop+jwt'],
  ])('typ %s is Malformed', async (_, typ) => {
    await expectLeft(auth.verify(await signedRaw({ alg: 'HS256', typ }, claims)), 'Malformed')
  })

  it('a refresh-typed token is WrongKind where an access token is expected, and the reverse', async () => {
    const refreshClaims = { ...claims, fam: 'f1', exp: IAT + 600 }
    await expectLeft(auth.verify(await signedRaw({ alg: 'HS256', typ: 'rt+jwt' }, refreshClaims)), 'WrongKind')
    await expectLeft(auth.verify(await signedRaw(AT, claims), { kind: 'refresh' }), 'WrongKind')
  })

  it('cty (a nested JWT) is Malformed', async () => {
    await expectLeft(auth.verify(await signedRaw({ ...AT, cty: 'JWT' }, claims)), 'Malformed')
  })
})
