import { describe, expect, test } from 'vitest'
import { parseThreshold } from '../../harness/bench/threshold-expression.ts'
import { spreadOf } from '../../harness/bench/stats.ts'
import type { BenchReport, ModeMeasurement } from '../../harness/model/bench-result.ts'
import { parseProfile } from '../../harness/profile/load-profile.ts'
import { ProfileError } from '../../harness/profile/profile-error.ts'
import { judgeThresholds, thresholdChecks } from '../../suites/bench/thresholds.ts'

function mode(rps: number, p99: number, generatorBoundRuns = 0): ModeMeasurement {
  return {
    label: 'm', generator: 'autocannon', url: 'http://127.0.0.1/health',
    rps: spreadOf([rps * 0.9, rps, rps * 1.1]), p50Ms: spreadOf([p99 / 4]), p90Ms: spreadOf([p99 / 2]), p99Ms: spreadOf([p99 - 1, p99, p99 + 1]), p99RawMs: spreadOf([p99]),
    latencyCorrected: true, generatorCpuPercent: spreadOf([10]), serverCpuPercent: spreadOf([99]),
    errors: 1, non2xx: 1, requests: 1000, generatorBoundRuns, runs: 3,
  }
}

const report: Pick<BenchReport, 'gains' | 'scaling' | 'settings'> = {
  settings: { connections: 32, durationMs: 3000, repeats: 3, warmupMs: 1000 },
  gains: [{ id: 'keepalive-http', name: 'client keep-alive gain, HTTP', throughputRatio: 2, latencyRatio: 1.5, p99Ratio: 1.2, better: mode(3000, 20), baseline: mode(1500, 30), caveats: [] }],
  scaling: [{
    id: 'workers-cpu', name: 'cpu', route: '/compute', serverCores: 2, caveats: [],
    points: [{ workers: 1, measurement: mode(900, 50), speedup: 1, efficiency: 1 }, { workers: 2, measurement: mode(1600, 40, 2), speedup: 1.78, efficiency: 0.89 }],
  }],
}

describe('benchmark thresholds', () => {
  test('k6-style expressions parse; anything else is explained', () => {
    expect(parseThreshold('p(99)<250')).toEqual({ metric: 'p(99)', operator: '<', limit: 250 })
    expect(parseThreshold(' rps >= 1000 ')).toEqual({ metric: 'rps', operator: '>=', limit: 1000 })
    expect(parseThreshold('keepAliveGain>1.5')).toEqual({ metric: 'keepAliveGain', operator: '>', limit: 1.5 })
    expect(parseThreshold('p99<250')).toMatch(/unknown metric p99; known: rps, p\(50\)/)
    expect(parseThreshold('rps > lots')).toMatch(/not a threshold: write <metric><op><number>/)
  })

  test('each is judged on the median, beside the observed value', () => {
    const results = judgeThresholds({
      'keepalive-http': ['p(99)<250', 'rps>1000000', 'keepAliveGain>1.5', 'errorRate<0.001'],
      'workers-cpu': ['speedup>1.5'], 'workers-cpu/1': ['rps>=900'], 'no-such-bench': ['rps>1'],
    }, report)
    expect(results.map((r) => [r.measurement, r.expression, r.verdict, r.observed])).toEqual([
      ['keepalive-http', 'p(99)<250', 'pass', 20],
      ['keepalive-http', 'rps>1000000', 'fail', 3000],
      ['keepalive-http', 'keepAliveGain>1.5', 'pass', 2],
      ['keepalive-http', 'errorRate<0.001', 'fail', 0.002],
      ['workers-cpu', 'speedup>1.5', 'pass', 1.78],
      ['workers-cpu/1', 'rps>=900', 'pass', 900],
      ['no-such-bench', 'rps>1', 'missing', undefined],
    ])
  })

  test('a violated threshold is a failed check saying what was measured and what to look at', () => {
    const checks = thresholdChecks(judgeThresholds({ 'keepalive-http': ['rps>1000000'], 'workers-cpu': ['rps>5000'], 'nope': ['rps>1'] }, report), report)
    expect(checks.map((c) => [c.id, c.verdict, c.step, c.layer])).toEqual([
      ['bench.keepalive-http.rps', 'fail', 6, 'proxy'],
      ['bench.workers-cpu.rps', 'fail', 9, 'app-server'],
      ['bench.nope.rps', 'fail', 9, 'app-server'],
    ])
    expect(checks[0]!.expected).toBe('rps > 1000000 req/s')
    expect(checks[0]!.actual).toBe('rps = 3000 req/s (median of 3 runs, range 2700 req/s – 3300 req/s)')
    expect(checks[0]!.diagnosis).toContain('3 interleaved runs of 3 s with 32 connections')
    expect(checks[1]!.diagnosis).toContain('load generator was the limit in 2 runs')
    expect(checks[2]!.diagnosis).toContain('did not measure')
  })

  test('a bad threshold in a profile is a profile error naming it', () => {
    const bad = () => parseProfile({ baseUrl: 'http://127.0.0.1:1', bench: { thresholds: { 'keepalive-http': ['p(99)<250', 'latency<3'] } } })
    expect(bad).toThrow(ProfileError)
    expect(bad).toThrow(/bench\.thresholds\.keepalive-http\.1.*unknown metric latency/)
  })
})
