import { createRemoteJWKSet, importJWK, type JSONWebKeySet, type JWK } from 'jose'
import { type AuthError, unknownKey } from '../errors.js'
import { decode } from '../lib/base64url.js'
import type { Clock } from '../ports/clock.js'
import { keyMaterial } from './key-ring.js'
import {
  type Algorithm,
  type AsymmetricAlgorithm,
  type BoundKey,
  indexKeys,
  isAlgorithm,
  isHmac,
  type KeySet,
  MIN_RSA_BITS,
} from './keys.js'

/** How a remote JWKS is fetched and cached; every duration in milliseconds. */
export interface RemoteJwksOptions {
  /** How long a fetched document is used before it is fetched again. */
  readonly cacheMaxAge: number
  /** After a fetch, how long a `kid` miss waits before it may fetch again; also the pause after a failed fetch. */
  readonly cooldown: number
  /** How long one fetch may take, headers and body together. */
  readonly timeout: number
  /** Algorithms allowed for keys whose JWK has no `alg`; `undefined` requires `alg` in every JWK. */
  readonly algorithms: readonly AsymmetricAlgorithm[] | undefined
}

/**
 * The fixed algorithm of a published JWK: its own `alg`, or else the single allowed algorithm
 * that fits its key type. RFC 8725 §3.1: the token header never chooses it.
 */
const algorithmOf = (
  jwk: JWK,
  algorithms: readonly AsymmetricAlgorithm[] | undefined,
): AsymmetricAlgorithm | undefined => {
  if (jwk.alg !== undefined) {
    if (!isAlgorithm(jwk.alg) || isHmac(jwk.alg)) return undefined
    return algorithms === undefined || algorithms.includes(jwk.alg) ? jwk.alg : undefined
  }
  const fitting = (algorithms ?? []).filter((alg) => fits(jwk, alg))
  return fitting.length === 1 ? fitting[0] : undefined
}

const fits = (jwk: JWK, alg: Algorithm): boolean => {
  switch (alg) {
    case 'RS256':
    case 'PS256':
      // RFC 7518 §3.3: 2048 bits at least; `n` carries no leading zero octet (RFC 7518 §6.3.1.1).
      return jwk.kty === 'RSA' && typeof jwk.n === 'string' && (decode(jwk.n)?.length ?? 0) * 8 >= MIN_RSA_BITS
    case 'ES256':
      return jwk.kty === 'EC' && jwk.crv === 'P-256'
    case 'EdDSA':
      return jwk.kty === 'OKP' && jwk.crv === 'Ed25519'
    default:
      return false
  }
}

// RFC 7517 §4.2, §4.3: only signature keys, only public ones.
const usable = (jwk: JWK): boolean =>
  typeof jwk === 'object' &&
  jwk !== null &&
  jwk.d === undefined &&
  (jwk.use === undefined || jwk.use === 'sig') &&
  (jwk.key_ops === undefined || (Array.isArray(jwk.key_ops) && jwk.key_ops.includes('verify')))

/** Binds every usable key of a JWKS document to its fixed algorithm; the others are left out. */
export const indexJwks = (
  document: JSONWebKeySet | undefined,
  algorithms: readonly AsymmetricAlgorithm[] | undefined,
): Pick<KeySet, 'byKid' | 'sole'> => {
  const keys: BoundKey[] = []
  const kids = new Set<string>()
  const repeated = new Set<string>()
  for (const jwk of Array.isArray(document?.keys) ? document.keys : []) {
    if (!usable(jwk)) continue
    const alg = algorithmOf(jwk, algorithms)
    if (alg === undefined || !fits(jwk, alg)) continue
    const kid = typeof jwk.kid === 'string' && jwk.kid.length > 0 ? jwk.kid : undefined
    if (kid !== undefined) {
      if (kids.has(kid)) repeated.add(kid)
      kids.add(kid)
    }
    const verifyKey = importJWK(keyMaterial(jwk, false), alg) as Promise<CryptoKey>
    // A broken JWK fails when a token names it (→ UnknownKey with the cause), not before.
    verifyKey.catch(() => undefined)
    keys.push({ kid, alg, verifyKey, signKey: undefined })
  }
  // Two keys under one kid: neither can be chosen without letting the token decide.
  return indexKeys(keys.filter((key) => key.kid === undefined || !repeated.has(key.kid)))
}

/** A verify-only key set over a JWKS document held in memory. */
export const localJwksKeySet = (
  document: JSONWebKeySet,
  algorithms: readonly AsymmetricAlgorithm[] | undefined,
): KeySet => ({ signing: undefined, ...indexJwks(document, algorithms), resolve: undefined, jwks: undefined })

/**
 * A verify-only key set over a JWKS URL, fetched with jose's `createRemoteJWKSet` (no redirects,
 * a timeout on each fetch, one fetch at a time). A `kid` miss fetches again unless the last fetch
 * is younger than the cooldown; a failed fetch answers `UnknownKey` with the cause and pauses
 * fetching for the cooldown, so an unreachable JWKS costs each verify at most one timeout.
 */
export const remoteJwksKeySet = (url: URL, options: RemoteJwksOptions, clock: Clock): KeySet => {
  const remote = createRemoteJWKSet(url, {
    cacheMaxAge: options.cacheMaxAge,
    cooldownDuration: options.cooldown,
    timeoutDuration: options.timeout,
  })
  let index: Pick<KeySet, 'byKid' | 'sole'> | undefined
  let pending: Promise<unknown> | undefined
  let failure: { readonly at: number; readonly cause: unknown } | undefined

  // Answers the cause of a failed fetch, or undefined once the index is current.
  const reload = (): Promise<unknown> => {
    if (failure !== undefined && clock.now() < failure.at + options.cooldown) return Promise.resolve(failure.cause)
    pending ??= remote
      .reload()
      .then(
        () => {
          index = indexJwks(remote.jwks(), options.algorithms)
          failure = undefined
          return undefined
        },
        (cause: unknown) => {
          failure = { at: clock.now(), cause }
          return cause
        },
      )
      .finally(() => {
        pending = undefined
      })
    return pending
  }

  const lookup = (kid: string | undefined): BoundKey | undefined =>
    kid === undefined ? index?.sole : index?.byKid.get(kid)

  const resolve = async (kid: string | undefined): Promise<BoundKey | AuthError> => {
    if (index === undefined || !remote.fresh) {
      const cause = await reload()
      if (cause !== undefined) return unknownKey(cause)
    }
    const found = lookup(kid)
    if (found !== undefined || remote.coolingDown) return found ?? unknownKey()
    const cause = await reload()
    if (cause !== undefined) return unknownKey(cause)
    return lookup(kid) ?? unknownKey()
  }

  return { signing: undefined, byKid: new Map(), sole: undefined, resolve, jwks: undefined }
}
