import { describe, expect, it } from 'vitest'
import { addKey, createAuth, fixedClock, generateKey, keyRing, memoryStore, retire, rotate } from '../../src/index.js'
import { decodeSegment, expectLeft, right, T0 } from '../support/auth.js'

const MINUTE = 60_000

describe('a full key rotation, on the injected clock', () => {
  it('pre-publishes, rotates, keeps old tokens valid, then retires the old key', async () => {
    const clock = fixedClock(T0)
    const store = memoryStore()
    const config = { clock, store, accessTtl: '15m', refreshTtl: '1d' } as const
    const old = await generateKey('ES256', { kid: '2026-06' })
    const next = await generateKey('ES256', { kid: '2026-12' })

    // Day 0: one key signs everything.
    const v1 = createAuth({ ...config, keys: keyRing(old) })
    const oldAccess = await right(v1.issue({ userId: 'u1' }))
    const oldPair = await right(v1.issuePair({ userId: 'u2' }))
    expect(decodeSegment(oldAccess, 0).kid).toBe('2026-06')

    // Step 1: every instance learns the next key before any of them signs with it.
    const prepublished = addKey(keyRing(old), next)
    const v1b = createAuth({ ...config, keys: prepublished })
    expect(decodeSegment(await right(v1b.issue({ userId: 'u1' })), 0).kid).toBe('2026-06')

    // Step 2: rotate. New tokens carry the new kid; old ones still verify, on old and new instances.
    clock.advance(5 * MINUTE)
    const rotated = rotate(prepublished, next)
    const v2 = createAuth({ ...config, keys: rotated })
    const newAccess = await right(v2.issue({ userId: 'u1' }))
    expect(decodeSegment(newAccess, 0)).toMatchObject({ alg: 'ES256', kid: '2026-12' })
    expect(await right(v2.verify(oldAccess))).toMatchObject({ userId: 'u1' })
    expect(await right(v1b.verify(newAccess))).toMatchObject({ userId: 'u1' })

    // A refresh token signed with the old key still refreshes; the new pair is signed with the new key.
    const refreshed = await right(v2.refresh(oldPair.refreshToken))
    expect(decodeSegment(refreshed.accessToken, 0).kid).toBe('2026-12')
    expect(decodeSegment(refreshed.refreshToken, 0).kid).toBe('2026-12')

    // Step 3: once the longest-lived old token could have expired, retire the old key.
    clock.advance(5 * MINUTE)
    const retired = retire(rotated, '2026-06')
    const v3 = createAuth({ ...config, keys: retired })
    expect(retired.verifying).toEqual([])
    await expectLeft(v3.verify(oldAccess), 'UnknownKey')
    await expectLeft(v3.refresh(oldPair.refreshToken), 'UnknownKey')
    expect(await right(v3.verify(newAccess))).toMatchObject({ userId: 'u1' })
    expect(await right(v3.verify(refreshed.accessToken))).toMatchObject({ userId: 'u2' })

    // And the old ring instance, if left running, does not know tokens of the new key.
    await expectLeft(v1.verify(newAccess), 'UnknownKey')
  })

  it('rotating across algorithms works the same (HS256 → EdDSA)', async () => {
    const clock = fixedClock(T0)
    const hs = await generateKey('HS256', { kid: 'hs' })
    const ed = await generateKey('EdDSA', { kid: 'ed' })
    const before = createAuth({ clock, keys: keyRing(hs) })
    const token = await right(before.issue({ userId: 'u1' }))
    const after = createAuth({ clock, keys: rotate(keyRing(hs), ed) })
    expect(await right(after.verify(token))).toMatchObject({ userId: 'u1' })
    expect(decodeSegment(await right(after.issue({ userId: 'u1' })), 0)).toMatchObject({ alg: 'EdDSA', kid: 'ed' })
  })
})
