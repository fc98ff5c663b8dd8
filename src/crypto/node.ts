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

/**
 * A synchronous verifier for `key` under `alg`, or `undefined` when Node's crypto is not there
 * or cannot take the key: the caller then verifies with jose.
 */
export const nodeVerifier = async (alg: string, key: CryptoKey): Promise<SyncVerify | undefined> => {
  const loaded = await nodeKey(key)
  if (loaded === undefined) return undefined
  const { crypto, keyObject } = loaded
  switch (alg) {
    case 'HS256':
    case 'HS384':
    case 'HS512': {
      if (keyObject.type !== 'secret') return undefined
      const hash = HASH[alg]
      return (signingInput, signature) => {
        const expected = crypto.createHmac(hash, keyObject).update(signingInput).digest()
        return expected.length === signature.length && crypto.timingSafeEqual(expected, signature)
      }
    }
    case 'ES256':
      if (keyObject.type !== 'public' || keyObject.asymmetricKeyType !== 'ec') return undefined
      // RFC 7518 §3.4: the JWS signature is R || S, 32 bytes each (IEEE P1363), never DER.
      return (signingInput, signature) =>
        signature.length === 64 &&
        crypto.verify('sha256', Buffer.from(signingInput), { key: keyObject, dsaEncoding: 'ieee-p1363' }, signature)
    case 'RS256':
      if (keyObject.type !== 'public' || keyObject.asymmetricKeyType !== 'rsa') return undefined
      return (signingInput, signature) => crypto.verify('sha256', Buffer.from(signingInput), keyObject, signature)
    case 'PS256':
      if (keyObject.type !== 'public') return undefined
      // RFC 7518 §3.5: MGF1 with SHA-256 and a salt as long as the hash.
      return (signingInput, signature) =>
        crypto.verify(
          'sha256',
          Buffer.from(signingInput),
          { key: keyObject, padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 },
          signature,
        )
    case 'EdDSA':
      if (keyObject.type !== 'public' || keyObject.asymmetricKeyType !== 'ed25519') return undefined
      return (signingInput, signature) =>
        signature.length === 64 && crypto.verify(null, Buffer.from(signingInput), keyObject, signature)
    default:
      return undefined
  }
}

/** Signs a signing input synchronously, answering the JWS signature bytes. */
export type SyncSign = (signingInput: string) => Uint8Array

/**
 * A synchronous signer for `key` under `alg`, or `undefined` when Node's crypto is not there or
 * cannot take the key: the caller then signs with jose.
 */
export const nodeSigner = async (alg: string, key: CryptoKey): Promise<SyncSign | undefined> => {
  const loaded = await nodeKey(key)
  if (loaded === undefined) return undefined
  const { crypto, keyObject } = loaded
  switch (alg) {
    case 'HS256':
    case 'HS384':
    case 'HS512': {
      if (keyObject.type !== 'secret') return undefined
      const hash = HASH[alg]
      return (signingInput) => crypto.createHmac(hash, keyObject).update(signingInput).digest()
    }
    case 'ES256':
      if (keyObject.type !== 'private' || keyObject.asymmetricKeyType !== 'ec') return undefined
      return (signingInput) =>
        crypto.sign('sha256', Buffer.from(signingInput), { key: keyObject, dsaEncoding: 'ieee-p1363' })
    case 'RS256':
      if (keyObject.type !== 'private' || keyObject.asymmetricKeyType !== 'rsa') return undefined
      return (signingInput) => crypto.sign('sha256', Buffer.from(signingInput), keyObject)
    case 'PS256':
      if (keyObject.type !== 'private') return undefined
      return (signingInput) =>
        crypto.sign('sha256', Buffer.from(signingInput), {
          key: keyObject,
          padding: crypto.constants.RSA_PKCS1_PSS_PADDING,
          saltLength: 32,
        })
    case 'EdDSA':
      if (keyObject.type !== 'private' || keyObject.asymmetricKeyType !== 'ed25519') return undefined
      return (signingInput) => crypto.sign(null, Buffer.from(signingInput), keyObject)
    default:
      return undefined
  }
}
