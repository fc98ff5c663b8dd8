/**
 * Memory under a stream of distinct tokens: verifies 10⁶ different HS256 tokens with an auth on
 * every default setting (memory store, verification cache if any) and reports how much the
 * resident set grew. Tokens are minted on the fly, in the exact format `issue` writes, with
 * node:crypto, and dropped once verified: only what `verify` keeps can accumulate.
 *
 * Run with `--expose-gc` so the baseline and the final figure are taken after a full collection.
 * `--quick` verifies 20 000 tokens. Exits 1 when a token is refused; never on a memory number.
 */
import { createHmac, randomBytes } from 'node:crypto'
import { createAuth } from '../src/index.js'
import { type MemoryResults, machine, resultPath, source, writeJson } from './results.js'
import { isQuick, PlanClaims, ROLES, SECRET } from './setup.js'

const quick = isQuick()
const mode = quick ? 'quick' : 'full'
// the code under test is what was loaded now, whatever happens to the working tree during the run
const measuredSource = source()
const TOKENS = quick ? 20_000 : 1_000_000
// Verifies run this many at a time, as concurrent requests would; a batch is awaited before the next.
const CONCURRENCY = 32
const TARGET_MB = 50
const SAMPLE_EVERY = 10_000

const collect = (): void => {
  const gc = (globalThis as { gc?: () => void }).gc
  if (gc !== undefined) {
    gc()
    gc()
  }
}
const mb = (bytes: number): number => Math.round((bytes / 2 ** 20) * 10) / 10

// the token format of `issue`: header {alg, typ: at+jwt}, then sub, jti, iat, exp, role and the plan claims
const HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'at+jwt' })).toString('base64url')
const key = Buffer.from(SECRET, 'utf8')
const jtiPrefix = randomBytes(8).toString('base64url')
const mint = (index: number, iat: number): string => {
  const payload = {
    sub: `user-${100_000 + (index % 50_000)}`,
    jti: `${jtiPrefix}${index.toString(36).padStart(11, '0')}`,
    iat,
    exp: iat + 3600,
    role: 'user',
    plan: 'pro',
    limits: { daily_limit: 100, features: ['export'] },
  }
  const signingInput = `${HEADER}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`
  return `${signingInput}.${createHmac('sha256', key).update(signingInput).digest('base64url')}`
}

const auth = createAuth({ secret: SECRET, claims: PlanClaims, roles: ROLES })
let refused = 0

const verifyRange = async (from: number, to: number): Promise<void> => {
  const iat = Math.floor(Date.now() / 1000)
  for (let start = from; start < to; start += CONCURRENCY) {
    const batch: Promise<{ readonly _tag: string }>[] = []
    for (let index = start; index < Math.min(to, start + CONCURRENCY); index++) {
      batch.push(auth.verify(mint(index, iat))())
    }
    for (const result of await Promise.all(batch)) if (result._tag !== 'Right') refused++
  }
}

const log = (line: string): void => {
  process.stderr.write(`${line}\n`)
}

if ((globalThis as { gc?: unknown }).gc === undefined) log('memory: run node with --expose-gc for exact figures')

// warm up: compile the hot path and fill the pools, then take the baseline after a collection
const WARM = 2_000
await verifyRange(-WARM, 0)
collect()
const baseline = process.memoryUsage()
let peak = baseline.rss
const started = performance.now()
for (let from = 0; from < TOKENS; from += SAMPLE_EVERY) {
  await verifyRange(from, Math.min(TOKENS, from + SAMPLE_EVERY))
  peak = Math.max(peak, process.memoryUsage.rss())
}
const seconds = (performance.now() - started) / 1000
collect()
const final = process.memoryUsage()

if (refused > 0) {
  log(`memory: ${refused} of ${TOKENS} tokens were refused; the figures would be meaningless`)
  process.exit(1)
}

const results: MemoryResults = {
  date: new Date().toISOString(),
  mode,
  machine: machine(),
  source: measuredSource,
  tokens: TOKENS,
  concurrency: CONCURRENCY,
  seconds: Math.round(seconds * 10) / 10,
  baselineRssMb: mb(baseline.rss),
  peakRssGrowthMb: mb(peak - baseline.rss),
  finalRssGrowthMb: mb(final.rss - baseline.rss),
  finalHeapGrowthMb: mb(final.heapUsed - baseline.heapUsed),
  targetMb: TARGET_MB,
}
const path = resultPath('memory.json', mode)
writeJson(path, results)
const verdict = results.peakRssGrowthMb < TARGET_MB ? 'met' : 'missed'
process.stdout.write(
  [
    '',
    `Memory (${mode} run): ${TOKENS.toLocaleString('en')} distinct HS256 tokens verified in ${results.seconds} s, ${CONCURRENCY} at a time, default settings.`,
    `RSS baseline ${results.baselineRssMb} MB; growth: peak ${results.peakRssGrowthMb} MB, after GC ${results.finalRssGrowthMb} MB (heap ${results.finalHeapGrowthMb} MB).`,
    `Target: peak growth < ${TARGET_MB} MB: ${verdict}${quick ? ' (quick run: too few tokens to judge)' : ''}.`,
    `Wrote ${path}.`,
    '',
  ].join('\n'),
)
