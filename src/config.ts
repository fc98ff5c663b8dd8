import * as v from 'valibot'
import { localJwksKeySet, remoteJwksKeySet } from './crypto/jwks.js'
import { isKeyRing, type JsonWebKeySet, type KeyRing, ringKeySet } from './crypto/key-ring.js'
import { ALGORITHMS, type AsymmetricAlgorithm, isHmac, type KeySet, secretKeySet } from './crypto/keys.js'
import { AuthConfigError } from './errors.js'
import type { DeepReadonly } from './issue.js'
import { type VerifyCache, verifyCache } from './lib/cache.js'
import type { CachedToken } from './lib/check.js'
import { declaredClaimNames, RESERVED_CLAIMS } from './lib/claims.js'
import { DEFAULT_MAX_TOKEN_LENGTH } from './lib/compact.js'
import { type Duration, toSeconds } from './lib/duration.js'
import { type Clock, systemClock } from './ports/clock.js'
import { type IdGenerator, randomId } from './ports/ids.js'
import type { TokenStore } from './ports/store.js'
import { memoryStore } from './stores/memory.js'

/** A valibot schema of the custom claims: its output must be a JSON object. */
export type ClaimsSchema<
  TInput = unknown,
  TOutput extends Record<string, unknown> = Record<string, unknown>,
> = v.GenericSchema<TInput, TOutput>

/** What `loadClaims` answers: the user's current role and claims, or `null` when the user is gone. */
export type LoadedClaims<TClaimsInput, TRole extends string> = {
  readonly role?: TRole
  readonly claims: DeepReadonly<TClaimsInput>
} | null

/** Options every auth takes, whether it issues tokens or only verifies them. */
export interface AuthOptions<TSchema extends ClaimsSchema, TRole extends string> {
  /** The valibot schema of the custom claims. Default: an empty object. */
  readonly claims?: TSchema
  /** The roles a user may hold; omit to allow any string. `'guest'` is reserved for guests. */
  readonly roles?: readonly TRole[]
  /** Access token lifetime. Default 3600 (one hour). */
  readonly accessTtl?: Duration
  /** Refresh token lifetime. Default 604800 (seven days). */
  readonly refreshTtl?: Duration
  /** Guest token lifetime. Default 86400 (one day). */
  readonly guestTtl?: Duration
  /** Tolerated clock skew, applied to `exp`, `nbf` and `iat`. Default 0. */
  readonly leeway?: Duration
  /** The `iss` written into tokens and required on verify. */
  readonly issuer?: string
  /** The `aud` written into tokens; verify accepts a token naming any of them. */
  readonly audience?: string | readonly string[]
  /** The token store. Default: a fresh `memoryStore()`. */
  readonly store?: TokenStore
  /** The clock. Default: the system clock. */
  readonly clock?: Clock
  /** Tokens longer than this many characters are refused before any decoding. Default 8192. */
  readonly maxTokenLength?: number
  /**
   * How many verified tokens to remember, keyed by the whole token, so that verifying one again
   * skips the signature and schema work; time and revocation are still checked on every call.
   * `0` turns it off. Default 10 000 (about 10 MB at most), or 0 for a remote JWKS, whose keys
   * can change behind our back.
   */
  readonly cache?: number
}

/** Options of an auth that issues tokens. */
export interface IssuingOptions<TSchema extends ClaimsSchema, TRole extends string>
  extends AuthOptions<TSchema, TRole> {
  /** The role `issue` gives when none is named. Default `'user'`. */
  readonly defaultRole?: NoInfer<TRole>
  /** Token id generator. Default: 128 random bits, URL-safe. */
  readonly ids?: IdGenerator
  /** Loads a user's current role and claims on refresh; without it they carry over. */
  readonly loadClaims?: (userId: string) => Promise<LoadedClaims<v.InferInput<TSchema>, TRole>>
}

/** The configuration of `createAuth` for an auth that issues tokens: exactly one of `secret` or `keys`. */
export type AuthConfig<TSchema extends ClaimsSchema, TRole extends string> = IssuingOptions<TSchema, TRole> &
  (
    | {
        /** The HS256 secret, at least 32 bytes. */
        readonly secret: string | Uint8Array
        readonly keys?: never
        readonly jwks?: never
      }
    | {
        /** A key ring: one signing key and any number of verification keys, each with `kid` and algorithm. */
        readonly keys: KeyRing
        readonly secret?: never
        readonly jwks?: never
      }
  )

