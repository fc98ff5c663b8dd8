import * as E from 'fp-ts/lib/Either.js'
import * as v from 'valibot'
import { describe, expect, it, vi } from 'vitest'
import { createAuth, fixedClock, issue, issuePair, issueRefresh } from '../src/index.js'
import { decodeSegment, expectLeft, PlanClaims, PRO, planAuth, ROLES, right, SECRET, T0 } from './support/auth.js'

const IAT = T0 / 1000

describe('issue', () => {
  it('writes the wire format of an access token', async () => {
    const { auth } = planAuth()
    const token = await right(auth.issue({ userId: '123', role: 'premium', claims: PRO }))
    expect(decodeSegment(token, 0)).toEqual({ alg: 'HS256', typ: 'at+jwt' })
    const payload = decodeSegment(token, 1)
    expect(payload).toEqual({
      sub: '123',
      jti: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/),
      iat: IAT,
      exp: IAT + 3600,
      role: 'premium',
      ...PRO,
    })
    expect(payload).not.toHaveProperty('fam')
  })

  it("gives the default role 'user'", async () => {
    const { auth } = planAuth()
    expect(decodeSegment(await right(auth.issue({ userId: '1', claims: PRO })), 1).role).toBe('user')
  })

  it('writes iss and aud when configured', async () => {
    const { auth } = planAuth({ issuer: 'https://auth.example', audience: ['api', 'admin'] })
    const payload = decodeSegment(await right(auth.issue({ userId: '1', claims: PRO })), 1)
    expect(payload.iss).toBe('https://auth.example')
    expect(payload.aud).toEqual(['api', 'admin'])
    const single = planAuth({ audience: 'api' }).auth
    expect(decodeSegment(await right(single.issue({ userId: '1', claims: PRO })), 1).aud).toBe('api')
  })

  it('validates custom claims first and signs nothing when they are invalid', async () => {
    const ids = vi.fn(() => 'id-that-must-not-be-drawn')
    const auth = createAuth({ secret: SECRET, claims: PlanClaims, clock: fixedClock(T0), ids })
    const bad = { plan: 'platinum', limits: { daily_limit: 1, features: [] } }
    const error = await expectLeft(auth.issue({ userId: '1', claims: bad as never }), 'InvalidClaims')
    expect(error._tag === 'InvalidClaims' && error.issues.length).toBeGreaterThan(0)
    await expectLeft(auth.issue({ userId: '1' } as never), 'InvalidClaims')
    expect(ids).not.toHaveBeenCalled()
  })

  it('signs the output of the schema, so defaults and transforms are what the token carries', async () => {
    const auth = createAuth({
      secret: SECRET,
      claims: v.object({ plan: v.optional(v.string(), 'free'), email: v.pipe(v.string(), v.toLowerCase()) }),
      clock: fixedClock(T0),
    })
    const payload = decodeSegment(await right(auth.issue({ userId: '1', claims: { email: 'A@B.CO' } })), 1)
    expect(payload).toMatchObject({ plan: 'free', email: 'a@b.co' })
  })

  it('drops members the object schema does not declare', async () => {
    const { auth } = planAuth()
    const payload = decodeSegment(await right(auth.issue({ userId: '1', claims: { ...PRO, admin: true } as never })), 1)
    expect(payload).not.toHaveProperty('admin')
  })

  it('refuses a loose schema that passes a reserved claim through', async () => {
    const auth = createAuth({ secret: SECRET, claims: v.looseObject({}), clock: fixedClock(T0) })
    await expectLeft(auth.issue({ userId: '1', claims: { role: 'admin' } }), 'InvalidClaims')
    await expectLeft(auth.issue({ userId: '1', claims: { sub: 'someone-else' } }), 'InvalidClaims')
  })

  it('refuses a role outside the roles, the guest role, and bad user ids', async () => {
    const { auth } = planAuth()
    await expectLeft(auth.issue({ userId: '1', role: 'root' as never, claims: PRO }), 'InvalidClaims')
    await expectLeft(auth.issue({ userId: '1', role: 'guest' as never, claims: PRO }), 'InvalidClaims')
    await expectLeft(auth.issue({ userId: '', claims: PRO }), 'InvalidClaims')
    await expectLeft(auth.issue({ userId: 'x'.repeat(257), claims: PRO }), 'InvalidClaims')
    await expectLeft(auth.issue({ userId: 42 as never, claims: PRO }), 'InvalidClaims')
    await expectLeft(auth.issue({ userId: 'guest:d-1', claims: PRO }), 'InvalidClaims')
    await expectLeft(auth.issue(null as never), 'InvalidClaims')
  })

  it('takes a per-call ttl that shortens, never lengthens, the lifetime', async () => {
    const { auth } = planAuth()
    expect(decodeSegment(await right(auth.issue({ userId: '1', claims: PRO, ttl: '5m' })), 1).exp).toBe(IAT + 300)
    await expectLeft(auth.issue({ userId: '1', claims: PRO, ttl: '2h' }), 'InvalidClaims')
    await expectLeft(auth.issue({ userId: '1', claims: PRO, ttl: 0 }), 'InvalidClaims')
    await expectLeft(auth.issue({ userId: '1', claims: PRO, ttl: 'soon' as never }), 'InvalidClaims')
  })

  it('answers a Left, not a throw, when the ids port fails', async () => {
    const auth = createAuth({
      secret: SECRET,
      ids: () => {
        throw new Error('entropy exhausted')
      },
    })
    await expectLeft(auth.issue({ userId: '1' }), 'StoreUnavailable')
  })

  it('signs nothing verify would refuse: an overlong role, an unusable id', async () => {
    const auth = createAuth({ secret: SECRET, clock: fixedClock(T0) })
    await expectLeft(auth.issue({ userId: '1', role: 'r'.repeat(257) }), 'InvalidClaims')
    for (const id of ['', 'x'.repeat(257), 42]) {
      const odd = createAuth({ secret: SECRET, clock: fixedClock(T0), ids: () => id as string })
      await expectLeft(odd.issue({ userId: '1' }), 'StoreUnavailable')
      await expectLeft(odd.issuePair({ userId: '1' }), 'StoreUnavailable')
      await expectLeft(odd.guest(), 'StoreUnavailable')
    }
  })

  it('exists as a pure function of the environment', async () => {
    const { auth } = planAuth()
    const token = await issue(auth.env)({ userId: '1', claims: PRO })()
    expect(E.isRight(token)).toBe(true)
  })
})

