import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { pathMatcher, requestPath } from '../../src/http/index.js'
import { AuthConfigError } from '../../src/index.js'

const excluded = pathMatcher(['/health', '/docs/*', '/openapi.json'])

describe('requestPath', () => {
  it.each([
    ['/a/b?c=d', '/a/b'],
    ['/a/b#frag', '/a/b'],
    ['http://127.0.0.1:3000/a/b?c', '/a/b'],
    ['https://example.test', '/'],
    ['https://example.test?x', '/'],
    ['http://h?q=/public/x', '/'],
    ['http://h#/health', '/'],
    ['http://h?a#/b/c', '/'],
    ['/a%2Fb', '/a%2Fb'],
  ])('%s → %s', (url, path) => {
    expect(requestPath(url)).toBe(path)
  })

  it('has no path for a target that is neither origin-form nor absolute', () => {
    expect(requestPath('*')).toBeUndefined()
    expect(requestPath('example.test:443')).toBeUndefined()
  })
})

describe('pathMatcher', () => {
  it.each([
    '/health',
    '/health?x=/../api',
    'http://127.0.0.1:1/health',
    '/docs',
    '/docs/',
    '/docs/intro',
    '/docs/a/b/c.html',
    '/openapi.json',
  ])('excludes %s', (url) => {
    expect(excluded(url)).toBe(true)
  })

  it.each([
    '/',
    '/api/admin',
    '/health/',
    '/health/x',
    '/healthz',
    '/HEALTH',
    '/Docs/intro',
    '/docsx',
    '/openapi.json/',
    '//health',
    '/docs//intro',
    '/./health',
    '/docs/.',
    '/docs/..',
    '/docs/../api/admin',
    '/docs/./intro',
    '/health/../api/admin',
    '/docs/%2e%2e/api/admin',
    '/docs%2Fintro',
    '/docs%2fintro',
    '/heal%74h',
    '/docs/%69ntro',
    '/docs\\..\\api',
    '/docs/intro\u0000',
    '/docs/ïntro',
    '/docs/in tro',
    '*',
    '',
    'health',
  ])('does not exclude %j', (url) => {
    expect(excluded(url)).toBe(false)
  })

  it('excludes nothing without patterns, and everything canonical with /*', () => {
    expect(pathMatcher(undefined)('/health')).toBe(false)
    expect(pathMatcher([])('/health')).toBe(false)
    const all = pathMatcher(['/*'])
    expect(all('/')).toBe(true)
    expect(all('/any/path')).toBe(true)
    expect(all('/any/../path')).toBe(false)
  })

  it.each([
    [['health'], 'exclude.0'],
    [['/health', '/docs/**'], 'exclude.1'],
    [['/a/*/b'], 'exclude.0'],
    [['/a*'], 'exclude.0'],
    [['/a?b'], 'exclude.0'],
    [['/a%2Fb'], 'exclude.0'],
    [['//a'], 'exclude.0'],
    [['/a/../b'], 'exclude.0'],
    [[''], 'exclude.0'],
    [[42], 'exclude.0'],
    ['/health', 'exclude'],
  ])('throws AuthConfigError for %j', (patterns, field) => {
    const attempt = () => pathMatcher(patterns as readonly string[])
    expect(attempt).toThrow(AuthConfigError)
    try {
      attempt()
    } catch (error) {
      expect((error as AuthConfigError).field).toBe(field)
    }
  })

  const segment = fc.stringMatching(/^[A-Za-z0-9\-_~!$&'()+,;=:@]{1,8}$/)
  const canonical = fc.array(segment, { minLength: 1, maxLength: 5 }).map((parts) => `/${parts.join('/')}`)
  // Tricks that work anywhere in a path, and dot segments that need a segment boundary after them.
  const anywhere = fc.constantFrom('//', '/./', '/../', '%2F', '%2f', '%2e', '%2E', '%61', '\\')
  const atBoundary = fc.constantFrom('/.', '/..')

  it('never excludes a path with a second reading, wherever the trick sits', () => {
    fc.assert(
      fc.property(canonical, fc.oneof(anywhere, atBoundary), fc.nat(), (path, inserted, at) => {
        const boundaries = [...path].flatMap((char, index) => (char === '/' && index > 0 ? [index] : []))
        const candidates = inserted.endsWith('.')
          ? [...boundaries, path.length]
          : [...path].map((_, index) => index + 1)
        const index = candidates[at % candidates.length] as number
        const tricked = path.slice(0, index) + inserted + path.slice(index)
        expect(pathMatcher([path, `${path}/*`, '/*'])(tricked)).toBe(false)
      }),
    )
  })

  it('matches exact paths exactly and prefixes on segment boundaries', () => {
    fc.assert(
      fc.property(canonical, canonical, (pattern, path) => {
        expect(pathMatcher([pattern])(path)).toBe(path === pattern)
        expect(pathMatcher([`${pattern}/*`])(path)).toBe(path === pattern || path.startsWith(`${pattern}/`))
      }),
    )
  })
})
