// How close a reference run comes to its floor: `layercheck run` against the
// embedded reference stack, N times in a row (5 by default), each in its own
// process group and bounded in time. Prints, per run, durationMs, floorMs and
// durationMs / (floorMs + 2000 ms) — the floor plus a fixed allowance for starting
// vitest and calibrating — then the median and spread of that ratio, and whether
// every run gave every check the same verdict. Not a test — a benchmark anyone can rerun:
//   node_modules/.bin/node bench/floor-ratio.ts [runs] [--keep <dir>] [-- extra run args]
// Issue 13's bar: a median ratio ≤ 1.2.

import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { formatSpread, spreadOf } from '../harness/bench/stats.ts'
import type { RunReport, Verdict } from '../harness/model/check-result.ts'
import { conflictingOverlaps } from '../harness/model/floor.ts'
import { CODE_ROOT } from '../harness/paths.ts'

/** What the floor leaves out: vitest's start, the suite workers' imports, the run's calibration (ms). */
const ALLOWANCE_MS = 2000
/** One run's bound: a reference run takes about a minute on 2 cores. */
const RUN_TIMEOUT_MS = 240_000

const argv = process.argv.slice(2)
const dashes = argv.indexOf('--')
const own = dashes === -1 ? argv : argv.slice(0, dashes)
const extra = dashes === -1 ? [] : argv.slice(dashes + 1)
const keepAt = own.indexOf('--keep')
const keep = keepAt === -1 ? undefined : own[keepAt + 1]
const runs = Number(own.find((arg, i) => /^\d+$/.test(arg) && own[i - 1] !== '--keep') ?? 5)
if (!Number.isInteger(runs) || runs < 1 || runs > 50) throw new Error(`runs must be an integer from 1 to 50, got ${runs}`)

/** One `layercheck run` in a process group of its own, killed whole when it outlives RUN_TIMEOUT_MS. */
function runOnce(reportDir: string): Promise<{ code: number | null; wallMs: number; output: string }> {
  const started = performance.now()
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(CODE_ROOT, 'bin/layercheck.js'), 'run', '--no-color', '--report-dir', reportDir, ...extra], {
      cwd: CODE_ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' },
    })
    let output = ''
    child.stdout.on('data', (chunk) => { output += chunk })
    child.stderr.on('data', (chunk) => { output += chunk })
    const timer = setTimeout(() => {
      try { process.kill(-child.pid!, 'SIGTERM') } catch { /* already gone */ }
    }, RUN_TIMEOUT_MS)
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code, wallMs: performance.now() - started, output })
    })
  })
}

const dir = keep ?? mkdtempSync(join(tmpdir(), 'layercheck-floor-'))
const ratios: number[] = []
const verdictsByRun: Map<string, Verdict>[] = []
try {
  console.log(`${runs} reference run(s); ratio = durationMs / (floorMs + ${ALLOWANCE_MS} ms)`)
  for (let i = 1; i <= runs; i++) {
    const reportDir = join(dir, `run-${i}`)
    const { code, wallMs, output } = await runOnce(reportDir)
    let report: RunReport
    try {
      report = JSON.parse(readFileSync(join(reportDir, 'report.json'), 'utf8')) as RunReport
    } catch {
      console.log(`run ${i}: exit ${code}, no report.json\n${output.split('\n').slice(-20).join('\n')}`)
      process.exitCode = 1
      continue
    }
    const floorMs = report.floorMs ?? 0
    const ratio = report.durationMs / (floorMs + ALLOWANCE_MS)
    ratios.push(ratio)
    verdictsByRun.push(new Map(report.checks.map((c) => [c.id, c.verdict])))
    const overlaps = conflictingOverlaps(report.checks)
    console.log(`run ${i}: exit ${code}, ${report.summary.pass} pass / ${report.summary.fail} fail / ${report.summary.error} error, ` +
      `durationMs ${report.durationMs}, floorMs ${floorMs}, ratio ${ratio.toFixed(3)} (process wall ${(wallMs / 1000).toFixed(1)} s)` +
      (overlaps.length ? `; CONFLICTING OVERLAPS: ${overlaps.map((pair) => pair.join(' & ')).join(', ')}` : ''))
    if (overlaps.length) process.exitCode = 1
  }
  if (ratios.length) {
    const spread = spreadOf(ratios)
    console.log(`ratio: median ${spread.median.toFixed(3)}, ${formatSpread(spread, '', 3)}, relative spread ${(spread.relativeSpread * 100).toFixed(1)} %`)
  }
  const [first, ...rest] = verdictsByRun
  const differing = first ? [...new Set(rest.flatMap((run) => [...new Set([...first.keys(), ...run.keys()])].filter((id) => first.get(id) !== run.get(id))))] : []
  console.log(differing.length ? `verdicts differ between runs: ${differing.join(', ')}` : `verdicts: identical in all ${verdictsByRun.length} runs (${first?.size ?? 0} checks)`)
  if (differing.length) process.exitCode = 1
} finally {
  if (!keep) rmSync(dir, { recursive: true, force: true })
}
