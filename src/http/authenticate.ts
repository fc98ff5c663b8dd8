import * as E from 'fp-ts/lib/Either.js'
import { AuthConfigError } from '../errors.js'
import type { Principal } from '../principal.js'
import { allow, type Decision, invalidRequest, missingToken, refused } from './answer.js'
import { extractBearer } from './bearer.js'
import { pathMatcher } from './exclude.js'
import { DEFAULT_REALM } from './realm.js'
import type { Verifier } from './verifier.js'

/** Options of `authenticate`, in every adapter. */
export interface AuthenticateOptions {
  /** Paths that skip authentication: exact paths (`/health`) and prefixes (`/docs/*`). Default: none. */
  readonly exclude?: readonly string[]
  /** Let a request without any Authorization header through with no principal. A bad token is still refused. */
  readonly optional?: boolean
  /** The `realm` of the `WWW-Authenticate` challenges (RFC 6750 §3). Default `'api'`. */
  readonly realm?: string
}

/** What `authenticate` reads of a request. */
export interface AuthInput {
  /** The request target as received, not decoded: `/path?query`, or an absolute URL. */
  readonly url: string
  /** The Authorization header: its value, one value per header line, or nothing. */
  readonly authorization: string | readonly string[] | null | undefined
}

/**
 * Decides one request: its principal (none on excluded paths and token-less optional requests), or
 * an answer. `realm` is the realm of its challenges, for the guards that run after it.
 */
export type Authenticate<TClaims, TRole extends string> = ((
  input: AuthInput,
) => Promise<Decision<Principal<TClaims, TRole> | undefined>>) & { readonly realm: string }

const OPTION_NAMES = new Set(['exclude', 'optional', 'realm'])

/**
 * Validates the options once (throwing `AuthConfigError`) and answers the function that decides
 * each request: excluded path → through with no principal; no Authorization header → 401 (or
 * through, when `optional`); a malformed header → 400 `invalid_request`; then `verify`: 401
 * `invalid_token`, 503 when the store is down, or the principal. It never throws or rejects.
 *
 * @example
 * ```ts
 * import { authenticate } from '@saas-kit/auth/http'
 * const decide = authenticate(auth, { exclude: ['/health'] })
 * const decision = await decide({ url: '/api/profile', authorization: `Bearer ${token}` })
 * assert.equal(decision._tag, 'Allow')
 * ```
 */
export const authenticate = <TClaims, TRole extends string>(
  auth: Verifier<TClaims, TRole>,
  options: AuthenticateOptions = {},
): Authenticate<TClaims, TRole> => {
  if (typeof auth !== 'object' || auth === null || typeof (auth as { verify?: unknown }).verify !== 'function') {
    throw new AuthConfigError('auth', 'must be an auth with a verify method (createAuth, or a verify-only auth)')
  }
  const { excluded, optional, realm } = checkOptions(options)
  const noPrincipal = allow(undefined)
  const decide = async (input: AuthInput): Promise<Decision<Principal<TClaims, TRole> | undefined>> => {
    try {
      if (excluded(input.url)) return noPrincipal
      const credentials = extractBearer(input.authorization)
      if (credentials._tag === 'None') return optional ? noPrincipal : missingToken(realm)
      if (credentials._tag === 'Invalid') return invalidRequest(realm, credentials.reason)
      const result = await auth.verify(credentials.token)()
      return E.isRight(result) ? allow(result.right) : refused(realm, E.isLeft(result) ? result.left : result)
    } catch (cause) {
      // A verifier that throws or rejects fails closed, as an unavailable store would.
      return refused(realm, cause)
    }
  }
  return Object.assign(decide, { realm })
}

// Throws `AuthConfigError` naming the bad field.
const checkOptions = (options: AuthenticateOptions) => {
  if (typeof options !== 'object' || options === null) throw new AuthConfigError('options', 'must be an object')
  for (const name of Object.keys(options)) {
    if (!OPTION_NAMES.has(name)) throw new AuthConfigError(name, 'is not an option of authenticate')
  }
  if (options.optional !== undefined && typeof options.optional !== 'boolean') {
    throw new AuthConfigError('optional', 'must be a boolean')
  }
  const realm = options.realm ?? DEFAULT_REALM
  // RFC 6750 §3: the realm is a quoted string; keep it to characters that need no escaping.
  if (typeof realm !== 'string' || !/^[\x20\x21\x23-\x5b\x5d-\x7e]{1,256}$/.test(realm)) {
    throw new AuthConfigError('realm', 'must be 1 to 256 printable ASCII characters without " or \\')
  }
  return { excluded: pathMatcher(options.exclude), optional: options.optional === true, realm }
}
