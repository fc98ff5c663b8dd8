import { execFile } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { builtinModules } from 'node:module'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { beforeAll, describe, expect, it } from 'vitest'

// These tests run against the BUILT package (`npm test` builds it first through `pretest`), imported
// by its own name through the `exports` map in a plain `node` process: vitest's resolver would hide
// the mistakes a user's Node meets first (a missing `.js`, `fp-ts/Either` without `/lib/…js`, an export
// that points at a file the build never wrote).

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
const dist = join(root, 'dist')
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  name: string
  exports: Record<string, string | { types: string; default: string }>
  dependencies?: Record<string, string>
  peerDependencies?: Record<string, string>
}

/** Every public subpath, its source, and names its module must export at runtime. */
const SUBPATHS = [
  {
    subpath: '.',
    source: 'src/index.ts',
    names: [
      'createAuth',
      'createAuthEnv',
      'issue',
      'issueRefresh',
      'issuePair',
      'guest',
      'verify',
      'refresh',
      'revoke',
      'revokeAll',
      'isRevoked',
      'memoryStore',
      'toHttp',
      'bearerChallenge',
      'AuthConfigError',
      'isAuthError',
      'fixedClock',
      'systemClock',
      'randomId',
      'keyRing',
      'hmacKey',
      'pemKey',
      'jwkKey',
      'generateKeyRing',
      'rotate',
      'retire',
      'toJwks',
    ],
  },
  {
    subpath: './http',
    source: 'src/http/index.ts',
    names: ['authenticate', 'requireAuth', 'requireRole', 'extractBearer', 'toResponse', 'jwksHandler'],
  },
  { subpath: './hono', source: 'src/adapters/hono.ts', names: ['authenticate', 'requireAuth', 'requireRole'] },
  { subpath: './express', source: 'src/adapters/express.ts', names: ['authenticate', 'requireAuth', 'requireRole'] },
  { subpath: './fastify', source: 'src/adapters/fastify.ts', names: ['authenticate', 'requireAuth', 'requireRole'] },
  { subpath: './fetch', source: 'src/adapters/fetch.ts', names: ['authenticate', 'requireAuth', 'requireRole'] },
  { subpath: './redis', source: 'src/stores/redis.ts', names: ['redisStore', 'RedisStoreError'] },
] as const

type Subpath = (typeof SUBPATHS)[number]

const specifierOf = (entry: Subpath): string =>
  entry.subpath === '.' ? manifest.name : `${manifest.name}/${entry.subpath.slice(2)}`

/** `src/adapters/hono.ts` → `dist/adapters/hono` (no extension). */
const builtStem = (source: string): string => `./dist/${source.slice('src/'.length, -'.ts'.length)}`

// Subpaths whose source is still being written are listed but checked only once their source exists.
const present = SUBPATHS.filter((entry) => existsSync(join(root, entry.source)))

// The names each module exports when a plain `node` imports the package by name, or why it could not.
type Loaded = Record<
  string,
  { readonly ok: true; readonly names: string[] } | { readonly ok: false; readonly error: string }
>

const importInNode = async (specifiers: readonly string[]): Promise<Loaded> => {
  const script = `
    const specifiers = ${JSON.stringify(specifiers)}
    const loaded = {}
    for (const specifier of specifiers) {
      try {
        const attributes = specifier.endsWith('.json') ? { with: { type: 'json' } } : undefined
        loaded[specifier] = { ok: true, names: Object.keys(await import(specifier, attributes)) }
      } catch (error) {
        loaded[specifier] = { ok: false, error: String(error?.code ?? '') + ' ' + String(error?.message ?? error) }
      }
    }
    process.stdout.write(JSON.stringify(loaded))
  `
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '--eval', script], {
    cwd: root,
    timeout: 15_000,
    env: { ...process.env, NODE_OPTIONS: '' },
  })
  return JSON.parse(stdout) as Loaded
}

let loaded: Loaded

beforeAll(async () => {
  if (!existsSync(join(dist, 'index.js'))) {
    throw new Error('dist/ is missing: run `npm run build` (npm test does it in pretest)')
  }
  loaded = await importInNode([
    ...present.map(specifierOf),
    `${manifest.name}/package.json`,
    `${manifest.name}/dist/index.js`,
  ])
}, 20_000)

describe('the exports map', () => {
  it('lists exactly the public subpaths, plus ./package.json', () => {
    expect(Object.keys(manifest.exports).sort()).toEqual(
      [...SUBPATHS.map((entry) => entry.subpath), './package.json'].sort(),
    )
  })

  it.each(SUBPATHS)('points $subpath at the build of $source', (entry) => {
    const target = manifest.exports[entry.subpath]
    expect(target).toEqual({ types: `${builtStem(entry.source)}.d.ts`, default: `${builtStem(entry.source)}.js` })
  })

  it.each(present)('ships JavaScript and declarations for $subpath', (entry) => {
    expect(existsSync(join(root, `${builtStem(entry.source)}.js`))).toBe(true)
    expect(existsSync(join(root, `${builtStem(entry.source)}.d.ts`))).toBe(true)
  })
})

