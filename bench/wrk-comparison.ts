// Cross-checks layercheck's keep-alive generator against wrk (Debian's package),
// on the same reference routes in the same session: interleaved runs, medians
// with [min–max], and the ratio of req/s and p99. Not a test — a benchmark
// anyone can rerun: `node_modules/.bin/node bench/wrk-comparison.ts [seconds] [rounds]`.
//
// Where the app is the bottleneck both generators should see the same
// throughput (within ~15 %); where they differ, the generator is the limit.
// wrk does not correct for coordinated omission, so its p99 is compared with
// our uncorrected p99.

import { execFile, execFileSync } from 'node:child_process'
import { promisify } from 'node:util'
import { planCores, pinGenerator, pinServer } from '../harness/bench/cpu-pinning.ts'
import { runLoad, type LoadMode } from '../harness/bench/load-run.ts'
import { formatSpread, spreadOf } from '../harness/bench/stats.ts'
import { startReferenceStack } from '../targets/nginx-fastapi/stack.ts'

const run = promisify(execFile)
const seconds = Number(process.argv[2] ?? 5)
const rounds = Number(process.argv[3] ?? 3)
const CONNECTIONS = 32
const ROUTES = ['/health', '/compute?n=20000']

function ensureWrk(): void {
  try {
    execFileSync('wrk', ['--version'], { stdio: 'ignore' })
  } catch (error) {
    // wrk --version exits 1 after printing its version: only ENOENT means it is missing.
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') return
    if (process.getuid?.() !== 0) throw new Error('wrk is not installed: apt-get install wrk (Debian package), then rerun')
    execFileSync('apt-get', ['install', '-y', '--no-install-recommends', 'wrk'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } })
  }
}

/** `Latency Distribution … 99%  12.34ms` and `Requests/sec: 1234.56`. */
function parseWrk(output: string): { rps: number; p99Ms: number; errors: number } {
  const unit: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000 }
  const p99 = /^\s*99%\s+([\d.]+)(us|ms|s|m)\s*$/m.exec(output)
  const rps = /^Requests\/sec:\s+([\d.]+)/m.exec(output)
  const errors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(output)
  const non2xx = /Non-2xx or 3xx responses: (\d+)/.exec(output)
  if (!p99 || !rps) throw new Error(`cannot read wrk's output:\n${output}`)
  return {
    rps: Number(rps[1]), p99Ms: Number(p99[1]) * unit[p99[2]!]!,
    errors: (errors ? errors.slice(1).reduce((n, e) => n + Number(e), 0) : 0) + Number(non2xx?.[1] ?? 0),
  }
}

async function main(): Promise<void> {
  ensureWrk()
  const plan = planCores(true)
  const stack = await startReferenceStack({ faultProxy: false })
  try {
    pinServer(plan, stack.pids)
    const unpin = pinGenerator(plan)
    console.log(`wrk -t1 -c${CONNECTIONS} vs layercheck (autocannon, ${CONNECTIONS} connections): ${rounds} interleaved rounds of ${seconds} s per route; ${plan.pinned ? `server on core ${plan.server.join(',')}, generators on core ${plan.generator.join(',')}` : 'not pinned'}`)
    try {
      for (const route of ROUTES) {
        const url = `${stack.httpUrl}${route}`
        const mode: LoadMode = { label: 'layercheck', url, generator: 'autocannon', serverGroups: stack.pids, serverCores: plan.server.length }
        await runLoad(mode, { connections: CONNECTIONS, durationMs: 1000 }) // warm-up
        const ours: { rps: number; p99Ms: number; serverCpu?: number; generatorCpu: number }[] = []
        const theirs: { rps: number; p99Ms: number; errors: number }[] = []
        for (let i = 0; i < rounds; i++) {
          const wrkArgs = ['-t1', `-c${CONNECTIONS}`, `-d${seconds}s`, '--latency', url]
          const { stdout } = await run('taskset', ['-c', plan.generator.join(','), 'wrk', ...wrkArgs], { timeout: (seconds + 30) * 1000 })
          theirs.push(parseWrk(stdout))
          const sample = await runLoad(mode, { connections: CONNECTIONS, durationMs: seconds * 1000 })
          ours.push({ rps: sample.rps, p99Ms: sample.p99RawMs, serverCpu: sample.serverCpu, generatorCpu: sample.generatorCpu })
          console.log(`  ${route} round ${i + 1}: wrk ${Math.round(theirs.at(-1)!.rps)} req/s p99 ${theirs.at(-1)!.p99Ms.toFixed(2)} ms | layercheck ${Math.round(sample.rps)} req/s p99 ${sample.p99RawMs.toFixed(2)} ms (server CPU ${sample.serverCpu} %, generator ${sample.generatorCpu} %)`)
        }
        const [wrkRps, ourRps] = [spreadOf(theirs.map((r) => r.rps)), spreadOf(ours.map((r) => r.rps))]
        const [wrkP99, ourP99] = [spreadOf(theirs.map((r) => r.p99Ms)), spreadOf(ours.map((r) => r.p99Ms))]
        const ratio = ourRps.median / wrkRps.median
        console.log(`${route}: req/s wrk ${formatSpread(wrkRps)} · layercheck ${formatSpread(ourRps)} → ratio ${ratio.toFixed(3)} (${Math.abs(1 - ratio) <= 0.15 ? 'within' : 'OUTSIDE'} 15 %)`)
        console.log(`${' '.repeat(route.length)}  p99 ms wrk ${formatSpread(wrkP99, '', 2)} · layercheck ${formatSpread(ourP99, '', 2)} → ratio ${(ourP99.median / wrkP99.median).toFixed(2)}; server CPU ${formatSpread(spreadOf(ours.map((r) => r.serverCpu ?? Number.NaN)))} %, wrk errors ${theirs.reduce((n, r) => n + r.errors, 0)}`)
      }
    } finally {
      unpin()
    }
  } finally {
    await stack.stop()
  }
}

await main()
