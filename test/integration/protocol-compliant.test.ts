import { describe, expect, test } from 'vitest'
import { runCheck } from '../../harness/check/run-check.ts'
import type { CheckResult } from '../../harness/model/check-result.ts'
import { renderJsonReport } from '../../reports/json-report.ts'
import { PROTOCOL_CHECKS } from '../../suites/protocol/protocol-checks.ts'
import { useStack } from '../support/reference-stack.ts'

// The protocol suite on the compliant stack (nginx 1.22 in front): every probe
// passes, each carries its RFC requirement level, nginx itself refuses what it
// cannot parse, and the whole suite takes seconds.
describe('the protocol suite on the compliant reference stack', () => {
  const target = useStack()

  test('every probe passes, within seconds, with its requirement level and the layer that answered', async () => {
    const { profile, client, env } = target()
    const started = performance.now()
    const results: CheckResult[] = await Promise.all(PROTOCOL_CHECKS.map((check) => runCheck(check, { profile, client, env })))
    const wallMs = performance.now() - started

    for (const result of results) expect(result.verdict, `${result.id}: ${result.actual}\n${result.diagnosis ?? ''}`).toBe('pass')
    // The slow-client probes wait for nginx's 2 s client timeouts; everything else runs alongside.
    expect(wallMs).toBeLessThan(6000)

    const probes = results.flatMap((r) => r.evidence)
    expect(probes.length).toBeGreaterThanOrEqual(40)
    expect(new Set(probes.map((e) => e.label)).size).toBe(probes.length)
    for (const probe of probes) expect(probe.raw?.requirement, probe.label).toMatch(/^(MUST|SHOULD|MAY)$/)

    // What nginx refuses, nginx answers: its own error page, named nginx.
    const refusals = probes.filter((e) => e.response && e.response.status >= 400 && e.response.status !== 405)
    expect(refusals.length).toBeGreaterThan(30)
    for (const refusal of refusals) expect(refusal.answeredBy, refusal.label).toMatchObject({ tier: 'proxy', product: 'nginx' })

    // The report keeps the new fields.
    const json = JSON.parse(renderJsonReport({
      schemaVersion: 1, tool: { name: 'layercheck', version: 'test' }, target: { baseUrl: profile.baseUrl, name: 'test' },
      startedAt: new Date().toISOString(), durationMs: 0, summary: { pass: results.length, fail: 0, 'not-applicable': 0, error: 0, total: results.length },
      checks: results,
    }))
    expect(json.checks[0].requirement).toMatch(/^(MUST|SHOULD|MAY)$/)
    expect(json.checks[0].evidence[0].raw).toMatchObject({ sent: expect.any(String), requirement: expect.any(String), end: expect.any(String) })
  })
})
