import { describe, expect, test } from 'vitest'
import { renderTerminalSummary } from '../../reports/terminal-summary.ts'
import { sampleReport } from './fixtures/sample-report.ts'
import { expectGolden } from './golden.ts'

const ANSI = /\u001b\[/

describe('renderTerminalSummary', () => {
  test('matches the golden file without colour', async () => {
    const text = renderTerminalSummary(sampleReport(), { color: false })
    expect(text).not.toMatch(ANSI)
    await expectGolden('terminal-summary.txt', text)
  })

  test('colours only when asked, and the text is otherwise the same', () => {
    const plain = renderTerminalSummary(sampleReport(), { color: false })
    const coloured = renderTerminalSummary(sampleReport(), { color: true })
    expect(coloured).toMatch(ANSI)
    expect(coloured.replace(/\u001b\[[0-9;]*m/g, '')).toBe(plain)
  })

  test('ends with the totals and the overall verdict', () => {
    const lines = renderTerminalSummary(sampleReport(), { color: false }).trimEnd().split('\n')
    expect(lines.slice(-2)).toEqual([
      'checks: 6 passed, 1 failed, 1 not applicable, 1 error (3.2 s)',
      'verdict: FAIL',
    ])
  })
})