/** The configuration of a verify-only `createAuth`: keys come from a JWKS, nothing can be issued. */
export interface VerifyOnlyAuthConfig<TSchema extends ClaimsSchema, TRole extends string>
  extends AuthOptions<TSchema, TRole> {
  /**
   * Where the public keys come from: an `https:` URL (plain `http:` only on loopback) fetched with
   * caching, or a JWKS document in memory. Every key's algorithm is fixed by its JWK `alg` member
   * (or by `algorithms`); the token header never chooses it.
   */
  readonly jwks: string | URL | JsonWebKeySet
  /** How long a fetched JWKS is used before it is fetched again. Default `'10m'`. */
  readonly cacheMaxAge?: Duration
  /** After a fetch, how long an unknown `kid` waits before it may fetch again. Default `'30s'`. */
  readonly cooldown?: Duration
  /** How long one JWKS fetch may take, in milliseconds. Default 5000. */
  readonly timeoutMs?: number
  /**
   * Algorithms to accept. A JWK with `alg` must use one of them; a JWK without `alg` is used only
   * when exactly one of them fits its key type. Default: every asymmetric algorithm, `alg` required.
   */
  readonly algorithms?: readonly AsymmetricAlgorithm[]
  readonly secret?: never
  readonly keys?: never
}

/** Everything the verbs need, validated and built once by {@link createAuthEnv}. */
export interface AuthEnv<TClaims, TRole extends string, TClaimsInput = TClaims> {
  readonly keys: KeySet
  readonly claims: v.GenericSchema<TClaimsInput, TClaims>
  /** The allowed roles; `undefined` allows any. */
  readonly roles: ReadonlySet<string> | undefined
  readonly defaultRole: TRole
  /** Lifetimes in seconds. */
  readonly ttl: { readonly access: number; readonly refresh: number; readonly guest: number }
  /** Seconds. */
  readonly leeway: number
  readonly issuer: string | undefined
  readonly audience: readonly string[] | undefined
  readonly store: TokenStore
  readonly clock: Clock
  readonly ids: IdGenerator
  /** The `loadClaims` port, when configured: a refresh asks it for the user's current role and claims. */
  readonly loadClaims: ((userId: string) => Promise<LoadedClaims<TClaimsInput, TRole>>) | undefined
  readonly maxTokenLength: number
  /**
   * Verified tokens by their whole text; `undefined` when caching is off.
   * @internal
   */
  readonly cache: VerifyCache<CachedToken> | undefined
}

const fn = (message: string) => v.custom<(...args: never[]) => unknown>((input) => typeof input === 'function', message)
const wholeNumber = (unit: string, min: number, max: number) =>
  v.pipe(
    v.number(`must be a number of ${unit}`),
    v.integer(`must be a whole number of ${unit}`),
    v.minValue(min, `must be at least ${min} ${unit}`),
    v.maxValue(max, `must be at most ${max} ${unit}`),
  )
// Ten years: far beyond any sane lifetime, and far inside the NumericDate range verify accepts.
const MAX_DURATION = 3650 * 86_400
const duration = (positive: boolean) =>
  v.custom<Duration>(
    (input) => {
      const seconds = toSeconds(input)
      return seconds !== undefined && (positive ? seconds > 0 : seconds >= 0) && seconds <= MAX_DURATION
    },
    positive
      ? "must be a positive whole number of seconds (at most ten years) or a duration string such as '90s', '15m', '1h', '7d'"
      : "must be a whole number of seconds ≥ 0 (at most ten years) or a duration string such as '30s'",
  )

