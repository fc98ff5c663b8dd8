import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

// The code of the guides is part of the product. Every ```ts block of a guide below belongs to one
// program, in order, so later blocks use what earlier ones declared; a block fenced ```ts no-check is
// left out. Each program is written to `test/package/samples/<guide>.ts` (importing `src/`, so that
// `npm run typecheck` checks it under the strict options) and run in plain node against the build
// (docs-samples.test.ts), which also fails when a written file no longer matches its guide.

/** The repository root. */
export const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..')

/** The guides whose code is checked. */
export const GUIDES = ['getting-started', 'claims-and-roles', 'refresh-rotation', 'guests'] as const

/** One guide's code: its `ts` blocks joined into one module. */
export interface Sample {
  readonly guide: string
  readonly code: string
}

const FENCE = /^```(\S*)(?:[ \t]+(.*))?$/

/** Extracts the checked code of a guide, each block headed by a comment naming its line in the guide. */
export const extractSample = (guide: string): Sample => {
  const markdown = readFileSync(join(root, 'docs', `${guide}.md`), 'utf8').split('\n')
  const code: string[] = []
  let inside: 'checked' | 'other' | undefined
  markdown.forEach((text, index) => {
    const fence = FENCE.exec(text)
    if (inside === undefined && fence !== null) {
      const [, language, flags = ''] = fence
      inside = (language === 'ts' || language === 'typescript') && !flags.includes('no-check') ? 'checked' : 'other'
      if (inside === 'checked') code.push(`${code.length === 0 ? '' : '\n'}// docs/${guide}.md:${index + 2}`)
    } else if (inside !== undefined && text.startsWith('```')) {
      inside = undefined
    } else if (inside === 'checked') {
      code.push(text)
    }
  })
  return { guide, code: `${code.join('\n')}\n` }
}

// The package's own entry points, as the samples import them, and their sources.
const ENTRY_SOURCES: Readonly<Record<string, string>> = {
  '@saas-kit/auth': 'index',
  '@saas-kit/auth/http': 'http/index',
  '@saas-kit/auth/hono': 'adapters/hono',
  '@saas-kit/auth/express': 'adapters/express',
  '@saas-kit/auth/fastify': 'adapters/fastify',
  '@saas-kit/auth/fetch': 'adapters/fetch',
  '@saas-kit/auth/redis': 'stores/redis',
}

/** The checked-in form of a sample: a header, the package's imports pointed at `src/`, formatted by biome. */
export const renderSample = (sample: Sample): string =>
  execFileSync(
    join(root, 'node_modules', '.bin', 'biome'),
    ['format', `--stdin-file-path=${samplePath(sample.guide)}`],
    {
      cwd: root,
      input: unformatted(sample),
      encoding: 'utf8',
    },
  )

const unformatted = (sample: Sample): string => {
  const code = sample.code.replace(/(from\s+|import\s*\(\s*)'(@saas-kit\/auth(?:\/[a-z]+)?)'/g, (match, lead, name) => {
    const source = ENTRY_SOURCES[name]
    return source === undefined ? match : `${lead}'../../../src/${source}.js'`
  })
  return [
    `// Generated from docs/${sample.guide}.md by \`npm run docs:samples\`: edit the guide, not this file.`,
    '// `npm run typecheck` type-checks it; test/package/docs-samples.test.ts runs the guide against the build.',
    '',
    code,
  ].join('\n')
}

/** Where the checked-in form of a guide's sample lives. */
export const samplePath = (guide: string): string => join(root, 'test', 'package', 'samples', `${guide}.ts`)
