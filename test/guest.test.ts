import { describe, expect, it } from 'vitest'
import { guest } from '../src/index.js'
import { decodeSegment, expectLeft, planAuth, right, T0 } from './support/auth.js'

const IAT = T0 / 1000

describe('guest', () => {
  it('writes the wire format of a guest token', async () => {
    const { auth } = planAuth()
    const token = await right(auth.guest({ deviceId: 'ios-42' }))
    expect(decodeSegment(token, 0)).toEqual({ alg: 'HS256', typ: 'at+jwt' })
    expect(decodeSegment(token, 1)).toEqual({
      sub: 'guest:ios-42',
      jti: expect.any(String),
      iat: IAT,
      exp: IAT + 86_400,
      role: 'guest',
      is_guest: true,
      device_id: 'ios-42',
    })
  })

  it('generates a device id when none is given', async () => {
    const { auth } = planAuth()
    const a = decodeSegment(await right(guest(auth.env)()), 1)
    const b = decodeSegment(await right(auth.guest({})), 1)
    expect(a.device_id).toMatch(/^[A-Za-z0-9_-]{22}$/)
    expect(a.device_id).not.toBe(b.device_id)
    expect(a.sub).toBe(`guest:${a.device_id}`)
  })

  it('verifies to a guest principal', async () => {
    const { auth } = planAuth()
    const principal = await right(auth.verify(await right(auth.guest({ deviceId: 'web-1' }))))
    expect(principal).toEqual({
      isGuest: true,
      userId: 'guest:web-1',
      role: 'guest',
      deviceId: 'web-1',
      tokenId: expect.any(String),
      issuedAt: IAT,
      expiresAt: IAT + 86_400,
    })
  })

  it('takes a shorter ttl but not a longer one', async () => {
    const { auth } = planAuth()
    expect(decodeSegment(await right(auth.guest({ ttl: '1h' })), 1).exp).toBe(IAT + 3600)
    await expectLeft(auth.guest({ ttl: '2d' }), 'InvalidClaims')
  })

  it('refuses device ids that are empty, too long or not strings', async () => {
    const { auth } = planAuth()
    await expectLeft(auth.guest({ deviceId: '' }), 'InvalidClaims')
    await expectLeft(auth.guest({ deviceId: 'd'.repeat(201) }), 'InvalidClaims')
    await expectLeft(auth.guest({ deviceId: 7 as never }), 'InvalidClaims')
  })

  it('cannot be refreshed', async () => {
    const { auth } = planAuth()
    const token = await right(auth.guest())
    await expectLeft(auth.refresh(token), 'WrongKind')
  })
})
