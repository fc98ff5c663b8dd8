import { existsSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { checkSignature } from '../../src/crypto/jws.js'
import { type Algorithm, type BoundKey, indexKeys, type KeySet } from '../../src/crypto/keys.js'
import { AuthConfigError, type Jwk, jwkKey } from '../../src/index.js'
import { decode, decodeText } from '../../src/lib/base64url.js'

// Wycheproof's JSON Web Signature vectors run against the signature layer. Their payloads are raw
// bytes ("foo"), not JWT claims, so `parseCompact` (which requires a JSON object payload) would
// refuse every one of them before any signature is checked. Instead `acceptsRaw` applies the same
// strict framing as `parseCompact` — exactly three segments, canonical base64url everywhere, a
// UTF-8 JSON object header — lets the payload be any bytes, and then calls `checkSignature`, the
// function `verifySignature` delegates to on the real verify path.
const FILE = resolve(process.cwd(), '../shared/vectors/wycheproof_json_web_signature_test.json')
const present = existsSync(FILE)

interface Vector {
  readonly tcId: number
  readonly comment: string
  readonly jws: string
  readonly result: 'valid' | 'invalid' | 'acceptable'
}
interface Group {
  readonly comment: string
  readonly public?: Jwk
  readonly private?: Jwk
  readonly tests: readonly Vector[]
}

const groups: readonly Group[] = present ? JSON.parse(readFileSync(FILE, 'utf8')).testGroups : []

/** Per-case decisions that differ from the vector's label, each with its reason. */
const CASE_EXCEPTIONS: Readonly<Record<number, { readonly accept: boolean; readonly reason: string }>> = {
  367: {
    accept: true,
    reason: 'labelled invalidBase64Padding, but the token is byte-identical to the valid tc357: no padding is present',
  },
  370: {
    accept: true,
    reason: 'labelled invalidBase64PaddingInPayload, but byte-identical to the valid tc357',
  },
  372: {
    accept: false,
    reason: 'labelled valid, but the header segment contains "?", outside the base64url alphabet (RFC 7515 §2)',
  },
  373: {
    accept: false,
    reason: 'labelled valid, but the payload segment contains "?", outside the base64url alphabet (RFC 7515 §2)',
  },
  346: {
    accept: false,
    reason: 'RFC 7520 figure 20 is signed with PS384, but the group key is bound to PS256: the key fixes the algorithm',
  },
  350: {
    accept: false,
    reason: 'same token as tc346 (PS384 under a key bound to PS256)',
  },
}

/** Groups whose key uses an algorithm this library does not offer: the key is refused at construction. */
const UNSUPPORTED = new Set(['RS384', 'RS512', 'PS384', 'PS512', 'ES521', 'ES384', 'ES512'])

const algorithmOf = (group: Group): string => {
  const key = group.public ?? group.private
  if (typeof key?.alg === 'string') return key.alg
  // The encryption-key groups carry no `alg`: use the one the tokens claim.
  const first = group.tests[0]?.jws.split('.')[0] ?? ''
  return (JSON.parse(decodeText(first) ?? '{}') as { alg?: string }).alg ?? 'none'
}

/** Imports the group key (its public half when there is one) as a one-key set, or the refusal. */
const importGroupKey = async (group: Group): Promise<KeySet | AuthConfigError> => {
  const jwk = (group.public ?? group.private) as Jwk
  const kid = typeof jwk.kid === 'string' ? jwk.kid : 'vector-key'
  try {
    const key: BoundKey = await jwkKey(kid, jwk, algorithmOf(group) as Algorithm)
    return { signing: undefined, ...indexKeys([key]), resolve: undefined, jwks: undefined }
  } catch (error) {
    if (error instanceof AuthConfigError) return error
    throw error
  }
}

const acceptsRaw = async (keys: KeySet, jws: string): Promise<boolean> => {
  const segments = jws.split('.')
  if (segments.length !== 3) return false
  const [headerText, payloadText, signature] = segments as [string, string, string]
  const headerJson = decodeText(headerText)
  if (headerJson === undefined || decode(payloadText) === undefined || signature.length === 0) return false
  let header: unknown
  try {
    header = JSON.parse(headerJson)
  } catch {
    return false
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) return false
  const error = await checkSignature(keys, header as Record<string, unknown>, `${headerText}.${payloadText}`, signature)
  return error === undefined
}

describe.skipIf(!present)('Wycheproof JSON Web Signature vectors (../shared/vectors)', () => {
  it('holds the 401 vectors', () => {
    expect(groups.reduce((count, group) => count + group.tests.length, 0)).toBe(401)
  })

  for (const [index, group] of groups.entries()) {
    const alg = algorithmOf(group)
    const jwk = group.public ?? group.private
    const forEncryption = jwk?.use === 'enc' || (Array.isArray(jwk?.key_ops) && !jwk.key_ops.includes('verify'))
    describe(`group ${index}: ${group.comment} (${alg})`, () => {
      let keys: KeySet | AuthConfigError
      beforeAll(async () => {
        keys = await importGroupKey(group)
      })

      if (UNSUPPORTED.has(alg) || forEncryption) {
        it(forEncryption ? 'a key meant for encryption is refused' : `${alg} is not offered: refused`, () => {
          expect(keys).toBeInstanceOf(AuthConfigError)
        })
      } else {
        it('the key imports', () => {
          expect(keys).not.toBeInstanceOf(AuthConfigError)
        })
      }

      for (const vector of group.tests) {
        const exception = CASE_EXCEPTIONS[vector.tcId]
        const label = `tc${vector.tcId} ${vector.comment}: ${vector.result}${exception ? ` (exception: ${exception.reason})` : ''}`
        it(label, async () => {
          const accepted = keys instanceof AuthConfigError ? false : await acceptsRaw(keys, vector.jws)
          if (exception !== undefined) return expect(accepted).toBe(exception.accept)
          // Keys this library cannot hold verify nothing, valid vectors included.
          if (keys instanceof AuthConfigError) return expect(accepted).toBe(false)
          if (vector.result === 'acceptable') return expect(typeof accepted).toBe('boolean')
          expect(accepted).toBe(vector.result === 'valid')
        })
      }
    })
  }
})

describe.skipIf(present)('Wycheproof JSON Web Signature vectors', () => {
  it.skip('skipped: ../shared/vectors is absent in this checkout', () => {})
})
