/**
 * `npm run bench`: every verifier on the same token sets, in one process and one run, timed with
 * mitata; then HS256 issue throughput. Prints medians and ratios, writes `bench/results/latest.json`
 * and the chart `docs/verify-throughput.svg`. `--quick` runs a few iterations on fewer tokens and
 * writes to a temporary directory instead.
 *
 * Exits 1 when a contender refuses a valid token or accepts a tampered one; never on a speed number.
 */
import { writeFileSync } from 'node:fs'
import { loadavg } from 'node:os'
import { join } from 'node:path'
import { measure } from 'mitata'
import { type ContenderName, issueContenders, type VerifyContender, verifyContenders } from './contenders.js'
import {
  CONVENTION,
  type Measurement,
  machine,
  micros,
  type Ratio,
  ROOT,
  resultPath,
  source,
  times,
  type VerifyResults,
  writeJson,
} from './results.js'
import {
  ALGORITHMS,
  type BenchAlgorithm,
  DISTINCT_TOKENS,
  isQuick,
  issueTokens,
  keyMaterial,
  type OurAuth,
  ourAuth,
  subjectOf,
} from './setup.js'
import { throughputChart } from './svg.js'

const quick = isQuick()
const mode = quick ? 'quick' : 'full'
// the code under test is what was loaded now, whatever happens to the working tree during the run
const measuredSource = source()
const DISTINCT = quick ? 500 : DISTINCT_TOKENS
// Each benchmark runs in ROUNDS rounds, interleaved with the other contenders of its algorithm, so
// a burst of load from elsewhere on the machine hits every contender alike; the median of the
// round medians is reported. A full run samples each benchmark for ~0.75 s in all.
const ROUNDS = quick ? 1 : 3
const options = quick
  ? { min_cpu_time: 20e6, min_samples: 4, batch_samples: 128, warmup_samples: 1 }
  : { min_cpu_time: 250e6 }
const CHECK_EVERY = quick ? 25 : 100

const log = (line: string): void => {
  process.stderr.write(`${line}\n`)
}

// answers the next token of a set on each call, cycling
const cycle = (tokens: readonly string[]): (() => string) => {
  let index = 0
  return () => {
    const token = tokens[index] as string
    index = index + 1 === tokens.length ? 0 : index + 1
    return token
  }
}

// A character of the signature changed: every contender must refuse the token.
const tamper = (token: string): string => {
  const at = token.lastIndexOf('.') + 5
  const replacement = token[at] === 'A' ? 'B' : 'A'
  return `${token.slice(0, at)}${replacement}${token.slice(at + 1)}`
}

const problems: string[] = []
const notes: string[] = []

const checkContender = async (alg: string, contender: VerifyContender, tokens: readonly string[]): Promise<void> => {
  for (let index = 0; index < tokens.length; index += CHECK_EVERY) {
    const subject = await contender.subject(tokens[index] as string)
    if (subject !== subjectOf(index)) {
      problems.push(`${alg} ${contender.name}: refused (or misread) valid token #${index}`)
      return
    }
  }
  if ((await contender.subject(tamper(tokens[0] as string))) !== undefined) {
    problems.push(`${alg} ${contender.name}: accepted a token with a tampered signature`)
  }
}

interface Timing {
  readonly medianNs: number
  readonly p75Ns: number
  readonly p99Ns: number
  readonly calls: number
}

// Our verification cache, seen through the shape `createAuth` gives it (absent before it existed).
const cacheOf = (auth: OurAuth): { readonly size: () => number } | undefined =>
  (auth.env as { readonly cache?: { readonly size: () => number } }).cache

/**
 * Ours must accept every token of the set, and the set must not fit in our cache: after verifying
 * all of it once, a cache holding as many entries as there are tokens would turn the distinct
 * workload into a hot one.
 */
