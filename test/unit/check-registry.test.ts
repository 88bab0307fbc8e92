import { readdir, readFile } from 'node:fs/promises'
import { join, relative } from 'node:path'
import { describe, expect, test } from 'vitest'
import type { CheckDefinition } from '../../harness/check/define-check.ts'
import { ALL_CHECKS, checkIdProblems, CONFORMANCE_REGIONS, DISRUPTIVE_CHECK_IDS, RENAMED_CHECKS, REGIONS, regionOf, type Region, type RegionEntry } from '../../suites/all-checks.ts'

// The registry in suites/all-checks.ts is the one list of checks: every check a
// suite module defines is in it once, each region's test file registers its
// region from it, and a check's id starts with its region.

const SUITES = new URL('../../suites/', import.meta.url).pathname

async function suiteFiles(dir = SUITES): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true })
  const nested = await Promise.all(entries.map((e) => (e.isDirectory() ? suiteFiles(join(dir, e.name)) : Promise.resolve(e.name.endsWith('.ts') ? [join(dir, e.name)] : []))))
  return nested.flat()
}

const isCheck = (value: unknown): value is CheckDefinition =>
  typeof value === 'object' && value !== null && typeof (value as CheckDefinition).id === 'string' && typeof (value as CheckDefinition).run === 'function'

describe('the check registry', () => {
  test('every check a suite module exports is registered, exactly once', async () => {
    const defined = new Map<string, string>()
    for (const file of (await suiteFiles()).filter((f) => !f.endsWith('.test.ts'))) {
      const module = await import(file) as Record<string, unknown>
      for (const value of Object.values(module)) {
        for (const check of Array.isArray(value) ? value : [value]) if (isCheck(check)) defined.set(check.id, relative(SUITES, file))
      }
    }
    const registered = ALL_CHECKS.map((c) => c.id)
    expect(new Set(registered).size).toBe(registered.length)
    expect([...defined.keys()].filter((id) => !registered.includes(id))).toEqual([])
    expect(registered.filter((id) => !defined.has(id))).toEqual([])
  })

  test('a check id starts with its region, and the faults region is the disruptive one', () => {
    for (const check of ALL_CHECKS) expect(check.id.startsWith(`${regionOf(check)}.`), check.id).toBe(true)
    expect([...DISRUPTIVE_CHECK_IDS].sort()).toEqual(REGIONS.faults.checks.map((c) => c.id).sort())
  })

  test('one test file registers every region that may run side by side, and each disruptive region has its own', async () => {
    // suites/custom/ holds no check of ours: it registers the profile's own (checks.include).
    const testFiles = (await suiteFiles()).filter((f) => f.endsWith('.test.ts') && !f.startsWith(join(SUITES, 'custom')))
    const registers = new Map<string, string>()
    for (const file of testFiles) {
      const text = await readFile(file, 'utf8')
      expect(text, `${relative(SUITES, file)} lists checks by hand`).not.toMatch(/describeChecks\(/)
      for (const [, region] of text.matchAll(/describeRegion\('([a-z-]+)'\)/g)) registers.set(region!, relative(SUITES, file))
      // suites/conformance.test.ts: one scheduler sees all their checks (harness/check/check-scheduler.ts).
      if (/for \(const region of CONFORMANCE_REGIONS\) describeRegion\(region\)/.test(text)) {
        for (const region of CONFORMANCE_REGIONS) registers.set(region, relative(SUITES, file))
      }
    }
    expect([...registers.keys()].sort()).toEqual((Object.keys(REGIONS) as Region[]).sort())
    for (const region of Object.keys(REGIONS) as Region[]) {
      expect(registers.get(region), region).toBe((REGIONS[region] as RegionEntry).disruptive ? `${region}/${region}.test.ts` : 'conformance.test.ts')
    }
  })

  test('lifecycle order: ALL_CHECKS never goes back a step', () => {
    const steps = ALL_CHECKS.map((c) => c.step)
    expect(steps).toEqual([...steps].sort((a, b) => a - b))
  })

  test('a profile naming an unknown or renamed check id is told so, not silently ignored', () => {
    expect(checkIdProblems(['routing.unknown-path.404'])).toEqual([])
    expect(checkIdProblems(['request-id.echoed', 'routing.unknwon-path.404'])).toEqual([
      'checks.request-id.echoed: this check is now called "middleware.request-id.echoed"',
      'checks.routing.unknwon-path.404: no such check; did you mean "routing.unknown-path.404"? (`layercheck list` shows every id)',
    ])
    expect(checkIdProblems(['rate-limit.429'])).toEqual(['checks.rate-limit.429: no such check; did you mean "middleware.rate-limit.429"? (`layercheck list` shows every id)'])
    expect(checkIdProblems(['something-else'])).toEqual(['checks.something-else: no such check (`layercheck list` shows every id)'])
    const ids = new Set(ALL_CHECKS.map((c) => c.id))
    for (const renamed of Object.values(RENAMED_CHECKS)) expect(ids.has(renamed), renamed).toBe(true)
  })
})
