/**
 * What every benchmark shares: the claims schema, the key material of each algorithm (made once
 * with node:crypto so every contender gets the very same key), our auth for it, and the token sets
 * issued with our `issue`.
 */
import { createSecretKey, generateKeyPairSync, type KeyObject } from 'node:crypto'
import * as v from 'valibot'
import { createAuth, keyRing, pemKey } from '../src/index.js'

/** The algorithms the suite compares. */
export const ALGORITHMS = ['HS256', 'ES256', 'EdDSA', 'RS256'] as const

/** One algorithm of the suite. */
export type BenchAlgorithm = (typeof ALGORITHMS)[number]

/** A 32-byte HS256 secret, shared by every contender. */
export const SECRET = 'bench-secret-of-exactly-32-bytes'

/** The claims schema of a SaaS plan, as in `test/support/auth.ts`: a picklist and a limits object. */
export const PlanClaims = v.object({
  plan: v.picklist(['free', 'pro', 'enterprise']),
  limits: v.object({ daily_limit: v.number(), features: v.array(v.string()) }),
})

/** The roles of the benchmark auth. */
export const ROLES = ['user', 'premium', 'admin', 'moderator'] as const

const PLANS = ['free', 'pro', 'enterprise'] as const
const FEATURES = [['export'], ['export', 'sso'], []] as const

/** The claims of the i-th user: a realistic, slightly varying payload. */
export const claimsOf = (index: number) => ({
  userId: `user-${String(100_000 + index)}`,
  role: ROLES[index % 2] as (typeof ROLES)[number],
  claims: {
    plan: PLANS[index % 3] as (typeof PLANS)[number],
    limits: { daily_limit: 100 * (1 + (index % 3)), features: [...(FEATURES[index % 3] as readonly string[])] },
  },
})

/** The key material of one algorithm, in the forms each contender takes. */
export interface KeyMaterial {
  readonly alg: BenchAlgorithm
  /** What fast-jwt and the raw floor verify with: the secret, or the public key as SPKI PEM. */
  readonly verifyPem: string
  /** The signing half: the secret, or the private key as PKCS#8 PEM. */
  readonly signPem: string
  /** The pre-imported node:crypto key: a secret key or a public key. */
  readonly verifyKeyObject: KeyObject
  /** The pre-imported node:crypto signing key. */
  readonly signKeyObject: KeyObject
}

/** Makes the key material of an algorithm with node:crypto (RSA keys are 2048 bits). */
export const keyMaterial = (alg: BenchAlgorithm): KeyMaterial => {
  if (alg === 'HS256') {
    const secret = createSecretKey(Buffer.from(SECRET, 'utf8'))
    return { alg, verifyPem: SECRET, signPem: SECRET, verifyKeyObject: secret, signKeyObject: secret }
  }
  const pair =
    alg === 'ES256'
      ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
      : alg === 'EdDSA'
        ? generateKeyPairSync('ed25519')
        : generateKeyPairSync('rsa', { modulusLength: 2048 })
  return {
    alg,
    verifyPem: pair.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    signPem: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    verifyKeyObject: pair.publicKey,
    signKeyObject: pair.privateKey,
  }
}

/**
 * Our auth for one algorithm, with every default (memory store, system clock): HS256 through the
 * `secret` shorthand, the others through a key ring with one PEM key.
 */
export const ourAuth = async (material: KeyMaterial) =>
  material.alg === 'HS256'
    ? createAuth({ secret: SECRET, claims: PlanClaims, roles: ROLES })
    : createAuth({
        keys: keyRing(await pemKey('bench-1', material.signPem, material.alg)),
        claims: PlanClaims,
        roles: ROLES,
      })

/** Our auth's type. */
export type OurAuth = Awaited<ReturnType<typeof ourAuth>>

/** Issues `count` distinct access tokens with our `issue`, a few at a time so slow signatures use the thread pool. */
export const issueTokens = async (auth: OurAuth, count: number, from = 0): Promise<string[]> => {
  const tokens = new Array<string>(count)
  const BATCH = 64
  for (let start = 0; start < count; start += BATCH) {
    const end = Math.min(count, start + BATCH)
    const batch = []
    for (let index = start; index < end; index++) batch.push(auth.issue(claimsOf(from + index))())
    const results = await Promise.all(batch)
    results.forEach((result, offset) => {
      if (result._tag === 'Left') throw new Error(`issue failed: ${result.left._tag}`)
      tokens[start + offset] = result.right
    })
  }
  return tokens
}

/** The subject the i-th token was issued to, to check a contender answered for the right user. */
export const subjectOf = (index: number): string => claimsOf(index).userId

/**
 * How many different tokens the distinct workloads cycle through: twice the default bound of our
 * verification cache (10 000), so under its first-in first-out eviction every call is a miss, as it
 * is for fast-jwt's 1 000-entry cache. Quick runs use 500 and say that their "distinct" figures
 * may be cache hits.
 */
export const DISTINCT_TOKENS = 20_000

/** Tells whether the command line asks for the quick mode. */
export const isQuick = (): boolean => process.argv.includes('--quick')
