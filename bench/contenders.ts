/**
 * The verifiers and signers the suite compares, each configured once, the way its documentation
 * recommends for speed: keys imported before the first call, the algorithm pinned.
 */
import { createHmac, createPrivateKey, randomUUID, timingSafeEqual, verify as verifySignature } from 'node:crypto'
import { createSigner, createVerifier } from 'fast-jwt'
import { importPKCS8, importSPKI, jwtVerify, SignJWT } from 'jose'
import jsonwebtoken from 'jsonwebtoken'
import { type BenchAlgorithm, claimsOf, type KeyMaterial, type OurAuth } from './setup.js'

/** One verifier: `verify` is what gets timed; `subject` answers whom an accepted token speaks for. */
export interface VerifyContender {
  readonly name: ContenderName
  /** Verifies one token; may answer a promise, which the harness awaits. */
  readonly verify: (token: string) => unknown
  /** Verifies one token and answers its subject, or `undefined` when the token is refused. */
  readonly subject: (token: string) => Promise<string | undefined>
}

/** The contenders, in the order they are run and shown. */
export const CONTENDERS = ['ours', 'fast-jwt', 'fast-jwt (cache)', 'jose', 'jsonwebtoken', 'raw floor'] as const

/** A contender's name. */
export type ContenderName = (typeof CONTENDERS)[number]

const TYP = 'at+jwt'

const attempt = async (run: () => unknown): Promise<string | undefined> => {
  try {
    const answer = (await run()) as { sub?: unknown; payload?: { sub?: unknown } }
    const sub = answer.payload?.sub ?? answer.sub
    return typeof sub === 'string' ? sub : undefined
  } catch {
    return undefined
  }
}

// jsonwebtoken has no EdDSA.
const supports = (name: ContenderName, alg: BenchAlgorithm): boolean => !(name === 'jsonwebtoken' && alg === 'EdDSA')

/** Builds every contender that supports the algorithm, over one key material and our auth for it. */
export const verifyContenders = async (material: KeyMaterial, auth: OurAuth): Promise<VerifyContender[]> => {
  const { alg } = material
  const joseKey =
    alg === 'HS256'
      ? await crypto.subtle.importKey(
          'raw',
          Buffer.from(material.verifyPem),
          { name: 'HMAC', hash: 'SHA-256' },
          false,
          ['verify'],
        )
      : await importSPKI(material.verifyPem, alg)
  const joseOptions = { algorithms: [alg], typ: TYP }
  const fastJwt = createVerifier({ key: material.verifyPem, algorithms: [alg], cache: false })
  const fastJwtCached = createVerifier({ key: material.verifyPem, algorithms: [alg], cache: true })
  const jwtOptions = { algorithms: [alg] as jsonwebtoken.Algorithm[] }
  const raw = rawFloor(material)
  const all: VerifyContender[] = [
    {
      name: 'ours',
      verify: (token) => auth.verify(token)(),
      subject: async (token) => {
        const result = await auth.verify(token)()
        return result._tag === 'Right' ? result.right.userId : undefined
      },
    },
    { name: 'fast-jwt', verify: fastJwt, subject: (token) => attempt(() => fastJwt(token)) },
    { name: 'fast-jwt (cache)', verify: fastJwtCached, subject: (token) => attempt(() => fastJwtCached(token)) },
    {
      name: 'jose',
      verify: (token) => jwtVerify(token, joseKey, joseOptions),
      subject: (token) => attempt(() => jwtVerify(token, joseKey, joseOptions)),
    },
    {
      name: 'jsonwebtoken',
      verify: (token) => jsonwebtoken.verify(token, material.verifyKeyObject, jwtOptions),
      subject: (token) => attempt(() => jsonwebtoken.verify(token, material.verifyKeyObject, jwtOptions)),
    },
    { name: 'raw floor', verify: raw, subject: (token) => attempt(() => raw(token)) },
  ]
  return all.filter((contender) => supports(contender.name, alg))
}