describe('importing the built package by name in plain node', () => {
  it.each(present)('$subpath loads and exports its public names', (entry) => {
    const result = loaded[specifierOf(entry)]
    expect(result, `import('${specifierOf(entry)}')`).toMatchObject({ ok: true })
    if (result?.ok === true) expect(result.names).toEqual(expect.arrayContaining([...entry.names]))
  })

  it('exports ./package.json', () => {
    expect(loaded[`${manifest.name}/package.json`]).toMatchObject({ ok: true, names: ['default'] })
  })

  it('keeps files outside the exports map private', () => {
    const deep = loaded[`${manifest.name}/dist/index.js`]
    expect(deep).toMatchObject({ ok: false })
    if (deep?.ok === false) expect(deep.error).toContain('ERR_PACKAGE_PATH_NOT_EXPORTED')
  })
})

// The import graph of the built JavaScript, following relative imports (static and dynamic) from an entry.

// Node-only modules the core may reach without loading them on other runtimes: they are not followed.
const NODE_ONLY = [/^dist\/stores\/redis\.js$/, /^dist\/adapters\//, /^dist\/crypto\/node[^/]*\.js$/]

const IMPORT_SPECIFIERS = [
  /\bimport\s*(?:[\w*${},\s]+?\s*from\s*)?['"]([^'"]+)['"]/g,
  /\bexport\s*(?:type\s*)?[*{][^'"]*?from\s*['"]([^'"]+)['"]/g,
  /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g,
]

const stripComments = (code: string): string => code.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '')

interface Graph {
  /** Repository-relative paths of the files reached. */
  readonly files: readonly string[]
  /** Bare specifiers (packages and built-ins) imported by those files, with the importing file. */
  readonly bare: ReadonlyArray<{ readonly specifier: string; readonly from: string }>
}

const importGraph = (entry: string, skip: readonly RegExp[]): Graph => {
  const files: string[] = []
  const bare: Array<{ specifier: string; from: string }> = []
  const pending = [entry]
  while (pending.length > 0) {
    const file = pending.pop() as string
    if (files.includes(file) || skip.some((pattern) => pattern.test(file))) continue
    files.push(file)
    const code = stripComments(readFileSync(join(root, file), 'utf8'))
    for (const pattern of IMPORT_SPECIFIERS) {
      for (const match of code.matchAll(pattern)) {
        const specifier = match[1] as string
        if (specifier.startsWith('.')) pending.push(relative(root, resolve(root, dirname(file), specifier)))
        else bare.push({ specifier, from: file })
      }
    }
  }
  return { files, bare }
}

const packageOf = (specifier: string): string =>
  specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : (specifier.split('/')[0] as string)

const isBuiltin = (specifier: string): boolean =>
  specifier.startsWith('node:') || builtinModules.includes(packageOf(specifier))

describe('the built core stays portable', () => {
  const core = () => importGraph('dist/index.js', NODE_ONLY)

  it('reaches the whole core from dist/index.js', () => {
    const { files } = core()
    expect(files).toEqual(expect.arrayContaining(['dist/index.js', 'dist/create-auth.js', 'dist/verify.js']))
  })

  it('imports no Node built-in from the root', () => {
    expect(core().bare.filter(({ specifier }) => isBuiltin(specifier))).toEqual([])
  })

  it('uses no Node-only global in the root', () => {
    const nodeGlobals = /\b(?:Buffer\s*\.|process\s*\.|require\s*\(|__dirname|__filename)/
    const offenders = core().files.filter((file) =>
      nodeGlobals.test(stripComments(readFileSync(join(root, file), 'utf8'))),
    )
    expect(offenders).toEqual([])
  })

  it('imports from the root only runtime dependencies', () => {
    const dependencies = Object.keys(manifest.dependencies ?? {})
    const foreign = core().bare.filter(
      ({ specifier }) => !isBuiltin(specifier) && !dependencies.includes(packageOf(specifier)),
    )
    expect(foreign).toEqual([])
  })

  it.each(present)('imports from $subpath only dependencies, peers and built-ins', (entry) => {
    const allowed = [...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.peerDependencies ?? {})]
    const { bare } = importGraph(`${builtStem(entry.source).slice(2)}.js`, [])
    expect(bare.filter(({ specifier }) => !isBuiltin(specifier) && !allowed.includes(packageOf(specifier)))).toEqual([])
  })
})
