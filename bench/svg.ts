/**
 * The throughput chart of `docs/verify-throughput.svg`, drawn by hand: one panel per workload,
 * one group of bars per algorithm, one bar per contender, ops/s on a logarithmic axis (the
 * contenders span three orders of magnitude).
 */
import { CONVENTION, type Measurement, type VerifyResults } from './results.js'

const COLORS: Readonly<Record<string, string>> = {
  ours: '#d6336c',
  'fast-jwt': '#1c7ed6',
  'fast-jwt (cache)': '#74c0fc',
  jose: '#2f9e44',
  jsonwebtoken: '#f08c00',
  'raw floor': '#868e96',
}

const WIDTH = 960
const LABEL = 150
const RIGHT = 110
const BAR = 12
const GAP = 3
const GROUP_GAP = 14
const PANEL_TITLE = 34

const xml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')

const format = (ops: number): string =>
  ops >= 1e6
    ? `${(ops / 1e6).toFixed(2)} M/s`
    : ops >= 1e3
      ? `${(ops / 1e3).toFixed(ops >= 1e5 ? 0 : 1)} k/s`
      : `${ops}/s`

const decadeLabel = (ops: number): string =>
  ops >= 1e6 ? `${ops / 1e6} M/s` : ops >= 1e3 ? `${ops / 1e3} k/s` : `${ops}/s`

/** Draws the verify throughput of one run as a standalone SVG document. */
export const throughputChart = (results: VerifyResults): string => {
  const verify = results.measurements.filter((entry) => entry.task === 'verify')
  const contenders = [...new Set(verify.map((entry) => entry.contender))]
  const workloads = [...new Set(verify.map((entry) => entry.workload))]
  const algorithms = [...new Set(verify.map((entry) => entry.alg))]
  const ops = verify.map((entry) => entry.opsPerSecond)
  const low = 10 ** Math.floor(Math.log10(Math.max(1, Math.min(...ops))))
  const high = 10 ** Math.ceil(Math.log10(Math.max(10, ...ops)))
  const plot = WIDTH - LABEL - RIGHT
  const x = (value: number): number =>
    LABEL + (plot * (Math.log10(Math.max(value, low)) - Math.log10(low))) / (Math.log10(high) - Math.log10(low))

  const parts: string[] = []
  let y = 58
  const groupHeight = (alg: string, workload: string): number =>
    verify.filter((entry) => entry.alg === alg && entry.workload === workload).length * (BAR + GAP) + GROUP_GAP
  for (const workload of workloads) {
    const title =
      workload === 'distinct'
        ? `Distinct tokens (${results.settings.distinctTokens.toLocaleString('en')} cycled: no cache can help)`
        : 'Hot token (one token reused)'
    parts.push(`<text x="${LABEL}" y="${y + 18}" class="panel">${xml(title)}</text>`)
    y += PANEL_TITLE
    const bottom = y + algorithms.reduce((sum, alg) => sum + groupHeight(alg, workload), 0) - GROUP_GAP
    // the decades of the logarithmic axis, under the bars
    for (let decade = low; decade <= high; decade *= 10) {
      const at = x(decade).toFixed(1)
      parts.push(
        `<line x1="${at}" y1="${y - 4}" x2="${at}" y2="${bottom + 4}" class="grid"/>`,
        `<text x="${at}" y="${bottom + 16}" class="axis" text-anchor="middle">${decadeLabel(decade)}</text>`,
      )
    }
    for (const alg of algorithms) {
      const bars = contenders
        .map((name) =>
          verify.find((entry) => entry.workload === workload && entry.alg === alg && entry.contender === name),
        )
        .filter((entry): entry is Measurement => entry !== undefined)
      const height = groupHeight(alg, workload)
      parts.push(
        `<text x="${LABEL - 10}" y="${y + (bars.length * (BAR + GAP)) / 2 + 4}" class="alg" text-anchor="end">${alg}</text>`,
      )
      for (const bar of bars) {
        const end = x(bar.opsPerSecond)
        const title = `${bar.contender} ${workload} ${alg}: ${(bar.medianNs / 1000).toFixed(2)} µs median, ${format(bar.opsPerSecond)}`
        parts.push(
          `<rect x="${LABEL}" y="${y}" width="${(end - LABEL).toFixed(1)}" height="${BAR}" fill="${COLORS[bar.contender] ?? '#495057'}"><title>${xml(title)}</title></rect>`,
          `<text x="${(end + 4).toFixed(1)}" y="${y + BAR - 2}" class="value">${xml(format(bar.opsPerSecond))}${bar.contender === 'ours' ? ' (ours)' : ''}</text>`,
        )
        y += BAR + GAP
      }
      y += height - bars.length * (BAR + GAP)
    }
    y = bottom + 24
    y += 14
  }
  const legendY = y + 4
  contenders.forEach((name, index) => {
    const left = LABEL + index * 125
    parts.push(
      `<rect x="${left}" y="${legendY}" width="12" height="12" fill="${COLORS[name] ?? '#495057'}"/>`,
      `<text x="${left + 16}" y="${legendY + 10}" class="legend">${xml(name)}</text>`,
    )
  })
  const height = legendY + 40
  const { machine } = results
  const subtitle = `verify ops/s (median of one call, higher is better, log scale) · ${machine.cpu} × ${machine.cores} cores · node ${machine.node} · ${results.date.slice(0, 10)}`
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="system-ui, -apple-system, 'Segoe UI', sans-serif">`,
    `<title>JWT verify throughput: @saas-kit/auth against fast-jwt, jose, jsonwebtoken and the node:crypto floor</title>`,
    `<desc>${xml(CONVENTION)}</desc>`,
    '<style>.panel{font-size:14px;font-weight:600;fill:#212529}.alg{font-size:13px;font-weight:600;fill:#343a40}.value{font-size:10px;fill:#495057}.axis{font-size:10px;fill:#868e96}.legend{font-size:12px;fill:#343a40}.grid{stroke:#dee2e6;stroke-width:1}.head{font-size:16px;font-weight:700;fill:#212529}.sub{font-size:11px;fill:#868e96}</style>',
    `<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>`,
    `<text x="${LABEL}" y="24" class="head">JWT verify throughput</text>`,
    `<text x="${LABEL}" y="42" class="sub">${xml(subtitle)}</text>`,
    ...parts,
    '</svg>',
    '',
  ].join('\n')
}
