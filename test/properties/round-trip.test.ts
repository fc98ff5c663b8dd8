import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { PRO, planAuth, right } from '../support/auth.js'

const plan = fc.constantFrom('free' as const, 'pro' as const, 'enterprise' as const)
const claims = fc.record({
  plan,
  limits: fc.record({
    daily_limit: fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => (Object.is(n, -0) ? 0 : n)),
    features: fc.array(fc.string({ unit: 'binary' }), { maxLength: 5 }),
  }),
})
const role = fc.constantFrom('user' as const, 'premium' as const, 'admin' as const, 'moderator' as const)
const userId = fc.string({ minLength: 1, maxLength: 64, unit: 'binary' }).filter((id) => !id.startsWith('guest:'))

describe('issue → verify', () => {
  it('returns any claims the schema accepts unchanged, with the user and role', async () => {
    const { auth } = planAuth()
    await fc.assert(
      fc.asyncProperty(userId, role, claims, async (id, r, c) => {
        const principal = await right(auth.verify(await right(auth.issue({ userId: id, role: r, claims: c }))))
        expect(principal.isGuest).toBe(false)
        expect(principal.userId).toBe(id)
        expect(principal.role).toBe(r)
        expect(principal.isGuest === false && principal.claims).toEqual(c)
      }),
      { numRuns: 200 },
    )
  })

  it('returns the device of any guest', async () => {
    const { auth } = planAuth()
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 1, maxLength: 200, unit: 'binary' }), async (deviceId) => {
        const principal = await right(auth.verify(await right(auth.guest({ deviceId }))))
        expect(principal).toMatchObject({ isGuest: true, deviceId, userId: `guest:${deviceId}`, role: 'guest' })
      }),
      { numRuns: 100 },
    )
  })

  it('keeps the custom claims of a refreshed pair', async () => {
    const { auth } = planAuth()
    await fc.assert(
      fc.asyncProperty(claims, async (c) => {
        const pair = await right(auth.issuePair({ userId: 'u', claims: c }))
        const next = await right(auth.refresh(pair.refreshToken))
        const principal = await right(auth.verify(next.accessToken))
        expect(principal.isGuest === false && principal.claims).toEqual(c)
      }),
      { numRuns: 50 },
    )
  })

  it('holds for the fixed example too', async () => {
    const { auth } = planAuth()
    const principal = await right(auth.verify(await right(auth.issue({ userId: '1', claims: PRO }))))
    expect(principal.isGuest === false && principal.claims).toEqual(PRO)
  })
})
