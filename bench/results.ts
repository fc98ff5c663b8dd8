/** The shape of the files in `bench/results/`, and where they are written. */
import { execFileSync } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { cpus, tmpdir, totalmem } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The machine a run was measured on. */
export interface Machine {
  readonly node: string
  readonly v8: string
  readonly cpu: string
  readonly cores: number
  readonly platform: string
  readonly arch: string
  readonly memoryGb: number
}

/** The code that was measured: the commit, and whether `src/` differed from it. */
export interface Source {
  readonly commit: string
  readonly srcModified: boolean
}

/** One measured median, in nanoseconds per operation. */
export interface Measurement {
  readonly task: 'verify' | 'issue'
  /** `distinct`: different tokens cycled (more than any cache holds); `hot`: one token reused; `sign` for issue. */
  readonly workload: 'distinct' | 'hot' | 'sign'
  readonly alg: string
  readonly contender: string
  readonly medianNs: number
  readonly p75Ns: number
  readonly p99Ns: number
  /** How many calls the statistics are made of. */
  readonly calls: number
  readonly opsPerSecond: number
}

/** A throughput ratio: ops/s of ours ÷ ops/s of the peer (= peer median ÷ our median); > 1 means ours is faster. */
export interface Ratio {
  readonly task: 'verify' | 'issue'
  readonly workload: 'distinct' | 'hot' | 'sign'
  readonly alg: string
  readonly peer: string
  readonly ratio: number
}

/** `bench/results/latest.json`: one run of `bench/verify.ts`. */
export interface VerifyResults {
  readonly date: string
  readonly mode: 'full' | 'quick'
  readonly machine: Machine
  readonly source: Source
  readonly convention: string
  readonly settings: {
    readonly distinctTokens: number
    readonly tokenBytes: Readonly<Record<string, number>>
    readonly minCpuTimeMs: number
    readonly rounds: number
    /** The one-minute load average when the run started and ended: above the core count, other work competed. */
    readonly loadAverage: { readonly start: number; readonly end: number }
    readonly harness: string
  }
  readonly measurements: readonly Measurement[]
  readonly ratios: readonly Ratio[]
  readonly todo: readonly string[]
}

/** `bench/results/memory.json`: one run of `bench/memory.ts`. */
export interface MemoryResults {
  readonly date: string
  readonly mode: 'full' | 'quick'
  readonly machine: Machine
  readonly source: Source
  readonly tokens: number
  readonly concurrency: number
  readonly seconds: number
  readonly baselineRssMb: number
  readonly peakRssGrowthMb: number
  readonly finalRssGrowthMb: number
  readonly finalHeapGrowthMb: number
  readonly targetMb: number
}

/** One case of `bench/http.ts`. */
export interface HttpCase {
  readonly framework: 'hono' | 'fastify'
  /** `bare`: no authentication; `hot`: one token on every request; `distinct`: many tokens cycled. */
  readonly route: 'bare' | 'hot' | 'distinct'
  readonly requestsPerSecond: number
  /** The median over the rounds of this case's requests/s ÷ the bare route's in the same round (1 for bare). */
  readonly ofBare: number
  readonly latencyP50Ms: number
  readonly latencyP99Ms: number
  readonly non2xx: number
  readonly errors: number
}

/** `bench/results/http.json`: one run of `bench/http.ts`. */
export interface HttpResults {
  readonly date: string
  readonly mode: 'full' | 'quick'
  readonly machine: Machine
  readonly source: Source
  readonly settings: {
    readonly connections: number
    readonly seconds: number
    readonly warmupSeconds: number
    readonly rounds: number
    /** Absent in results older than this field: 10 000 then. */
    readonly distinctTokens?: number
  }
  readonly middleware: string
  readonly cases: readonly HttpCase[]
  readonly todo: readonly string[]
}

/** The convention every ratio follows, stated in every output. */
export const CONVENTION =
  'ratio = ops/s of ours ÷ ops/s of the peer (= peer median ÷ our median); > 1 means ours is faster'

/** Describes this machine. */
export const machine = (): Machine => ({
  node: process.version,
  v8: process.versions.v8,
  cpu: cpus()[0]?.model.trim() ?? 'unknown',
  cores: cpus().length,
  platform: process.platform,
  arch: process.arch,
  memoryGb: Math.round(totalmem() / 2 ** 30),
})

/**
 * Which commit was measured, and whether `src/` had uncommitted changes then. `BENCH_COMMIT`
 * names the commit of a copy exported with `git archive`, which has no repository.
 */
export const source = (): Source => {
  // a copy made with `git archive` has no repository: it names its commit itself
  const named = process.env.BENCH_COMMIT
  if (named !== undefined && named !== '') return { commit: named, srcModified: false }
  try {
    const git = (...args: string[]) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim()
    return {
      commit: git('rev-parse', '--short=12', 'HEAD'),
      srcModified: git('status', '--porcelain', '--', 'src') !== '',
    }
  } catch {
    return { commit: 'unknown', srcModified: false }
  }
}

const here = dirname(fileURLToPath(import.meta.url))

/** The repository root. */
export const ROOT = join(here, '..')

/**
 * Where a result file goes: `bench/results/` for a full run; a temporary directory for a quick
 * run, so CI and smoke runs never overwrite the committed numbers.
 */
export const resultPath = (name: string, mode: 'full' | 'quick'): string => {
  const directory = mode === 'full' ? join(here, 'results') : join(tmpdir(), 'saas-kit-auth-bench')
  mkdirSync(directory, { recursive: true })
  return join(directory, name)
}

/** Writes a JSON file with a trailing newline. */
export const writeJson = (path: string, value: unknown): void => {
  mkdirSync(dirname(path), { recursive: true })
  writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`)
}

/** Reads a JSON result file, or `undefined` when there is none yet. */
export const readJson = <T>(path: string): T | undefined => {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T
  } catch {
    return undefined
  }
}

/** Formats nanoseconds as µs with three significant digits. */
export const micros = (ns: number): string => {
  const us = ns / 1000
  return us >= 100 ? us.toFixed(0) : us >= 10 ? us.toFixed(1) : us.toFixed(2)
}

/** Formats a ratio as `1.23×`. */
export const times = (ratio: number): string => `${ratio.toFixed(2)}×`