/**
 * The floor: split, check the signature with node:crypto, decode and parse the payload. No header
 * parsing, no claim checks, no store; what any JWT verifier must at least do.
 */
const rawFloor = (material: KeyMaterial): ((token: string) => unknown) => {
  const check = signatureCheck(material)
  return (token) => {
    const first = token.indexOf('.')
    const second = token.indexOf('.', first + 1)
    const signingInput = token.slice(0, second)
    if (!check(signingInput, Buffer.from(token.slice(second + 1), 'base64url'))) throw new Error('invalid signature')
    return JSON.parse(Buffer.from(token.slice(first + 1, second), 'base64url').toString('utf8'))
  }
}

const signatureCheck = (material: KeyMaterial): ((signingInput: string, signature: Buffer) => boolean) => {
  const key = material.verifyKeyObject
  switch (material.alg) {
    case 'HS256': {
      const secret = Buffer.from(material.verifyPem, 'utf8')
      return (signingInput, signature) => {
        const expected = createHmac('sha256', secret).update(signingInput).digest()
        return signature.length === expected.length && timingSafeEqual(signature, expected)
      }
    }
    case 'ES256':
      return (signingInput, signature) =>
        verifySignature('sha256', Buffer.from(signingInput), { key, dsaEncoding: 'ieee-p1363' }, signature)
    case 'EdDSA':
      return (signingInput, signature) => verifySignature(null, Buffer.from(signingInput), key, signature)
    case 'RS256':
      return (signingInput, signature) => verifySignature('sha256', Buffer.from(signingInput), key, signature)
  }
}

/** One signer: `sign` is what gets timed and answers a token (or a promise of one). */
export interface IssueContender {
  readonly name: ContenderName
  readonly sign: (index: number) => unknown
}

/**
 * The HS256 signers. Each writes what ours writes: `typ: at+jwt`, `sub`, a random `jti`, `iat`,
 * `exp` one hour later, the role and the plan claims. Ours also validates the claims with valibot.
 */
export const issueContenders = async (material: KeyMaterial, auth: OurAuth): Promise<IssueContender[]> => {
  const joseKey =
    material.alg === 'HS256'
      ? await crypto.subtle.importKey('raw', Buffer.from(material.signPem), { name: 'HMAC', hash: 'SHA-256' }, false, [
          'sign',
        ])
      : await importPKCS8(material.signPem, material.alg)
  const fastJwtSign = createSigner({
    key: material.signPem,
    algorithm: material.alg,
    expiresIn: 3_600_000,
    header: { alg: material.alg, typ: TYP },
  })
  const jwtKey = material.alg === 'HS256' ? material.signKeyObject : createPrivateKey(material.signPem)
  const payloadOf = (index: number) => {
    const { userId, role, claims } = claimsOf(index)
    return { userId, payload: { role, ...claims } }
  }
  return [
    { name: 'ours', sign: (index) => auth.issue(claimsOf(index))() },
    {
      name: 'fast-jwt',
      sign: (index) => {
        const { userId, payload } = payloadOf(index)
        return fastJwtSign({ ...payload, sub: userId, jti: randomUUID() })
      },
    },
    {
      name: 'jose',
      sign: (index) => {
        const { userId, payload } = payloadOf(index)
        return new SignJWT(payload)
          .setProtectedHeader({ alg: material.alg, typ: TYP })
          .setSubject(userId)
          .setJti(randomUUID())
          .setIssuedAt()
          .setExpirationTime('1h')
          .sign(joseKey)
      },
    },
    {
      name: 'jsonwebtoken',
      sign: (index) => {
        const { userId, payload } = payloadOf(index)
        return jsonwebtoken.sign(payload, jwtKey, {
          algorithm: material.alg as jsonwebtoken.Algorithm,
          header: { alg: material.alg, typ: TYP },
          subject: userId,
          jwtid: randomUUID(),
          expiresIn: '1h',
        })
      },
    },
  ]
}
