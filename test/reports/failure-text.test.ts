import { describe, expect, test } from 'vitest'
import type { CheckResult } from '../../harness/model/check-result.ts'
import { renderFailureBlock } from '../../harness/model/failure-text.ts'
import { sampleReport } from './fixtures/sample-report.ts'
import { expectGolden } from './golden.ts'

const check = (id: string): CheckResult => {
  const found = sampleReport().checks.find((c) => c.id === id)
  if (!found) throw new Error(`fixture has no check ${id}`)
  return found
}

describe('renderFailureBlock', () => {
  test('one layout for every verdict', async () => {
    const blocks = ['proxy.body-size.413', 'faults.upstream-down.502', 'middleware.rate-limit.429', 'routing.unknown-path.404']
      .map((id) => renderFailureBlock(check(id)))
    await expectGolden('failure-blocks.txt', blocks.join('\n\n') + '\n')
  })

  test('"sent" is the method, path and query, and the body length', () => {
    expect(renderFailureBlock(check('proxy.body-size.413')))
      .toContain('    sent:     POST /items?source=layercheck  Content-Length: 1048577\n')
  })

  test('lines whose data is missing are left out', () => {
    const bare: CheckResult = { ...check('proxy.body-size.413'), answeredBy: undefined, diagnosis: undefined, evidence: [] }
    expect(renderFailureBlock(bare).split('\n').map((line) => line.trim().split(':')[0])).toEqual([
      expect.stringMatching(/^✗ proxy\.body-size\.413 /),
      'expected',
      'actual',
    ])
  })

  test('terminal control characters from the target are dropped', () => {
    const text = renderFailureBlock({ ...check('proxy.body-size.413'), actual: 'red\u001b[31m\u0007 bell\r\nnext' })
    expect(text).toContain('actual:   red[31m bell\n              next')
    expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/)
  })
})
