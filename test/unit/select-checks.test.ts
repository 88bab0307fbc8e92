import { describe, expect, test } from 'vitest'
import { selectChecks } from '../../bin/run/select-checks.ts'
import { UsageError } from '../../bin/usage-error.ts'
import { ALL_CHECKS } from '../../suites/all-checks.ts'

const ids = (only: string) => selectChecks(only).checks.map((c) => c.id)

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
