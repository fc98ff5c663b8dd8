import { describe, expect, it } from 'vitest'
import { AuthConfigError, createAuth } from '../../src/index.js'
import { decodeSegment, expectLeft, PRO, planAuth, right, SECRET, T0 } from '../support/auth.js'
import { AT, signedRaw, userClaims } from '../support/forge.js'

const IAT = T0 / 1000

describe('token kinds', () => {
  it('positive control: an access token verifies, a refresh token refreshes', async () => {
    const { auth } = planAuth()
    const pair = await right(auth.issuePair({ userId: '1', claims: PRO }))
    await right(auth.verify(pair.accessToken))
    await right(auth.refresh(pair.refreshToken))
  })

  it('a refresh token used as a bearer access token is WrongKind', async () => {
    const { auth } = planAuth()
    const pair = await right(auth.issuePair({ userId: '1', claims: PRO }))
    await expectLeft(auth.verify(pair.refreshToken), 'WrongKind')
  })

  it('an access token presented to refresh is WrongKind and spends nothing', async () => {
    const { auth } = planAuth()
    const pair = await right(auth.issuePair({ userId: '1', claims: PRO }))
    await expectLeft(auth.refresh(pair.accessToken), 'WrongKind')
    await right(auth.refresh(pair.refreshToken))
  })

  it('a guest token cannot be refreshed', async () => {
    const { auth } = planAuth()
    await expectLeft(auth.refresh(await right(auth.guest())), 'WrongKind')
  })

  it('a refresh-typed token without a family is InvalidClaims', async () => {
    const { auth } = planAuth()
    await expectLeft(auth.refresh(await signedRaw({ alg: 'HS256', typ: 'rt+jwt' }, userClaims(IAT))), 'InvalidClaims')
  })

  it('a refresh-typed guest token is InvalidClaims', async () => {
    const { auth } = planAuth()
    const body = {
      sub: 'guest:d',
      jti: 'j',
      iat: IAT,
      exp: IAT + 60,
      role: 'guest',
      is_guest: true,
      device_id: 'd',
      fam: 'f',
    }
    await expectLeft(auth.refresh(await signedRaw({ alg: 'HS256', typ: 'rt+jwt' }, body)), 'InvalidClaims')
  })
})

describe('guest escalation', () => {
  const guestBody = { sub: 'guest:d', jti: 'j', iat: IAT, exp: IAT + 60, role: 'guest', is_guest: true, device_id: 'd' }

  it('positive control: a consistent guest token verifies as a guest', async () => {
    const { auth } = planAuth()
    expect((await right(auth.verify(await signedRaw(AT, guestBody)))).isGuest).toBe(true)
  })

  it.each([
    ['a guest claiming admin', { role: 'admin' }],
    ['a guest whose sub is a user', { sub: 'u1' }],
    ['a guest without a device', { device_id: undefined }],
    ['a guest with is_guest false', { is_guest: false }],
    ['a user token with the guest role', { is_guest: undefined, device_id: undefined }],
  ])('%s is InvalidClaims', async (_, change) => {
    const { auth } = planAuth()
    await expectLeft(auth.verify(await signedRaw(AT, { ...guestBody, ...change })), 'InvalidClaims')
  })

  it('a guest token carries no custom claims into a principal', async () => {
    const { auth } = planAuth()
    const principal = await right(auth.verify(await signedRaw(AT, { ...guestBody, plan: 'enterprise' })))
    expect(principal).not.toHaveProperty('claims')
  })

  it('a guest token may not live longer than guestTtl', async () => {
    const { auth } = planAuth()
    await expectLeft(auth.verify(await signedRaw(AT, { ...guestBody, exp: IAT + 86_401 })), 'InvalidClaims')
  })
})

describe('revocation and reuse', () => {
  it('a revoked token is refused', async () => {
    const { auth } = planAuth()
    const token = await right(auth.issue({ userId: '1', claims: PRO }))
    await right(auth.revoke(token))
    await expectLeft(auth.verify(token), 'Revoked')
  })

  it('refresh reuse revokes the whole family (RFC 9700 §4.14.2)', async () => {
    const { auth } = planAuth()
    const pair = await right(auth.issuePair({ userId: '1', claims: PRO }))
    const next = await right(auth.refresh(pair.refreshToken))
    await expectLeft(auth.refresh(pair.refreshToken), 'RefreshReused')
    await expectLeft(auth.verify(next.accessToken), 'Revoked')
  })

  it('revoking a forged token writes nothing', async () => {
    const { auth } = planAuth()
    const real = await right(auth.issue({ userId: '1', claims: PRO }))
    const jti = decodeSegment(real, 1).jti
    const forged = await signedRaw(AT, userClaims(IAT, { jti }), 'attacker-secret-that-is-32-bytes!!')
    await expectLeft(auth.revoke(forged), 'InvalidSignature')
    await right(auth.verify(real))
  })
})

describe('weak secrets are refused at configuration', () => {
  it.each([
    ['an empty secret (the empty-secret bypass class)', ''],
    ['31 bytes', 'x'.repeat(31)],
    ['an empty Uint8Array', new Uint8Array(0)],
  ])('%s throws AuthConfigError', (_, secret) => {
    expect(() => createAuth({ secret })).toThrow(AuthConfigError)
  })

  it('positive control: 32 bytes are accepted', () => {
    expect(() => createAuth({ secret: SECRET })).not.toThrow()
  })
})
