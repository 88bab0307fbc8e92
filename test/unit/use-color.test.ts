import { describe, expect, test } from 'vitest'
import { useColor } from '../../bin/use-color.ts'

const on = (env: NodeJS.ProcessEnv, isTTY = true, flag = true) => useColor({ flag, isTTY, env })

describe('useColor: --no-color, NO_COLOR, FORCE_COLOR, then the terminal', () => {
  test('a terminal gets colour, a pipe does not', () => {
    expect(on({}, true)).toBe(true)
    expect(on({}, false)).toBe(false)
  })

  test('--no-color wins over everything', () => {
    expect(on({ FORCE_COLOR: '1' }, true, false)).toBe(false)
  })

  test('NO_COLOR with any non-empty value turns colour off on a terminal; empty is unset', () => {
    for (const value of ['1', 'true', '0', 'yes']) expect(on({ NO_COLOR: value }), value).toBe(false)
    expect(on({ NO_COLOR: '' })).toBe(true)
  })

  test('FORCE_COLOR=0 or false turns colour off on a terminal', () => {
    expect(on({ FORCE_COLOR: '0' })).toBe(false)
    expect(on({ FORCE_COLOR: 'false' })).toBe(false)
  })

  test('FORCE_COLOR=1/2/3 (or true, or empty) forces colour without a terminal', () => {
    for (const value of ['1', '2', '3', 'true', '']) expect(on({ FORCE_COLOR: value }, false), value).toBe(true)
  })

  test('NO_COLOR outranks FORCE_COLOR', () => {
    expect(on({ NO_COLOR: '1', FORCE_COLOR: '1' }, false)).toBe(false)
  })
})
