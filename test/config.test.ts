import * as v from 'valibot'
import { describe, expect, it } from 'vitest'
import { AuthConfigError, createAuth, memoryStore } from '../src/index.js'
import { SECRET } from './support/auth.js'

const fieldOf = (config: unknown): string => {
  try {
    createAuth(config as Parameters<typeof createAuth>[0])
  } catch (error) {
    expect(error).toBeInstanceOf(AuthConfigError)
    return (error as AuthConfigError).field
  }
  throw new Error('createAuth accepted the configuration')
}

describe('createAuth configuration', () => {
  it('builds with only a secret and fills the documented defaults', () => {
    const auth = createAuth({ secret: SECRET })
    expect(auth.env.ttl).toEqual({ access: 3600, refresh: 604_800, guest: 86_400 })
    expect(auth.env.leeway).toBe(0)
    expect(auth.env.defaultRole).toBe('user')
    expect(auth.env.roles).toBeUndefined()
    expect(auth.env.maxTokenLength).toBe(8192)
  })

  it('parses duration strings and whole seconds', () => {
    const auth = createAuth({ secret: SECRET, accessTtl: '15m', refreshTtl: '7d', guestTtl: 90, leeway: '30s' })
    expect(auth.env.ttl).toEqual({ access: 900, refresh: 604_800, guest: 90 })
    expect(auth.env.leeway).toBe(30)
    expect(createAuth({ secret: SECRET, accessTtl: '1h', refreshTtl: '2w' }).env.ttl.refresh).toBe(1_209_600)
  })

  it('refuses a secret shorter than 32 bytes, counting UTF-8 bytes', () => {
    expect(fieldOf({ secret: 'x'.repeat(31) })).toBe('secret')
    expect(fieldOf({ secret: new Uint8Array(31) })).toBe('secret')
    expect(fieldOf({ secret: '' })).toBe('secret')
    expect(fieldOf({ secret: 42 })).toBe('secret')
    expect(fieldOf({})).toBe('secret')
    // 16 two-byte characters are 32 bytes.
    expect(() => createAuth({ secret: 'é'.repeat(16) })).not.toThrow()
  })

  it.each([
    ['accessTtl', 0],
    ['accessTtl', -5],
    ['refreshTtl', 1.5],
    ['guestTtl', '10 minutes'],
    ['accessTtl', '0s'],
    ['accessTtl', '15x'],
    ['refreshTtl', Number.NaN],
    ['guestTtl', Number.POSITIVE_INFINITY],
    ['leeway', -1],
    ['leeway', '1y'],
    ['accessTtl', '20000w'],
    ['refreshTtl', 3650 * 86_400 + 1],
  ])('refuses %s = %s', (field, value) => {
    expect(fieldOf({ secret: SECRET, [field]: value })).toBe(field)
  })

  it.each(['sub', 'jti', 'iat', 'exp', 'nbf', 'iss', 'aud', 'role', 'fam', 'is_guest', 'device_id', 'typ'])(
    'refuses a claims schema declaring the reserved claim %s',
    (name) => {
      expect(fieldOf({ secret: SECRET, claims: v.object({ [name]: v.string() }) })).toBe(`claims.${name}`)
    },
  )

  it('looks through a pipe for the declared claims', () => {
    const schema = v.pipe(
      v.object({ sub: v.string() }),
      v.check(() => true),
    )
    expect(fieldOf({ secret: SECRET, claims: schema })).toBe('claims.sub')
  })

  it('refuses a claims schema that is not an object schema', () => {
    expect(fieldOf({ secret: SECRET, claims: v.string() })).toBe('claims')
    expect(fieldOf({ secret: SECRET, claims: { plan: 'pro' } })).toBe('claims')
  })

  it('refuses a default role outside the roles', () => {
    expect(fieldOf({ secret: SECRET, roles: ['admin', 'member'] })).toBe('defaultRole')
    expect(fieldOf({ secret: SECRET, roles: ['admin', 'member'], defaultRole: 'owner' })).toBe('defaultRole')
    expect(createAuth({ secret: SECRET, roles: ['admin', 'member'], defaultRole: 'member' }).env.defaultRole).toBe(
      'member',
    )
  })

  it('refuses empty, repeated or reserved roles', () => {
    expect(fieldOf({ secret: SECRET, roles: [] })).toBe('roles')
    expect(fieldOf({ secret: SECRET, roles: ['user', 'user'] })).toBe('roles')
    expect(fieldOf({ secret: SECRET, roles: ['user', 'guest'] })).toBe('roles')
    expect(fieldOf({ secret: SECRET, roles: ['user', ''] })).toMatch(/^roles/)
  })

  it('refuses ports that do not fit their interface', () => {
    expect(fieldOf({ secret: SECRET, store: {} })).toBe('store')
    expect(fieldOf({ secret: SECRET, clock: { now: 5 } })).toBe('clock')
    expect(fieldOf({ secret: SECRET, ids: 'abc' })).toBe('ids')
    expect(fieldOf({ secret: SECRET, loadClaims: {} })).toBe('loadClaims')
    expect(() => createAuth({ secret: SECRET, store: memoryStore() })).not.toThrow()
  })

  it('refuses unknown fields, so a typo does not silently fall back to a default', () => {
    expect(fieldOf({ secret: SECRET, accesTtl: 60 })).toBe('accesTtl')
  })

  it('refuses a bad issuer, audience or token length cap', () => {
    expect(fieldOf({ secret: SECRET, issuer: '' })).toBe('issuer')
    expect(fieldOf({ secret: SECRET, audience: [] })).toBe('audience')
    expect(fieldOf({ secret: SECRET, maxTokenLength: 10 })).toBe('maxTokenLength')
  })

  it('names the field in the message', () => {
    expect(() => createAuth({ secret: 'short' })).toThrow(/secret/)
  })
})