const checkDistinct = async (alg: string, auth: OurAuth, tokens: readonly string[]): Promise<void> => {
  const BATCH = 64
  for (let start = 0; start < tokens.length; start += BATCH) {
    const results = await Promise.all(tokens.slice(start, start + BATCH).map((token) => auth.verify(token)()))
    const refused = results.findIndex((result) => result._tag !== 'Right')
    if (refused !== -1) {
      problems.push(`${alg} ours: refused valid token #${start + refused}`)
      return
    }
  }
  const cached = cacheOf(auth)?.size()
  if (cached !== undefined && cached >= tokens.length) {
    const message = `${alg}: all ${tokens.length} distinct tokens fit in our verification cache, so "distinct" measures cache hits`
    if (quick) notes.push(`${message} (quick run: fewer tokens than a full one)`)
    else problems.push(`${message}; raise DISTINCT_TOKENS in bench/setup.ts above the cache bound`)
  }
}

const timed = async (run: () => unknown): Promise<Timing> => {
  const stats = await measure(run, options)
  return { medianNs: stats.p50, p75Ns: stats.p75, p99Ns: stats.p99, calls: stats.ticks }
}

const middle = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[(sorted.length - 1) >> 1] as number
}

// the median of the rounds' statistics
const combine = (rounds: readonly Timing[]): Timing => ({
  medianNs: middle(rounds.map((round) => round.medianNs)),
  p75Ns: middle(rounds.map((round) => round.p75Ns)),
  p99Ns: middle(rounds.map((round) => round.p99Ns)),
  calls: rounds.reduce((sum, round) => sum + round.calls, 0),
})

const measurements: Measurement[] = []
const tokenBytes: Record<string, number> = {}
const todo: string[] = []

const record = (
  task: Measurement['task'],
  workload: Measurement['workload'],
  alg: string,
  contender: ContenderName,
  stats: Timing,
): void => {
  measurements.push({ task, workload, alg, contender, ...stats, opsPerSecond: Math.round(1e9 / stats.medianNs) })
  log(`  ${workload.padEnd(8)} ${alg.padEnd(6)} ${contender.padEnd(17)} ${micros(stats.medianNs).padStart(7)} µs`)
}

const loadAtStart = loadavg()[0] ?? 0
log(`bench (${mode}): ${DISTINCT} distinct tokens per algorithm, node ${process.version}`)
for (const alg of ALGORITHMS) {
  const material = keyMaterial(alg)
  const auth = await ourAuth(material)
  const started = performance.now()
  const tokens = await issueTokens(auth, DISTINCT)
  tokenBytes[alg] = (tokens[0] as string).length
  log(`${alg}: issued ${DISTINCT} tokens of ${tokenBytes[alg]} bytes in ${Math.round(performance.now() - started)} ms`)
  const contenders = await verifyContenders(material, auth)
  for (const contender of contenders) await checkContender(alg, contender, tokens)
  await checkDistinct(alg, auth, tokens)
  if (problems.length > 0) continue
  const hot = tokens[0] as string
  for (const workload of ['distinct', 'hot'] as const) {
    const rounds = contenders.map((): Timing[] => [])
    for (let round = 0; round < ROUNDS; round++) {
      for (const [index, contender] of contenders.entries()) {
        const next = workload === 'distinct' ? cycle(tokens) : () => hot
        const verify = contender.verify
        rounds[index]?.push(await timed(() => verify(next())))
      }
    }
    contenders.forEach((contender, index) => {
      record('verify', workload, alg, contender.name, combine(rounds[index] ?? []))
    })
  }
}

// issue: HS256 only, as the issue asks; every signer's token must pass our verify first.
{
  const alg: BenchAlgorithm = 'HS256'
  const material = keyMaterial(alg)
  const auth = await ourAuth(material)
  const signers = await issueContenders(material, auth)
  for (const signer of signers) {
    const made = await signer.sign(7)
    const token = typeof made === 'string' ? made : (made as { _tag: string; right?: string }).right
    const verified = token === undefined ? undefined : await auth.verify(token)()
    if (verified?._tag !== 'Right' || verified.right.userId !== subjectOf(7)) {
      problems.push(`issue ${signer.name}: its token does not pass our verify`)
    }
  }
  const rounds = signers.map((): Timing[] => [])
  for (let round = 0; round < ROUNDS && problems.length === 0; round++) {
    for (const [position, signer] of signers.entries()) {
      let index = 0
      const sign = signer.sign
      rounds[position]?.push(await timed(() => sign(index++ % DISTINCT)))
    }
  }
  if (problems.length === 0) {
    signers.forEach((signer, position) => {
      record('issue', 'sign', alg, signer.name, combine(rounds[position] ?? []))
    })
  }
}