const ConfigSchema = v.strictObject({
  secret: v.optional(v.union([v.string(), v.instance(Uint8Array)], 'must be a string or a Uint8Array')),
  keys: v.optional(v.custom(isKeyRing, 'must be a KeyRing built by keyRing, generateKeyRing or rotate')),
  jwks: v.optional(
    v.union(
      [
        v.string(),
        v.instance(URL),
        v.looseObject({ keys: v.array(v.custom((jwk) => typeof jwk === 'object' && jwk !== null)) }),
      ],
      'must be a URL or a JWKS document ({ keys: [...] })',
    ),
  ),
  cacheMaxAge: v.optional(duration(false)),
  cooldown: v.optional(duration(false)),
  timeoutMs: v.optional(wholeNumber('milliseconds', 1, 120_000)),
  algorithms: v.optional(
    v.pipe(
      v.array(
        v.picklist(
          ALGORITHMS.filter((alg) => !isHmac(alg)),
          'must name asymmetric algorithms (RS256, PS256, ES256, EdDSA)',
        ),
        'must be an array',
      ),
      v.minLength(1, 'must name at least one algorithm'),
    ),
  ),
  claims: v.optional(v.custom((input) => declaredClaimNames(input) !== undefined, 'must be a valibot object schema')),
  roles: v.optional(
    v.pipe(
      v.array(v.pipe(v.string('must be strings'), v.minLength(1, 'must be non-empty strings')), 'must be an array'),
      v.minLength(1, 'must name at least one role'),
      v.check((roles) => new Set(roles).size === roles.length, 'must not repeat a role'),
      v.check((roles) => !roles.includes('guest'), "must not include 'guest', the role of guest tokens"),
    ),
  ),
  defaultRole: v.optional(v.pipe(v.string('must be a string'), v.minLength(1, 'must be non-empty'))),
  accessTtl: v.optional(duration(true)),
  refreshTtl: v.optional(duration(true)),
  guestTtl: v.optional(duration(true)),
  leeway: v.optional(duration(false)),
  issuer: v.optional(v.pipe(v.string('must be a string'), v.minLength(1, 'must be non-empty'))),
  audience: v.optional(
    v.union(
      [v.pipe(v.string(), v.minLength(1)), v.pipe(v.array(v.pipe(v.string(), v.minLength(1))), v.minLength(1))],
      'must be a non-empty string or a non-empty array of them',
    ),
  ),
  store: v.optional(
    v.custom(
      (input) =>
        typeof input === 'object' &&
        input !== null &&
        ['check', 'revoke', 'consume', 'revokeFamily', 'revokeUser'].every(
          (name) => typeof (input as Record<string, unknown>)[name] === 'function',
        ),
      'must implement TokenStore (check, revoke, consume, revokeFamily, revokeUser)',
    ),
  ),
  clock: v.optional(
    v.custom(
      (input) => typeof input === 'object' && input !== null && typeof (input as Clock).now === 'function',
      'must be an object with a now() method',
    ),
  ),
  ids: v.optional(fn('must be a function')),
  loadClaims: v.optional(fn('must be a function')),
  maxTokenLength: v.optional(v.pipe(v.number(), v.integer(), v.minValue(256), v.maxValue(1_048_576))),
  cache: v.optional(wholeNumber('entries', 0, 10_000_000)),
})

/**
 * Validates a configuration and builds the environment the pure verbs run in: keys imported,
 * schemas compiled, defaults filled. Throws {@link AuthConfigError} naming the bad field.
 */
