import { describe, expect, test } from 'vitest'
import { selectChecks as select } from '../../bin/run/select-checks.ts'
import type { CheckUniverse } from '../../bin/run/check-universe.ts'
import { UsageError } from '../../bin/usage-error.ts'
import { ALL_CHECKS } from '../../suites/all-checks.ts'

const selectChecks = (only: string, exclude?: string, universe?: CheckUniverse) => select({ only, exclude }, universe)!
const ids = (only: string, exclude?: string) => selectChecks(only, exclude).checks.map((c) => c.id)

describe('--only patterns', () => {
  test('an exact id, a glob (* any run of characters, dots included; ? one character)', () => {
    expect(ids('routing.unknown-path.404')).toEqual(['routing.unknown-path.404'])
    expect(ids('*.413')).toEqual(ALL_CHECKS.filter((c) => c.id.endsWith('.413')).map((c) => c.id))
    expect(ids('routing.unknown-path.40?')).toEqual(['routing.unknown-path.404'])
    // A dot is a dot, not any character.
    expect(() => selectChecks('routing.unknown-path-404')).toThrow(UsageError)
  })

  test('step:N, step:N-M and layer:NAME; several patterns select the union, in registry order', () => {
    expect(ids('step:2')).toEqual(['connection.tcp.connects'])
    expect(new Set(selectChecks('step:1-3').checks.map((c) => c.step))).toEqual(new Set([1, 2, 3]))
    expect(selectChecks('layer:validation').checks.every((c) => c.layer === 'validation')).toBe(true)
    const union = selectChecks('routing.unknown-path.404, step:2')
    expect(union.checks.map((c) => c.id)).toEqual(['connection.tcp.connects', 'routing.unknown-path.404'])
    expect(union.regions).toEqual(['connection', 'routing'])
  })

  test('bad patterns are usage errors that say what is wrong', () => {
    expect(() => selectChecks('')).toThrow('--only: give at least one pattern')
    expect(() => selectChecks('step:x')).toThrow('step:x: write step:N or step:N-M, e.g. step:6')
    expect(() => selectChecks('step:3-1')).toThrow('steps run from 1 (DNS) to 15 (handler)')
    expect(() => selectChecks('layer:routing')).toThrow('layer:routing: no such layer')
    expect(() => selectChecks('handler.unhandled')).toThrow(/no check matches; nearest: "handler\.unhandled-exception[^"]*"/)
  })
})

describe('--exclude', () => {
  test('drops what its patterns match, after --only; alone, from every check', () => {
    expect(ids('routing.*', 'routing.methods.*,routing.options*')).toEqual(['routing.unknown-path.404', 'routing.method-not-allowed.405-allow'])
    const rest = select({ exclude: 'layer:connection,faults.*' })!
    expect(rest.checks.length).toBe(ALL_CHECKS.filter((c) => c.layer !== 'connection' && !c.id.startsWith('faults.')).length)
    expect(rest.regions).not.toContain('connection')
    expect(rest.regions).not.toContain('faults')
    expect(rest.describe).toBe('--exclude layer:connection,faults.*')
  })

  test('a pattern that matches nothing, or a selection left empty, is a usage error', () => {
    expect(() => select({ exclude: 'proxy.bodysize.*' })).toThrow(/--exclude: proxy\.bodysize\.\*: no check matches; nearest: "proxy\.body-size/)
    expect(() => select({ only: 'step:2', exclude: 'layer:connection' })).toThrow('--only step:2 --exclude layer:connection: together they leave no check to run')
    expect(select({})).toBeUndefined()
  })

  test("the profile's own checks are selected like ours and run from suites/custom/", () => {
    const own = { id: 'orders.create.201', title: 'an order is created', step: 15, layer: 'handler', spec: 'our contract', severity: 'error', run: async () => { throw new Error('not run') } } as const
    const universe: CheckUniverse = { checks: [...ALL_CHECKS, own], user: [own], userFiles: ['/x/orders.ts'], regionOf: (c) => (c.id === own.id ? 'custom' : 'handler') }
    const picked = select({ only: 'orders.*,handler.unhandled-exception.500' }, universe)!
    expect(picked.checks.map((c) => c.id)).toEqual(['handler.unhandled-exception.500', 'orders.create.201'])
    expect(picked.regions).toEqual(['handler', 'custom'])
  })
})