if (problems.length > 0) {
  log(`\nbench: broken contenders, nothing is reported:\n- ${problems.join('\n- ')}`)
  process.exit(1)
}

const ratios: Ratio[] = []
for (const ours of measurements.filter((entry) => entry.contender === 'ours')) {
  for (const peer of measurements) {
    if (peer.contender === 'ours' || peer.task !== ours.task || peer.workload !== ours.workload) continue
    if (peer.alg !== ours.alg) continue
    ratios.push({
      task: ours.task,
      workload: ours.workload,
      alg: ours.alg,
      peer: peer.contender,
      ratio: Math.round((peer.medianNs / ours.medianNs) * 1000) / 1000,
    })
  }
}

const results: VerifyResults = {
  date: new Date().toISOString(),
  mode,
  machine: machine(),
  source: measuredSource,
  convention: CONVENTION,
  settings: {
    distinctTokens: DISTINCT,
    tokenBytes,
    minCpuTimeMs: options.min_cpu_time / 1e6,
    rounds: ROUNDS,
    loadAverage: { start: loadAtStart, end: loadavg()[0] ?? 0 },
    harness:
      'mitata measure(); async contenders awaited call by call; per benchmark the median (p50) of each round, then the median of the rounds, in ns per call',
  },
  measurements,
  ratios,
  todo,
}

const jsonPath = resultPath('latest.json', mode)
writeJson(jsonPath, results)
const svgPath = quick ? resultPath('verify-throughput.svg', mode) : join(ROOT, 'docs', 'verify-throughput.svg')
writeFileSync(svgPath, throughputChart(results))

// stdout: the table, one line per workload and algorithm
const contenderNames = [...new Set(measurements.map((entry) => entry.contender))]
const rows: string[][] = [['task', 'workload', 'alg', ...contenderNames]]
for (const key of [...new Set(measurements.map((entry) => `${entry.task}|${entry.workload}|${entry.alg}`))]) {
  const [task, workload, alg] = key.split('|') as [string, string, string]
  const cells = contenderNames.map((name) => {
    const entry = measurements.find(
      (item) => item.task === task && item.workload === workload && item.alg === alg && item.contender === name,
    )
    if (entry === undefined) return '—'
    const ratio = ratios.find(
      (item) => item.task === task && item.workload === workload && item.alg === alg && item.peer === name,
    )
    return `${micros(entry.medianNs)} µs${ratio === undefined ? '' : ` (${times(ratio.ratio)})`}`
  })
  rows.push([task, workload, alg, ...cells])
}
const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => (row[column] as string).length)))
const line = (row: string[]) => row.map((cell, column) => cell.padEnd(widths[column] as number)).join('  ')
const output = [
  '',
  `Medians per call (${mode} run, ${results.date}, ${results.machine.cpu} × ${results.machine.cores}, node ${results.machine.node}).`,
  `In parentheses: ${CONVENTION}.`,
  `Distinct: ${DISTINCT} different tokens cycled; hot: one token reused. Tokens: ${Object.entries(tokenBytes)
    .map(([alg, bytes]) => `${alg} ${bytes} B`)
    .join(', ')}.`,
  '',
  line(rows[0]!),
  ...rows.slice(1).map(line),
  '',
  ...todo.map((item) => `TODO: ${item}`),
  ...[...new Set(notes)].map((item) => `Note: ${item}`),
  ...(Math.max(loadAtStart, results.settings.loadAverage.end) > results.machine.cores
    ? [
        `Warning: the load average (${loadAtStart.toFixed(1)} → ${results.settings.loadAverage.end.toFixed(1)}) exceeded the ${results.machine.cores} cores: other processes competed; re-run on a quiet machine.`,
      ]
    : []),
  `Wrote ${jsonPath} and ${svgPath}.`,
]
process.stdout.write(`${output.join('\n')}\n`)
