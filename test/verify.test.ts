import * as v from 'valibot'
import { describe, expect, it } from 'vitest'
import { createAuth, fixedClock, type TokenStore, verify } from '../src/index.js'
import { expectLeft, PlanClaims, PRO, planAuth, ROLES, right, SECRET, T0 } from './support/auth.js'
import { forge, userClaims } from './support/forge.js'

const IAT = T0 / 1000

describe('verify', () => {
  it('answers the typed user principal of an access token', async () => {
    const { auth } = planAuth()
    const token = await right(auth.issue({ userId: '123', role: 'admin', claims: PRO }))
    expect(await right(auth.verify(token))).toEqual({
      isGuest: false,
      userId: '123',
      role: 'admin',
      claims: PRO,
      tokenId: expect.any(String),
      issuedAt: IAT,
      expiresAt: IAT + 3600,
    })
  })

  it('refuses a refresh token unless asked for one, and an access token when asked for one', async () => {
    const { auth } = planAuth()
    const pair = await right(auth.issuePair({ userId: '1', claims: PRO }))
    const asAccess = await expectLeft(auth.verify(pair.refreshToken), 'WrongKind')
    expect(asAccess._tag === 'WrongKind' && asAccess.expected).toBe('access')
    expect((await right(auth.verify(pair.refreshToken, { kind: 'refresh' }))).userId).toBe('1')
    await expectLeft(auth.verify(pair.accessToken, { kind: 'refresh' }), 'WrongKind')
    await expectLeft(auth.verify(await right(auth.guest()), { kind: 'refresh' }), 'WrongKind')
  })

  it('is valid exactly while now < exp', async () => {
    const { auth, clock } = planAuth()
    const token = await right(auth.issue({ userId: '1', claims: PRO }))
    clock.set((IAT + 3600) * 1000 - 1)
    await right(auth.verify(token))
    clock.set((IAT + 3600) * 1000)
    const error = await expectLeft(auth.verify(token), 'Expired')
    expect(error._tag === 'Expired' && error.expiredAt).toBe(IAT + 3600)
  })

  it('widens the window by the leeway on both sides', async () => {
    const { auth, clock } = planAuth({ leeway: 30 })
    const token = await right(auth.issue({ userId: '1', claims: PRO }))
    clock.set((IAT + 3630) * 1000 - 1)
    await right(auth.verify(token))
    clock.set((IAT + 3630) * 1000)
    await expectLeft(auth.verify(token), 'Expired')
    clock.set((IAT - 30) * 1000)
    await right(auth.verify(token))
    clock.set((IAT - 30) * 1000 - 1)
    await expectLeft(auth.verify(token), 'NotYetValid')
  })

  it('answers NotYetValid for an iat or nbf in the future', async () => {
    const { auth } = planAuth()
    await expectLeft(auth.verify(await forge(userClaims(IAT + 1))), 'NotYetValid')
    await expectLeft(auth.verify(await forge(userClaims(IAT, { nbf: IAT + 1 }))), 'NotYetValid')
    await right(auth.verify(await forge(userClaims(IAT, { nbf: IAT }))))
  })

  it('refuses a token that lives longer than its kind allows', async () => {
    const { auth } = planAuth()
    await expectLeft(auth.verify(await forge(userClaims(IAT, { exp: IAT + 3601 }))), 'InvalidClaims')
  })

  it('answers InvalidClaims with valibot issues when the payload does not match the schema', async () => {
    const { auth } = planAuth()
    const error = await expectLeft(auth.verify(await forge(userClaims(IAT, { plan: 'gold' }))), 'InvalidClaims')
    expect(error._tag === 'InvalidClaims' && error.issues[0]?.path?.[0]?.key).toBe('plan')
    await expectLeft(auth.verify(await forge(userClaims(IAT, { role: 'root' }))), 'InvalidClaims')
    await expectLeft(auth.verify(await forge(userClaims(IAT, { sub: 42 }))), 'InvalidClaims')
    await expectLeft(auth.verify(await forge(userClaims(IAT, { jti: undefined }))), 'InvalidClaims')
    await expectLeft(auth.verify(await forge(userClaims(IAT, { exp: 'tomorrow' }))), 'InvalidClaims')
  })

  it('refuses a user token that claims the guest role or a device', async () => {
    const { auth } = planAuth()
    await expectLeft(auth.verify(await forge(userClaims(IAT, { role: 'guest' }))), 'InvalidClaims')
    await expectLeft(auth.verify(await forge(userClaims(IAT, { device_id: 'd' }))), 'InvalidClaims')
    const guestish = { sub: 'u1', jti: 'j', iat: IAT, exp: IAT + 60, role: 'admin', is_guest: true, device_id: 'd' }
    await expectLeft(auth.verify(await forge(guestish)), 'InvalidClaims')
  })

  it('answers InvalidSignature for another secret and Malformed for what is not a compact JWS', async () => {
    const { auth } = planAuth()
    await expectLeft(
      auth.verify(await forge(userClaims(IAT), undefined, 'another-secret-of-at-least-32-bytes!')),
      'InvalidSignature',
    )
    for (const junk of ['', 'abc', 'a.b', 'a.b.c.d', '...', 'Bearer x.y.z'])
      await expectLeft(auth.verify(junk), 'Malformed')
    await expectLeft(auth.verify(42 as never), 'Malformed')
    await expectLeft(auth.verify(await forge(userClaims(IAT), { alg: 'HS256', typ: 'JWT' })), 'Malformed')
  })

  it('answers UnknownKey for a kid the ring does not hold, AlgorithmNotAllowed for another alg', async () => {
    const { auth } = planAuth()
    await expectLeft(
      auth.verify(await forge(userClaims(IAT), { alg: 'HS256', typ: 'at+jwt', kid: 'k9' })),
      'UnknownKey',
    )
    await expectLeft(auth.verify(await forge(userClaims(IAT), { alg: 'HS512', typ: 'at+jwt' })), 'AlgorithmNotAllowed')
  })

  it('checks the issuer and the audience when configured', async () => {
    const { auth } = planAuth({ issuer: 'https://a.example', audience: ['api', 'web'] })
    const ok = { iss: 'https://a.example', aud: 'web' }
    await right(auth.verify(await forge(userClaims(IAT, ok))))
    await right(auth.verify(await forge(userClaims(IAT, { ...ok, aud: ['other', 'api'] }))))
    await expectLeft(auth.verify(await forge(userClaims(IAT, { ...ok, iss: 'https://b.example' }))), 'InvalidIssuer')
    await expectLeft(auth.verify(await forge(userClaims(IAT, { ...ok, iss: ['https://a.example'] }))), 'InvalidClaims')
    await expectLeft(auth.verify(await forge(userClaims(IAT, { aud: 'api' }))), 'InvalidIssuer')
    await expectLeft(auth.verify(await forge(userClaims(IAT, { ...ok, aud: 'other' }))), 'InvalidAudience')
    await expectLeft(auth.verify(await forge(userClaims(IAT, { ...ok, aud: [] }))), 'InvalidAudience')
    await expectLeft(auth.verify(await forge(userClaims(IAT, { iss: ok.iss }))), 'InvalidAudience')
  })

  it('answers Revoked for a revoked token', async () => {
    const { auth } = planAuth()
    const token = await right(auth.issue({ userId: '1', claims: PRO }))
    await right(auth.revoke(token))
    await expectLeft(auth.verify(token), 'Revoked')
  })

  it('fails closed with StoreUnavailable when the store fails', async () => {
    const failing: TokenStore = {
      check: () => Promise.reject(new Error('connection refused')),
      revoke: () => Promise.reject(new Error('connection refused')),
      consume: () => Promise.reject(new Error('connection refused')),
      revokeFamily: () => Promise.reject(new Error('connection refused')),
      revokeUser: () => Promise.reject(new Error('connection refused')),
    }
    const auth = createAuth({ secret: SECRET, claims: PlanClaims, clock: fixedClock(T0), store: failing })
    const token = await right(auth.issue({ userId: '1', claims: PRO }))
    const error = await expectLeft(auth.verify(token), 'StoreUnavailable')
    expect(error._tag === 'StoreUnavailable' && (error.cause as Error).message).toBe('connection refused')
    const throwing = {
      ...failing,
      check: () => {
        throw new Error('sync throw')
      },
    } as TokenStore
    const auth2 = createAuth({ secret: SECRET, claims: PlanClaims, clock: fixedClock(T0), store: throwing })
    await expectLeft(auth2.verify(token), 'StoreUnavailable')
  })

  it('does not consult the store for a token that fails earlier checks', async () => {
    let calls = 0
    const counting: TokenStore = {
      check: async () => {
        calls++
        return 'active' as const
      },
      revoke: async () => undefined,
      consume: async () => true,
      revokeFamily: async () => undefined,
      revokeUser: async () => undefined,
    }
    const auth = createAuth({
      secret: SECRET,
      claims: PlanClaims,
      roles: ROLES,
      clock: fixedClock(T0),
      store: counting,
    })
    await expectLeft(
      auth.verify(await forge(userClaims(IAT), undefined, 'another-secret-of-at-least-32-bytes!')),
      'InvalidSignature',
    )
    await expectLeft(auth.verify(await forge(userClaims(IAT, { plan: 'gold' }))), 'InvalidClaims')
    expect(calls).toBe(0)
    await right(auth.verify(await forge(userClaims(IAT))))
    expect(calls).toBe(1)
  })

  it('never puts the token into an error', async () => {
    const { auth, clock } = planAuth()
    const token = await right(auth.issue({ userId: '1', claims: PRO }))
    clock.advance(7200_000)
    const error = await expectLeft(auth.verify(token), 'Expired')
    expect(JSON.stringify(error)).not.toContain(token.split('.')[2])
    const junk = `${token}x`
    const bad = await expectLeft(auth.verify(junk), 'InvalidSignature')
    expect(JSON.stringify(bad)).not.toContain(junk)
  })

  it('validates claims with transforms into their output type', async () => {
    const auth = createAuth({
      secret: SECRET,
      claims: v.object({ seats: v.pipe(v.number(), v.integer(), v.minValue(1)) }),
      clock: fixedClock(T0),
    })
    const token = await right(verify(auth.env)(await right(auth.issue({ userId: '1', claims: { seats: 3 } }))))
    expect(token.isGuest === false && token.claims).toEqual({ seats: 3 })
  })
})