export const createAuthEnv = <TSchema extends ClaimsSchema, TRole extends string>(
  input: AuthConfig<TSchema, TRole> | VerifyOnlyAuthConfig<TSchema, TRole>,
): AuthEnv<v.InferOutput<TSchema>, TRole, v.InferInput<TSchema>> => {
  if (typeof input !== 'object' || input === null) throw new AuthConfigError('config', 'must be an object')
  // One view of either shape: the fields of the other are simply absent.
  const config = input as IssuingOptions<TSchema, TRole> &
    Partial<Omit<VerifyOnlyAuthConfig<TSchema, TRole>, 'keys' | 'secret'>> & {
      readonly secret?: string | Uint8Array
      readonly keys?: KeyRing
    }
  checkKeySource(config as unknown as Readonly<Record<string, unknown>>)
  const checked = v.safeParse(ConfigSchema, config, { abortEarly: true })
  if (!checked.success) {
    const issue = checked.issues[0]
    throw new AuthConfigError(v.getDotPath(issue) ?? 'config', issue.message)
  }
  const claimNames = declaredClaimNames(config.claims ?? EmptyClaims) ?? []
  const reserved = claimNames.find((name) => RESERVED_CLAIMS.has(name) || name === '__proto__')
  if (reserved !== undefined) {
    throw new AuthConfigError(`claims.${reserved}`, `"${reserved}" is a reserved claim name`)
  }
  const roles = config.roles === undefined ? undefined : new Set<string>(config.roles)
  const defaultRole = (config.defaultRole ?? 'user') as TRole
  // A verify-only auth never issues, so it has no default role to check.
  if (roles !== undefined && !roles.has(defaultRole) && config.jwks === undefined) {
    throw new AuthConfigError(
      'defaultRole',
      `"${defaultRole}" is not one of the configured roles; name one with defaultRole`,
    )
  }
  const audience = config.audience
  const clock = config.clock ?? systemClock
  return {
    keys: keySetOf(config, clock),
    claims: (config.claims ?? EmptyClaims) as unknown as v.GenericSchema<v.InferInput<TSchema>, v.InferOutput<TSchema>>,
    roles,
    defaultRole,
    ttl: {
      access: seconds(config.accessTtl, 3600),
      refresh: seconds(config.refreshTtl, 604_800),
      guest: seconds(config.guestTtl, 86_400),
    },
    leeway: seconds(config.leeway, 0),
    issuer: config.issuer,
    audience: audience === undefined ? undefined : typeof audience === 'string' ? [audience] : [...audience],
    store: config.store ?? memoryStore(),
    clock,
    ids: config.ids ?? randomId,
    loadClaims: config.loadClaims,
    maxTokenLength: config.maxTokenLength ?? DEFAULT_MAX_TOKEN_LENGTH,
    cache: verifyCache(config.cache ?? (typeof config.jwks === 'string' || config.jwks instanceof URL ? 0 : 10_000)),
  }
}

const EmptyClaims = v.object({})

const KEY_SOURCES = ['secret', 'keys', 'jwks'] as const
const JWKS_OPTIONS = ['cacheMaxAge', 'cooldown', 'timeoutMs', 'algorithms'] as const

// Exactly one place the keys come from; the JWKS fetch options make sense only with `jwks`.
const checkKeySource = (config: Readonly<Record<string, unknown>>): void => {
  const given = KEY_SOURCES.filter((name) => config[name] !== undefined)
  if (given.length === 0) throw new AuthConfigError('secret', 'is required (or keys, or jwks for a verify-only auth)')
  if (given.length > 1) throw new AuthConfigError(given[1] as string, `cannot be combined with ${given[0]}`)
  if (given[0] !== 'jwks') {
    const stray = JWKS_OPTIONS.find((name) => config[name] !== undefined)
    if (stray !== undefined) throw new AuthConfigError(stray, 'applies only to a verify-only auth (jwks)')
  }
}

const keySetOf = (
  config: {
    readonly secret?: string | Uint8Array
    readonly keys?: KeyRing
    readonly jwks?: string | URL | JsonWebKeySet
    readonly cacheMaxAge?: Duration
    readonly cooldown?: Duration
    readonly timeoutMs?: number
    readonly algorithms?: readonly AsymmetricAlgorithm[]
  },
  clock: Clock,
): KeySet => {
  if (config.secret !== undefined) return secretKeySet(config.secret)
  if (config.keys !== undefined) return ringKeySet(config.keys)
  const jwks = config.jwks as string | URL | JsonWebKeySet
  if (typeof jwks === 'string' || jwks instanceof URL) {
    return remoteJwksKeySet(
      jwksUrl(jwks),
      {
        cacheMaxAge: seconds(config.cacheMaxAge, 600) * 1000,
        cooldown: seconds(config.cooldown, 30) * 1000,
        timeout: config.timeoutMs ?? 5000,
        algorithms: config.algorithms,
      },
      clock,
    )
  }
  const keys = localJwksKeySet(jwks, config.algorithms)
  if (keys.byKid.size === 0 && keys.sole === undefined) {
    throw new AuthConfigError('jwks', 'holds no public signature key with a supported, fixed algorithm')
  }
  return keys
}

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/

const jwksUrl = (value: string | URL): URL => {
  let url: URL
  try {
    url = new URL(String(value))
  } catch {
    throw new AuthConfigError('jwks', 'must be an absolute URL')
  }
  if (url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.test(url.hostname))) return url
  throw new AuthConfigError('jwks', 'must be an https: URL (plain http: only on a loopback host)')
}

const seconds = (value: Duration | undefined, fallback: number): number =>
  value === undefined ? fallback : (toSeconds(value) as number)
