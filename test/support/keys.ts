import { generateKeyPairSync } from 'node:crypto'
import type { Algorithm, RingKey } from '../../src/index.js'
import { generateKey } from '../../src/index.js'

/** Every algorithm a key ring supports. */
export const ALL_ALGORITHMS: readonly Algorithm[] = ['HS256', 'HS384', 'HS512', 'RS256', 'PS256', 'ES256', 'EdDSA']

/** The asymmetric ones. */
export const ASYMMETRIC = ['RS256', 'PS256', 'ES256', 'EdDSA'] as const

type PemKind = 'rsa2048' | 'rsa1024' | 'p256' | 'p384' | 'ed25519' | 'x25519'

const pems = new Map<PemKind, { privatePem: string; publicPem: string; pkcs1: string }>()

/** A PEM key pair made with node:crypto (PKCS#8 private, SPKI public, plus PKCS#1/SEC1 private), memoized. */
export const pemPair = (kind: PemKind): { privatePem: string; publicPem: string; pkcs1: string } => {
  const cached = pems.get(kind)
  if (cached !== undefined) return cached
  const pair =
    kind === 'rsa2048' || kind === 'rsa1024'
      ? generateKeyPairSync('rsa', { modulusLength: kind === 'rsa2048' ? 2048 : 1024 })
      : kind === 'p256' || kind === 'p384'
        ? generateKeyPairSync('ec', { namedCurve: kind === 'p256' ? 'P-256' : 'P-384' })
        : kind === 'ed25519'
          ? generateKeyPairSync('ed25519')
          : generateKeyPairSync('x25519')
  const made = {
    privatePem: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicPem: pair.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    pkcs1:
      kind.startsWith('rsa') || kind.startsWith('p')
        ? pair.privateKey.export({ type: kind.startsWith('rsa') ? 'pkcs1' : 'sec1', format: 'pem' }).toString()
        : '',
  }
  pems.set(kind, made)
  return made
}

const generated = new Map<string, Promise<RingKey>>()

/** A generated key per algorithm and kid, memoized within a test file (RSA generation is slow). */
export const keyFor = (alg: Algorithm, kid = `${alg}-key`): Promise<RingKey> => {
  const id = `${alg}/${kid}`
  let key = generated.get(id)
  if (key === undefined) {
    key = generateKey(alg, { kid, extractable: true })
    generated.set(id, key)
  }
  return key
}

const PARAMS: Record<string, AlgorithmIdentifier | RsaPssParams | EcdsaParams> = {
  HMAC: { name: 'HMAC' },
  'RSASSA-PKCS1-v1_5': { name: 'RSASSA-PKCS1-v1_5' },
  'RSA-PSS': { name: 'RSA-PSS', saltLength: 32 },
  ECDSA: { name: 'ECDSA', hash: 'SHA-256' },
  Ed25519: { name: 'Ed25519' },
}

/**
 * Signs any header and payload with raw key material, whatever the header says (it may lie about
 * `alg`, or carry `crit`): for crafting attacks and odd tokens. A byte array is an HMAC-SHA-256 key.
 */
export const signRaw = async (
  header: Record<string, unknown>,
  payload: Record<string, unknown>,
  key: CryptoKey | Uint8Array,
): Promise<string> => {
  const cryptoKey =
    key instanceof Uint8Array
      ? await crypto.subtle.importKey('raw', key as Uint8Array<ArrayBuffer>, { name: 'HMAC', hash: 'SHA-256' }, false, [
          'sign',
        ])
      : key
  const input = `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`
  const params = PARAMS[cryptoKey.algorithm.name] as AlgorithmIdentifier
  const signature = await crypto.subtle.sign(params, cryptoKey, new TextEncoder().encode(input))
  return `${input}.${Buffer.from(signature).toString('base64url')}`
}
