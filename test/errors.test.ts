import { describe, expect, it } from 'vitest'
import {
  type AuthError,
  algorithmNotAllowed,
  bearerChallenge,
  expired,
  invalidAudience,
  invalidClaims,
  invalidIssuer,
  invalidSignature,
  isAuthError,
  malformed,
  notYetValid,
  refreshReused,
  revoked,
  storeUnavailable,
  toHttp,
  unknownKey,
  wrongKind,
} from '../src/index.js'

const ALL: AuthError[] = [
  malformed('three segments'),
  invalidSignature(),
  unknownKey(),
  algorithmNotAllowed(),
  expired(1),
  notYetValid(),
  invalidIssuer(),
  invalidAudience(),
  wrongKind('access'),
  invalidClaims([]),
  revoked(),
  refreshReused(),
  storeUnavailable(new Error('down')),
]

describe('errors', () => {
  it('are plain data with a stable message per tag', () => {
    expect(new Set(ALL.map((e) => e._tag)).size).toBe(13)
    for (const error of ALL) {
      expect(isAuthError(error)).toBe(true)
      expect(error.message).toMatch(/^[A-Z].*\.$/)
      expect(Object.getPrototypeOf(error)).toBe(Object.prototype)
    }
    expect(isAuthError({ _tag: 'toString' })).toBe(false)
    expect(isAuthError(new Error('x'))).toBe(false)
  })

  it('keep the cause of a store failure', () => {
    const cause = new Error('ECONNREFUSED')
    const error = storeUnavailable(cause)
    expect(error._tag === 'StoreUnavailable' && error.cause).toBe(cause)
  })
})

describe('toHttp', () => {
  it('answers 401 with an RFC 6750 invalid_token challenge for every token error', () => {
    for (const error of ALL.filter((e) => e._tag !== 'StoreUnavailable')) {
      const http = toHttp(error, { realm: 'api' })
      expect(http.status).toBe(401)
      expect(http.headers['WWW-Authenticate']).toBe(
        `Bearer realm="api", error="invalid_token", error_description="${error.message}"`,
      )
      expect(http.body).toEqual({ error: 'invalid_token', message: error.message })
    }
  })

  it('answers 503 when the store is down: verification failed closed', () => {
    const http = toHttp(storeUnavailable(new Error('down')))
    expect(http.status).toBe(503)
    expect(http.headers['WWW-Authenticate']).toBeUndefined()
    expect(http.body.error).toBe('temporarily_unavailable')
  })

  it('keeps challenge parameters within the RFC 6750 character set', () => {
    expect(bearerChallenge({ realm: 'a"b\\c\u00e9' })).toBe('Bearer realm="abc"')
    expect(bearerChallenge({})).toBe('Bearer')
    expect(bearerChallenge({ realm: 'r', error: 'insufficient_scope', scope: 'admin' })).toBe(
      'Bearer realm="r", scope="admin", error="insufficient_scope"',
    )
  })
})