describe('issueRefresh', () => {
  it('writes a refresh token of a new family', async () => {
    const { auth } = planAuth()
    const token = await right(issueRefresh(auth.env)({ userId: '1', role: 'admin', claims: PRO }))
    expect(decodeSegment(token, 0)).toEqual({ alg: 'HS256', typ: 'rt+jwt' })
    const payload = decodeSegment(token, 1)
    expect(payload).toMatchObject({ sub: '1', role: 'admin', iat: IAT, exp: IAT + 604_800, ...PRO })
    expect(payload.fam).toEqual(expect.any(String))
  })
})

describe('issuePair', () => {
  it('issues an access and a refresh token of one family', async () => {
    const { auth } = planAuth()
    const pair = await right(issuePair(auth.env)({ userId: '7', role: 'moderator', claims: PRO }))
    expect(pair.tokenType).toBe('Bearer')
    expect(pair.expiresIn).toBe(3600)
    const access = decodeSegment(pair.accessToken, 1)
    const refresh = decodeSegment(pair.refreshToken, 1)
    expect(decodeSegment(pair.accessToken, 0).typ).toBe('at+jwt')
    expect(decodeSegment(pair.refreshToken, 0).typ).toBe('rt+jwt')
    expect(access.fam).toEqual(expect.any(String))
    expect(access.fam).toBe(refresh.fam)
    expect(access.jti).not.toBe(refresh.jti)
    expect(refresh.exp).toBe(IAT + 604_800)
    expect(access.role).toBe('moderator')
  })

  it('gives every pair its own family', async () => {
    const { auth } = planAuth()
    const a = await right(auth.issuePair({ userId: '7', claims: PRO }))
    const b = await right(auth.issuePair({ userId: '7', claims: PRO }))
    expect(decodeSegment(a.refreshToken, 1).fam).not.toBe(decodeSegment(b.refreshToken, 1).fam)
  })

  it('lets claims be omitted when the schema accepts {}', async () => {
    const auth = createAuth({ secret: SECRET, roles: ROLES })
    const pair = await right(auth.issuePair({ userId: '7' }))
    expect(Object.keys(decodeSegment(pair.accessToken, 1)).sort()).toEqual(
      ['exp', 'fam', 'iat', 'jti', 'role', 'sub'].sort(),
    )
  })
})
