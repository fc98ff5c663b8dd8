/**
 * `npm run bench:http`: requests/s of a Hono and a Fastify route, bare and behind `authenticate`,
 * under load from autocannon on 127.0.0.1. Each server runs in its own process (one core), the
 * load generator in this one (the other core). Writes `bench/results/http.json`.
 *
 * Cases per framework: `bare` (no authentication), `hot` (one bearer token on every request) and
 * `distinct` (20 000 tokens cycled, so a verification cache cannot help). Each case has its own
 * server, warmed up first; then five rounds of 3 s per case, in alternating orders, so a drift in
 * machine load weighs on every case alike. Medians of the rounds are kept, and the share of the
 * bare route's requests/s is taken round by round.
 *
 * Exits 1 when a case answers anything but 2xx; never on a speed number.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { createInterface } from 'node:readline'
import autocannon from 'autocannon'
import { type HttpCase, type HttpResults, machine, resultPath, source, writeJson } from './results.js'
import { DISTINCT_TOKENS, isQuick, issueTokens, keyMaterial, ourAuth } from './setup.js'

const quick = isQuick()
const mode = quick ? 'quick' : 'full'
// the code under test is what was loaded now, whatever happens to the working tree during the run
const measuredSource = source()
// Two cores: one serves, one generates load. Ten connections keep the server busy without queueing deep.
const CONNECTIONS = 10
const SECONDS = quick ? 1 : 3
const WARMUP_SECONDS = quick ? 0 : 2
const ROUNDS = quick ? 1 : 5
const DISTINCT = quick ? 500 : DISTINCT_TOKENS

const log = (line: string): void => {
  process.stderr.write(`${line}\n`)
}

const startServer = async (
  framework: HttpCase['framework'],
  route: 'bare' | 'auth',
): Promise<{ url: string; stop: () => Promise<void> }> => {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', new URL('./http-server.ts', import.meta.url).pathname, framework, route],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  )
  const lines = createInterface({ input: child.stdout! })
  const [first] = (await Promise.race([
    once(lines, 'line'),
    once(child, 'exit').then(() => {
      throw new Error(`the ${framework} ${route} server exited before listening`)
    }),
  ])) as [string]
  const { port } = JSON.parse(first) as { port: number }
  return {
    url: `http://127.0.0.1:${port}/api/data`,
    stop: async () => {
      const exited = once(child, 'exit')
      child.stdin?.end()
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
      await exited
      clearTimeout(timer)
    },
  }
}

const auth = await ourAuth(keyMaterial('HS256'))
const tokens = await issueTokens(auth, DISTINCT)
const hot = tokens[0] as string

const load = async (url: string, route: HttpCase['route'], seconds: number) => {
  let index = 0
  const next = (): string => {
    const token = tokens[index] as string
    index = index + 1 === tokens.length ? 0 : index + 1
    return token
  }
  return autocannon({
    url,
    connections: CONNECTIONS,
    duration: seconds,
    ...(route === 'hot' ? { headers: { authorization: `Bearer ${hot}` } } : {}),
    ...(route === 'distinct'
      ? {
          requests: [
            {
              method: 'GET',
              setupRequest: (request) => ({
                ...request,
                headers: { ...request.headers, authorization: `Bearer ${next()}` },
              }),
            },
          ],
        }
      : {}),
  })
}

const FRAMEWORKS = ['hono', 'fastify'] as const
const ROUTES = ['bare', 'hot', 'distinct'] as const
const samples = new Map<string, HttpCase[]>()
const problems: string[] = []

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = sorted.length >> 1
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2
}

log(`bench:http (${mode}): ${CONNECTIONS} connections, ${ROUNDS} round(s) of ${SECONDS} s per case`)
for (const framework of FRAMEWORKS) {
  // one server per case, all started up front and kept warm across the rounds
  const servers = new Map<HttpCase['route'], Awaited<ReturnType<typeof startServer>>>()
  try {
    for (const route of ROUTES) servers.set(route, await startServer(framework, route === 'bare' ? 'bare' : 'auth'))
    for (const route of ROUTES) {
      const url = servers.get(route)!.url
      const probe = await fetch(url, { headers: route === 'bare' ? {} : { authorization: `Bearer ${hot}` } })
      const body = (await probe.json()) as { userId?: unknown }
      if (probe.status !== 200 || (route !== 'bare' && typeof body.userId !== 'string')) {
        problems.push(`${framework} ${route}: the probe request got ${probe.status}`)
      }
      if (WARMUP_SECONDS > 0) await load(url, route, WARMUP_SECONDS)
    }
    if (problems.length > 0) break
    for (let round = 0; round < ROUNDS; round++) {
      // alternate the order, so a drift in machine load weighs on every case alike
      const order = round % 2 === 0 ? ROUTES : [...ROUTES].reverse()
      for (const route of order) {
        const result = await load(servers.get(route)!.url, route, SECONDS)
        if (result.non2xx > 0 || result.errors > 0) {
          problems.push(`${framework} ${route}: ${result.non2xx} non-2xx answers, ${result.errors} errors`)
        }
        const measured: HttpCase = {
          framework,
          route,
          requestsPerSecond: result.requests.average,
          ofBare: Number.NaN,
          latencyP50Ms: result.latency.p50,
          latencyP99Ms: result.latency.p99,
          non2xx: result.non2xx,
          errors: result.errors,
        }
        samples.set(`${framework}|${route}`, [...(samples.get(`${framework}|${route}`) ?? []), measured])
        log(
          `  round ${round + 1} ${framework.padEnd(8)} ${route.padEnd(9)} ${Math.round(measured.requestsPerSecond)} req/s`,
        )
      }
    }
  } finally {
    for (const server of servers.values()) await server.stop()
  }
}

if (problems.length > 0) {
  log(`\nbench:http: broken cases, nothing is reported:\n- ${problems.join('\n- ')}`)
  process.exit(1)
}

const cases: HttpCase[] = []
for (const framework of FRAMEWORKS) {
  const bare = samples.get(`${framework}|bare`) ?? []
  for (const route of ROUTES) {
    const runs = samples.get(`${framework}|${route}`) ?? []
    cases.push({
      framework,
      route,
      requestsPerSecond: Math.round(median(runs.map((run) => run.requestsPerSecond))),
      // each round's authenticated requests/s over the same round's bare ones, then the median
      ofBare:
        route === 'bare'
          ? 1
          : Math.round(
              median(runs.map((run, index) => run.requestsPerSecond / (bare[index]?.requestsPerSecond ?? Number.NaN))) *
                1000,
            ) / 1000,
      latencyP50Ms: median(runs.map((run) => run.latencyP50Ms)),
      latencyP99Ms: median(runs.map((run) => run.latencyP99Ms)),
      non2xx: runs.reduce((sum, run) => sum + run.non2xx, 0),
      errors: runs.reduce((sum, run) => sum + run.errors, 0),
    })
  }
}

const results: HttpResults = {
  date: new Date().toISOString(),
  mode,
  machine: machine(),
  source: measuredSource,
  settings: {
    connections: CONNECTIONS,
    seconds: SECONDS,
    warmupSeconds: WARMUP_SECONDS,
    rounds: ROUNDS,
    distinctTokens: DISTINCT,
  },
  middleware: 'authenticate from src/adapters/hono.ts and src/adapters/fastify.ts',
  cases,
  todo: [],
}
const path = resultPath('http.json', mode)
writeJson(path, results)

const lines = [
  '',
  `HTTP (${mode} run): median requests/s of ${ROUNDS} round(s); "of bare" = median over the rounds of (with authenticate ÷ bare in the same round).`,
]
for (const framework of FRAMEWORKS) {
  for (const route of ROUTES) {
    const item = cases.find((entry) => entry.framework === framework && entry.route === route)!
    const ratio = route === 'bare' ? '' : `  ${(item.ofBare * 100).toFixed(1)} % of bare`
    lines.push(`${framework.padEnd(8)} ${route.padEnd(9)} ${String(item.requestsPerSecond).padStart(7)} req/s${ratio}`)
  }
}
lines.push(`Wrote ${path}.`, '')
process.stdout.write(lines.join('\n'))
