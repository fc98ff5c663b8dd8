import { describe, it } from 'vitest'
import { expectLeft, PRO, planAuth, right } from '../support/auth.js'
import { b64 } from '../support/forge.js'

const edit = (token: string, change: (payload: Record<string, unknown>) => void): string => {
  const [h, p, s] = token.split('.') as [string, string, string]
  const payload = JSON.parse(Buffer.from(p, 'base64url').toString())
  change(payload)
  return `${h}.${b64(JSON.stringify(payload))}.${s}`
}

describe('tampering', () => {
  const { auth } = planAuth()
  const token = () => right(auth.issue({ userId: 'u1', claims: { ...PRO, plan: 'free' } }))

  it('positive control: the untouched token verifies', async () => {
    await right(auth.verify(await token()))
  })

  it.each([
    ['role escalated to admin', (p: Record<string, unknown>) => Object.assign(p, { role: 'admin' })],
    ['plan upgraded', (p: Record<string, unknown>) => Object.assign(p, { plan: 'enterprise' })],
    ['subject swapped', (p: Record<string, unknown>) => Object.assign(p, { sub: 'u2' })],
    ['expiry extended', (p: Record<string, unknown>) => Object.assign(p, { exp: (p.exp as number) + 60 })],
    ['jti changed to dodge a revocation', (p: Record<string, unknown>) => Object.assign(p, { jti: 'fresh' })],
    ['a family added', (p: Record<string, unknown>) => Object.assign(p, { fam: 'f-other' })],
  ])('%s under the old signature is InvalidSignature', async (_, change) => {
    await expectLeft(auth.verify(edit(await token(), change)), 'InvalidSignature')
  })

  it('the signature of one token on the payload of another is InvalidSignature', async () => {
    const [a, b] = [await token(), await right(auth.issue({ userId: 'admin', role: 'admin', claims: PRO }))]
    const [h, , s] = a.split('.')
    await expectLeft(auth.verify(`${h}.${b.split('.')[1]}.${s}`), 'InvalidSignature')
  })

  it('a guest header and payload with a user signature is InvalidSignature', async () => {
    const [g, u] = [await right(auth.guest()), await token()]
    await expectLeft(auth.verify(`${g.split('.')[0]}.${g.split('.')[1]}.${u.split('.')[2]}`), 'InvalidSignature')
  })

  it('a refresh header on an access payload is InvalidSignature, not a kind change', async () => {
    const pair = await right(auth.issuePair({ userId: 'u1', claims: PRO }))
    const [h] = pair.refreshToken.split('.')
    const [, p, s] = pair.accessToken.split('.')
    await expectLeft(auth.refresh(`${h}.${p}.${s}`), 'InvalidSignature')
  })
})
