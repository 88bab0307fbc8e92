import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import type { RunReport } from '../../harness/model/check-result.ts'
import { runCli } from '../support/cli.ts'
import { useStack } from '../support/reference-stack.ts'

const scratch = () => mkdtempSync(join(tmpdir(), 'layercheck-bench-cli-'))

describe('layercheck bench: bad thresholds are usage errors, found before any load', () => {
  test('a threshold on a measurement the bench does not make: exit 2, the known ones listed', async () => {
    const result = await runCli(['bench', '--threshold', 'keepalive-h2:rps>1', '-o', scratch()])
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('keepalive-h2, which this bench does not measure; it measures: keepalive-http, keepalive-tls, upstream-keepalive, workers-cpu')
    expect(result.stdout).not.toContain('starting')
  })

  test('an unknown metric: exit 2, the known metrics listed, no stack trace', async () => {
    const result = await runCli(['bench', '--threshold', 'keepalive-http:latency<3', '-o', scratch()])
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('unknown metric latency; known: rps, p(50), p(90), p(99)')
    expect(result.stdout + result.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/)
  })
})

describe('layercheck bench --config: a deployment we did not start', () => {
  const under = useStack()

  test('keep-alive over HTTP and TLS and a labelled-URL scaling series, judged by the profile', async () => {
    const { stack } = under()
    const dir = scratch()
    const config = join(dir, 'profile.json')
    writeFileSync(config, JSON.stringify({
      baseUrl: stack.httpUrl,
      tls: { caFile: stack.caFile },
      connection: { httpsUrl: stack.httpsUrl },
      bench: {
        path: '/health', connections: 4, durationS: 1, repeats: 1, warmupS: 0,
        // One URL per worker count: here both are the same deployment, which the figures then show.
        scaling: [{ id: 'labelled', name: 'labelled URLs', points: [{ workers: 1, url: `${stack.httpUrl}/health` }, { workers: 2, url: `${stack.httpUrl}/health` }] }],
        thresholds: { 'labelled/2': ['rps>0'], 'keepalive-tls': ['errorRate<0.001'] },
      },
    }))
    const result = await runCli(['bench', '--config', config, '-o', dir], { timeoutMs: 120_000 })
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as RunReport
    expect(report.bench!.gains.map((g) => g.id)).toEqual(['keepalive-http', 'keepalive-tls'])
    expect(report.bench!.scaling[0]!.points.map((p) => p.workers)).toEqual([1, 2])
    expect(report.bench!.machine.pinned).toBe(false)
    // Not our processes: their CPU is not read, and the report says so rather than showing 0.
    expect(report.bench!.gains[0]!.better.serverCpuPercent).toBeUndefined()
    expect(result.stdout).toContain('server not measured')
    expect(report.bench!.gains[0]!.better.serverCpuNotMeasured).toBe('the server is not a process this run started (a remote or external deployment)')
    expect(result.stdout).toContain('server CPU not measured: the server is not a process this run started')
    expect(report.checks.map((c) => [c.id, c.verdict])).toEqual([['bench.keepalive-tls.errorRate', 'pass'], ['bench.labelled/2.rps', 'pass']])
    expect(result.stdout).toMatch(/PASS +labelled\/2: rps>0/)

    // Against a baseline ten times faster, the same deployment has regressed: exit 1, named.
    // Only that figure can regress: the others are left out or given ranges no run can leave.
    const faster = structuredClone(report)
    const [http] = faster.bench!.gains
    const median = http!.better.rps.median * 10
    http!.better.rps = { ...http!.better.rps, median, min: median * 0.9, max: median * 1.1 }
    http!.better.p99Ms = { ...http!.better.p99Ms, min: 0, max: 1e9 }
    http!.baseline.rps = { ...http!.baseline.rps, min: 1e-3, max: 1e9 }
    faster.bench!.gains = [http!]
    faster.bench!.scaling = []
    const baseline = join(dir, 'faster.json')
    writeFileSync(baseline, JSON.stringify(faster))
    const again = await runCli(['bench', '--config', config, '-o', join(dir, 'again'), '--baseline', baseline, '--json'], { timeoutMs: 120_000 })
    expect(again.code).toBe(1)
    expect(again.stderr).toContain('1 regression since the baseline: keepalive-http rps')
    const judged = JSON.parse(again.stdout) as RunReport
    expect(judged.baseline!.benchRegressions!.map((r) => `${r.measurement} ${r.metric}`)).toEqual(['keepalive-http rps'])

    // A tolerance wider than the drop: noise, not a regression.
    const tolerant = await runCli(['bench', '--config', config, '-o', join(dir, 'tolerant'), '--baseline', baseline, '--tolerance', '95'], { timeoutMs: 120_000 })
    expect(tolerant.code).toBe(0)
    expect(tolerant.stdout).toContain('no regression since the baseline (slower only within the runs\' spread or under 95 %)')
  }, 300_000)
})
