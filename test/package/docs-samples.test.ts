import { execFile } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { beforeAll, describe, expect, it } from 'vitest'
import { extractSample, GUIDES, renderSample, root, type Sample, samplePath } from './samples.js'

// The guides' code is type-checked by `npm run typecheck` through its checked-in copy in
// test/package/samples/ (see samples.ts); this file proves that copy is current, then runs each
// guide's code in plain node against the BUILT package, imported by name as a user would.

/** A 32-byte secret the runs get as `JWT_SECRET`, as a deployment would. */
const JWT_SECRET = 'docs-samples-secret-of-32-bytes!!'

const runInNode = async (sample: Sample): Promise<{ code: number; output: string }> => {
  try {
    const { stdout, stderr } = await promisify(execFile)(
      join(root, 'node_modules', '.bin', 'tsx'),
      ['--input-type=module', '--eval', sample.code],
      { cwd: root, timeout: 15_000, env: { ...process.env, NODE_OPTIONS: '', JWT_SECRET } },
    )
    return { code: 0, output: stdout + stderr }
  } catch (error) {
    const failed = error as { code?: unknown; stdout?: string; stderr?: string; message: string }
    const code = typeof failed.code === 'number' ? failed.code : 1
    return { code, output: `${failed.stdout ?? ''}${failed.stderr ?? failed.message}` }
  }
}

const present = GUIDES.filter((guide) => existsSync(join(root, 'docs', `${guide}.md`)))
const samples = present.map(extractSample)

describe('the code samples of the guides', () => {
  beforeAll(() => {
    if (!existsSync(join(root, 'dist', 'index.js'))) {
      throw new Error('dist/ is missing: run `npm run build` (npm test does it in pretest)')
    }
  })

  it('exist for every guide', () => {
    expect(present).toEqual([...GUIDES])
    for (const sample of samples) expect(sample.code.trim(), sample.guide).not.toBe('')
  })

  it.each(samples)('are checked in as the guide has them: $guide (else run `npm run docs:samples`)', (sample) => {
    const written = existsSync(samplePath(sample.guide)) ? readFileSync(samplePath(sample.guide), 'utf8') : ''
    expect(written).toBe(renderSample(sample))
  })

  it.concurrent.for(samples)('run without an error: $guide', { timeout: 20_000 }, async (sample, { expect }) => {
    const result = await runInNode(sample)
    expect(result.code, result.output).toBe(0)
  })
})
