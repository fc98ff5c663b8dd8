// A synchronous signature check on Node's own crypto, for the verify hot path. It is loaded with
// a dynamic import so that the core never requires `node:` modules: where `node:crypto` is
// missing (Workers without compatibility flags, browsers), the verifier is simply absent and
// jose's Web Crypto path is used. jose stays the reference: the differential tests prove both
// agree on every vector and on random keys, claims and mutations.

/** Checks a signature over a signing input synchronously. */
export type SyncVerify = (signingInput: string, signature: Uint8Array) => boolean

type NodeCrypto = typeof import('node:crypto')

let nodeCrypto: Promise<NodeCrypto | undefined> | undefined

const loadNodeCrypto = (): Promise<NodeCrypto | undefined> => {
  nodeCrypto ??= import('node:crypto').catch(() => undefined)
  return nodeCrypto
}

// Node's crypto and its view of a Web Crypto key, or nothing when either is out of reach.
const nodeKey = async (
  key: CryptoKey,
): Promise<{ crypto: NodeCrypto; keyObject: import('node:crypto').KeyObject } | undefined> => {
  const crypto = await loadNodeCrypto()
  if (crypto === undefined) return undefined
  try {
    return { crypto, keyObject: crypto.KeyObject.from(key) }
  } catch {
    return undefined
  }
}

const HASH = {
  HS256: 'sha256',
  HS384: 'sha384',
  HS512: 'sha512',
  RS256: 'sha256',
  PS256: 'sha256',
  ES256: 'sha256',
} as const

// How each asymmetric algorithm drives Node's `crypto.sign` / `crypto.verify`: the digest, the key
// type it needs, and the key options. RFC 7518 §3.4: ES256 signatures are R || S (IEEE P1363),
// never DER; §3.5: PS256 is MGF1 with SHA-256 and a salt as long as the hash; RFC 8037: Ed25519
// takes no digest.
const ASYMMETRIC: Readonly<
  Record<string, { readonly digest: string | null; readonly keyType: string | undefined; readonly size?: number }>
> = {
  ES256: { digest: 'sha256', keyType: 'ec', size: 64 },
  RS256: { digest: 'sha256', keyType: 'rsa' },
  PS256: { digest: 'sha256', keyType: undefined },
  EdDSA: { digest: null, keyType: 'ed25519', size: 64 },
}

type KeyObject = import('node:crypto').KeyObject

const keyOptions = (crypto: NodeCrypto, alg: string, keyObject: KeyObject) =>
  alg === 'ES256'
    ? { key: keyObject, dsaEncoding: 'ieee-p1363' as const }
    : alg === 'PS256'
      ? { key: keyObject, padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }
      : keyObject

// Node's crypto, the key as Node sees it, and the rules of `alg` — when they fit together.
const prepare = async (alg: string, key: CryptoKey, want: 'public' | 'private') => {
  const loaded = await nodeKey(key)
  if (loaded === undefined) return undefined
  const { crypto, keyObject } = loaded
  if (alg === 'HS256' || alg === 'HS384' || alg === 'HS512') {
    return keyObject.type === 'secret' ? { crypto, keyObject, hmac: HASH[alg] } : undefined
  }
  const rules = ASYMMETRIC[alg]
  if (rules === undefined || keyObject.type !== want) return undefined
  if (rules.keyType !== undefined && keyObject.asymmetricKeyType !== rules.keyType) return undefined
  return { crypto, keyObject, rules, options: keyOptions(crypto, alg, keyObject) }
}

/**
 * A synchronous verifier for `key` under `alg`, or `undefined` when Node's crypto is not there
 * or cannot take the key: the caller then verifies with Web Crypto.
 */
export const nodeVerifier = async (alg: string, key: CryptoKey): Promise<SyncVerify | undefined> => {
  const ready = await prepare(alg, key, 'public')
  if (ready === undefined) return undefined
  const { crypto, keyObject } = ready
  if ('hmac' in ready) {
    const hash = ready.hmac
    return (signingInput, signature) => {
      const expected = crypto.createHmac(hash, keyObject).update(signingInput).digest()
      return expected.length === signature.length && crypto.timingSafeEqual(expected, signature)
    }
  }
  const { rules, options } = ready
  return (signingInput, signature) =>
    (rules.size === undefined || signature.length === rules.size) &&
    crypto.verify(rules.digest, Buffer.from(signingInput), options, signature)
}

/** Signs a signing input synchronously, answering the JWS signature bytes. */
export type SyncSign = (signingInput: string) => Uint8Array

/**
 * A synchronous signer for `key` under `alg`, or `undefined` when Node's crypto is not there or
 * cannot take the key: the caller then signs with jose.
 */
export const nodeSigner = async (alg: string, key: CryptoKey): Promise<SyncSign | undefined> => {
  const ready = await prepare(alg, key, 'private')
  if (ready === undefined) return undefined
  const { crypto, keyObject } = ready
  if ('hmac' in ready) {
    const hash = ready.hmac
    return (signingInput) => crypto.createHmac(hash, keyObject).update(signingInput).digest()
  }
  const { rules, options } = ready
  return (signingInput) => crypto.sign(rules.digest, Buffer.from(signingInput), options)
}
