import { AuthConfigError } from '../errors.js'

/** Tells whether a request target falls under an excluded path. */
export type PathMatcher = (url: string) => boolean

/**
 * Compiles `exclude` patterns, exact paths (`/health`) and prefixes (`/docs/*`, which covers
 * `/docs` and everything below it), into a matcher of request targets. Throws `AuthConfigError`
 * for a pattern that is not a plain absolute path.
 *
 * Matching is byte-exact and case-sensitive, on the path as received (the query is ignored). A
 * path that a router could read in more than one way (`//`, `.` or `..` segments, any `%` escape,
 * `\`, characters outside RFC 3986 `pchar`) is never excluded: when unsure, authenticate.
 *
 * @example
 * ```ts
 * import { pathMatcher } from '@saas-kit/auth/http'
 * const excluded = pathMatcher(['/health', '/docs/*'])
 * assert.ok(excluded('/docs/intro?lang=en'))
 * assert.ok(!excluded('/health/../api/admin'))
 * assert.ok(!excluded('/heal%74h'))
 * ```
 */
export const pathMatcher = (patterns: readonly string[] | undefined): PathMatcher => {
  if (patterns === undefined) return NEVER
  if (!Array.isArray(patterns)) throw new AuthConfigError('exclude', 'must be an array of paths')
  const exact = new Set<string>()
  const prefixes: string[] = []
  patterns.forEach((pattern: unknown, index) => {
    if (typeof pattern !== 'string') throw new AuthConfigError(`exclude.${index}`, 'must be a string')
    const isPrefix = pattern.endsWith('/*')
    const path = isPrefix ? pattern.slice(0, -2) : pattern
    if (!(isPrefix && path === '') && !isCanonicalPath(path)) {
      throw new AuthConfigError(
        `exclude.${index}`,
        `"${pattern}" must be an absolute path without query, "%" escapes, "//", "." or ".." segments, optionally ending in "/*"`,
      )
    }
    if (path.includes('*')) throw new AuthConfigError(`exclude.${index}`, '"*" may only end a pattern, as "/*"')
    if (isPrefix) prefixes.push(path)
    else exact.add(path)
  })
  if (exact.size === 0 && prefixes.length === 0) return NEVER
  return (url) => {
    const path = requestPath(url)
    if (path === undefined || !isCanonicalPath(path)) return false
    if (exact.has(path)) return true
    return prefixes.some((prefix) => path === prefix || path.startsWith(`${prefix}/`))
  }
}

const NEVER: PathMatcher = () => false

/**
 * The path of a request target, not decoded: from an origin-form target (`/a/b?q`) or an absolute
 * URL (`https://host/a/b?q`). `undefined` when there is none.
 */
export const requestPath = (url: string): string | undefined => {
  if (typeof url !== 'string') return undefined
  let start = 0
  if (url.charCodeAt(0) !== SLASH) {
    const scheme = url.indexOf('://')
    if (scheme < 0) return undefined
    // The authority ends at the first '/', '?' or '#': a '/' inside a query is not a path.
    start = -1
    for (let i = scheme + 3; i < url.length; i++) {
      const code = url.charCodeAt(i)
      if (code === SLASH) {
        start = i
        break
      }
      if (code === QUESTION || code === HASH) return '/'
    }
    if (start < 0) return '/'
  }
  let end = url.length
  for (let i = start; i < end; i++) {
    const code = url.charCodeAt(i)
    if (code === QUESTION || code === HASH) {
      end = i
      break
    }
  }
  return url.slice(start, end)
}

const SLASH = 0x2f
const QUESTION = 0x3f
const HASH = 0x23

// RFC 3986 §3.3 `pchar` without pct-encoded, and "/": every router reads such a path the same way.
const PLAIN_PATH = /^(?:\/[A-Za-z0-9\-._~!$&'()*+,;=:@]+)*\/?$/
const DOT_SEGMENT = /\/\.{1,2}(?:\/|$)/

/** Tells whether a path has one reading only: absolute, no empty, `.` or `..` segment, no escape. */
const isCanonicalPath = (path: string): boolean =>
  path.length > 0 && path.length <= 4096 && PLAIN_PATH.test(path) && !DOT_SEGMENT.test(path)
