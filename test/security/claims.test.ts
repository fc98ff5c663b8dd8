import { describe, it } from 'vitest'
import { expectLeft, planAuth, right, T0 } from '../support/auth.js'
import { AT, signedRaw, userClaims } from '../support/forge.js'

const IAT = T0 / 1000

describe('positive control', () => {
  it('integer iat and exp inside the window verify', async () => {
    const { auth } = planAuth()
    await right(auth.verify(await signedRaw(AT, userClaims(IAT))))
  })
})

describe('exp, nbf and iat: boundaries, types, infinities, milliseconds', () => {
  const { auth } = planAuth()
  it.each([
    ['exp as a string', { exp: String(IAT + 60) }],
    ['exp as a float', { exp: IAT + 60.5 }],
    ['exp 1e400 (parses to Infinity)', { exp: '1e400' }],
    ['exp negative', { exp: -1 }],
    ['exp missing', { exp: undefined }],
    ['exp null', { exp: null }],
    ['exp as milliseconds', { exp: (IAT + 60) * 1000 }],
    ['iat as milliseconds', { iat: IAT * 1000, exp: IAT * 1000 + 60 }],
    ['iat missing', { iat: undefined }],
    ['nbf as a string', { nbf: String(IAT) }],
    ['exp equal to iat', { exp: IAT }],
    ['exp before iat', { exp: IAT - 1 }],
    ['a lifetime longer than accessTtl', { exp: IAT + 3601 }],
  ])('%s is refused', async (_, change) => {
    const body = JSON.stringify(userClaims(IAT, change)).replace('"1e400"', '1e400')
    const result = await auth.verify(await signedRaw(AT, body))()
    if (result._tag === 'Right') throw new Error('accepted')
  })

  it('now = exp is Expired; now = exp − 1 ms is valid', async () => {
    const { auth, clock } = planAuth()
    const token = await signedRaw(AT, userClaims(IAT))
    clock.set((IAT + 3600) * 1000 - 1)
    await right(auth.verify(token))
    clock.set((IAT + 3600) * 1000)
    await expectLeft(auth.verify(token), 'Expired')
  })

  it('an iat one second ahead is NotYetValid; an nbf one second ahead too', async () => {
    await expectLeft(auth.verify(await signedRaw(AT, userClaims(IAT + 1))), 'NotYetValid')
    await expectLeft(auth.verify(await signedRaw(AT, userClaims(IAT, { nbf: IAT + 1 }))), 'NotYetValid')
  })

  it('an expired token stays expired however large the leeway claim in the token', async () => {
    const { auth, clock } = planAuth()
    const token = await signedRaw(AT, userClaims(IAT, { leeway: 1e9, clockTolerance: 1e9 }))
    clock.set((IAT + 3600) * 1000)
    await expectLeft(auth.verify(token), 'Expired')
  })
})

describe('iss and aud', () => {
  const { auth } = planAuth({ issuer: 'https://auth.example', audience: 'api' })
  const ok = { iss: 'https://auth.example', aud: 'api' }

  it('positive control: matching iss and aud verify', async () => {
    await right(auth.verify(await signedRaw(AT, userClaims(IAT, ok))))
  })

  it('an issuer array is refused (the fast-jwt issuer-array bypass class)', async () => {
    await expectLeft(
      auth.verify(
        await signedRaw(AT, userClaims(IAT, { ...ok, iss: ['https://evil.example', 'https://auth.example'] })),
      ),
      'InvalidClaims',
    )
  })

  it.each([
    ['another issuer', { iss: 'https://evil.example' }],
    ['a prefix of the issuer', { iss: 'https://auth.example.evil' }],
    ['a case change', { iss: 'https://AUTH.example' }],
    ['no issuer', { iss: undefined }],
  ])('%s is InvalidIssuer', async (_, change) => {
    await expectLeft(auth.verify(await signedRaw(AT, userClaims(IAT, { ...ok, ...change }))), 'InvalidIssuer')
  })

  it.each([
    ['another audience', { aud: 'admin-api' }],
    ['an array without ours', { aud: ['web', 'mobile'] }],
    ['an empty array', { aud: [] }],
    ['no audience', { aud: undefined }],
  ])('%s is InvalidAudience', async (_, change) => {
    await expectLeft(auth.verify(await signedRaw(AT, userClaims(IAT, { ...ok, ...change }))), 'InvalidAudience')
  })

  it('an audience array naming ours verifies (RFC 7519 §4.1.3)', async () => {
    await right(auth.verify(await signedRaw(AT, userClaims(IAT, { ...ok, aud: ['web', 'api'] }))))
  })

  it('an audience of the wrong type is InvalidClaims', async () => {
    await expectLeft(auth.verify(await signedRaw(AT, userClaims(IAT, { ...ok, aud: { api: true } }))), 'InvalidClaims')
  })
})

describe('sub, jti and role', () => {
  const { auth } = planAuth()
  it.each([
    ['an empty sub', { sub: '' }],
    ['a numeric sub', { sub: 123 }],
    ['a sub over 256 characters', { sub: 'x'.repeat(257) }],
    ['an empty jti', { jti: '' }],
    ['a jti over 256 characters', { jti: 'j'.repeat(257) }],
    ['a role outside the roles', { role: 'superadmin' }],
    ['a role array', { role: ['admin'] }],
    ['a missing role', { role: undefined }],
  ])('%s is InvalidClaims', async (_, change) => {
    await expectLeft(auth.verify(await signedRaw(AT, userClaims(IAT, change))), 'InvalidClaims')
  })
})
