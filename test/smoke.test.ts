import { describe, expect, it } from 'vitest'
import { PRO, planAuth, right } from './support/auth.js'

describe('smoke', () => {
  it('issues and verifies', async () => {
    const { auth } = planAuth()
    const token = await right(auth.issue({ userId: '123', claims: PRO }))
    const principal = await right(auth.verify(token))
    expect(principal).toMatchObject({ isGuest: false, userId: '123', role: 'user', claims: PRO })
    const pair = await right(auth.issuePair({ userId: '1', role: 'admin', claims: PRO }))
    const next = await right(auth.refresh(pair.refreshToken))
    expect(next.tokenType).toBe('Bearer')
  })
})
