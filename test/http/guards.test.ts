import { describe, expect, it } from 'vitest'
import { requireAuth, requireRole } from '../../src/http/index.js'
import { AuthConfigError, type GuestPrincipal, type UserPrincipal } from '../../src/index.js'

type Role = 'user' | 'admin' | 'moderator'
const userWith = (role: Role): UserPrincipal<{ plan: string }, Role> => ({
  isGuest: false,
  userId: `u-${role}`,
  role,
  claims: { plan: 'pro' },
  tokenId: 't',
  issuedAt: 0,
  expiresAt: 1,
})
const guest: GuestPrincipal = {
  isGuest: true,
  userId: 'guest:d',
  role: 'guest',
  deviceId: 'd',
  tokenId: 't',
  issuedAt: 0,
  expiresAt: 1,
}

const answer = (decision: { _tag: string; response?: { status: number; headers: Record<string, string> } }) =>
  decision._tag === 'Allow' ? 200 : [decision.response?.status, decision.response?.headers['WWW-Authenticate']]

describe('requireAuth', () => {
  it('lets registered users through, refuses guests (403) and absent principals (401)', () => {
    expect(requireAuth(userWith('user'))).toEqual({ _tag: 'Allow', principal: userWith('user') })
    expect(answer(requireAuth(guest))).toEqual([
      403,
      'Bearer realm="api", error="insufficient_scope", error_description="A registered user is required."',
    ])
    expect(answer(requireAuth(undefined, { realm: 'r' }))).toEqual([401, 'Bearer realm="r"'])
  })
})

describe('requireRole', () => {
  it.each([
    ['admin', 'admin', 200],
    ['admin', 'user', 403],
    [['admin', 'moderator'], 'admin', 200],
    [['admin', 'moderator'], 'moderator', 200],
    [['admin', 'moderator'], 'user', 403],
  ] as const)('requireRole(%j) with a %s', (roles, role, expected) => {
    const decision = requireRole(roles)(userWith(role))
    expect(decision._tag === 'Allow' ? 200 : decision.response.status).toBe(expected)
  })

  it('refuses guests with 403 and absent principals with 401', () => {
    const guard = requireRole(['admin', 'moderator'])
    const refused = guard(guest)
    expect(refused._tag === 'Deny' && refused.response).toMatchObject({
      status: 403,
      body: { error: 'insufficient_scope' },
      headers: { 'WWW-Authenticate': expect.stringMatching(/^Bearer realm="api", error="insufficient_scope"/) },
    })
    expect(answer(guard(undefined))).toEqual([401, 'Bearer realm="api"'])
  })

  it.each([[[]], [''], [['admin', '']], [['guest']], [[7]], [undefined]])(
    'throws AuthConfigError when built with %j',
    (roles) => {
      expect(() => requireRole(roles as never)).toThrow(AuthConfigError)
    },
  )
})
