import { describe, expect, test } from 'vitest'
import { latencyPercentiles } from '../../harness/bench/latency-histogram.ts'
import { isGeneratorBound } from '../../harness/bench/measure-modes.ts'
import { scalingOf } from '../../harness/bench/scaling.ts'
import { spreadOf } from '../../harness/bench/stats.ts'
import type { ModeMeasurement } from '../../harness/model/bench-result.ts'

describe('benchmark statistics', () => {
  test('median and spread of repeated runs', () => {
    expect(spreadOf([30, 10, 20])).toMatchObject({ median: 20, min: 10, max: 30, relativeSpread: 1 })
    expect(spreadOf([10, 20, 30, 40]).median).toBe(25)
  })

  test('latency percentiles keep sub-millisecond resolution', () => {
    const p = latencyPercentiles(Array.from({ length: 1000 }, (_, i) => 0.2 + i * 0.0001))
    expect(p.p50Ms).toBeGreaterThan(0.2)
    expect(p.p50Ms).toBeLessThan(0.3)
  })

  test('a stall counts once per missing request (coordinated omission), not once', () => {
    const steady = Array.from({ length: 990 }, () => 1)
    const stalled = [...steady, 500]
    const raw = latencyPercentiles(stalled, false)
    const corrected = latencyPercentiles(stalled)
    // One 500 ms answer among 991: raw p99 does not see it …
    expect(raw.p99Ms).toBeLessThan(2)
    // … but in a closed loop that connection would have sent ~500 requests meanwhile.
    expect(corrected.p99Ms).toBeGreaterThan(100)
    expect(corrected.p99RawMs).toBe(raw.p99Ms)
    expect(corrected.corrected).toBe(true)
  })

  test('generator-bound: the generator saturated while the server had room', () => {
    expect(isGeneratorBound({ generatorCpu: 97, serverCpu: 45 }, 1)).toBe(true)
    expect(isGeneratorBound({ generatorCpu: 97, serverCpu: 99 }, 1)).toBe(false)
    expect(isGeneratorBound({ generatorCpu: 97, serverCpu: 120 }, 2)).toBe(true)
    // Neither saturated, but the server idles while the generator works harder: the generator's latency is the limit.
    expect(isGeneratorBound({ generatorCpu: 65, serverCpu: 55 }, 1)).toBe(true)
    // An awaited sleep: both idle, the route itself is the limit.
    expect(isGeneratorBound({ generatorCpu: 3, serverCpu: 22 }, 2)).toBe(false)
  })
})

function mode(rps: number, busiestShare?: number): ModeMeasurement {
  const s = spreadOf([rps])
  return {
    label: 'x', generator: 'autocannon', url: 'http://127.0.0.1/compute', rps: s, p50Ms: s, p90Ms: s, p99Ms: s, p99RawMs: s, latencyCorrected: true,
    generatorCpuPercent: spreadOf([5]), serverCpuPercent: spreadOf([95]), errors: 0, non2xx: 0, requests: 100, generatorBoundRuns: 0, runs: 1,
    ...(busiestShare !== undefined && { workerSpread: [{ requestsByWorker: {}, busiestShare }] }),
  }
}

describe('worker scaling', () => {
  test('speedup against the fewest workers, efficiency per worker', () => {
    const s = scalingOf('workers-cpu', 'cpu', '/compute', 2, [
      { workers: 2, measurement: mode(1800, 0.5) }, { workers: 1, measurement: mode(1000) }, { workers: 4, measurement: mode(2000, 0.3) },
    ])
    expect(s.points.map((p) => p.workers)).toEqual([1, 2, 4])
    expect(s.points.map((p) => p.speedup)).toEqual([1, 1.8, 2])
    expect(s.points.map((p) => p.efficiency)).toEqual([1, 0.9, 0.5])
    expect(s.caveats.join('\n')).toContain('the server had 2 cores')
  })

  test('accept imbalance is named, with what the uneven runs reached against the even ones', () => {
    const s = scalingOf('workers-cpu', 'cpu', '/compute', 4, [{ workers: 1, measurement: mode(1000) }, { workers: 2, measurement: mode(1000, 0.98) }])
    expect(s.caveats).toEqual(['2 workers: in 1 of 1 runs one worker answered over 1.5× its share (accept imbalance)'])
    const bimodal: ModeMeasurement = {
      ...mode(1031), rps: spreadOf([1784, 992, 1031]),
      workerSpread: [0.57, 1, 1].map((busiestShare) => ({ requestsByWorker: {}, busiestShare })),
    }
    expect(scalingOf('workers-cpu', 'cpu', '/compute', 2, [{ workers: 1, measurement: mode(1000) }, { workers: 2, measurement: bimodal }]).caveats)
      .toContain('2 workers: in 2 of 3 runs one worker answered over 1.5× its share (accept imbalance): those reached 992–1031 req/s, the evenly spread ones 1784')
  })
})
