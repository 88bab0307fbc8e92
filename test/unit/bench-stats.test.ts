import { describe, expect, test } from 'vitest'
import { quantile, spreadOf } from '../../harness/bench/stats.ts'

describe('benchmark statistics', () => {
  test('median and spread of repeated runs', () => {
    expect(spreadOf([30, 10, 20])).toMatchObject({ median: 20, min: 10, max: 30, relativeSpread: 1 })
    expect(spreadOf([10, 20, 30, 40]).median).toBe(25)
  })

  test('nearest-rank quantiles', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1)
    expect(quantile(values, 0.5)).toBe(50)
    expect(quantile(values, 0.99)).toBe(99)
    expect(quantile([], 0.5)).toBeNaN()
  })
})
