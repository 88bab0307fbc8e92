import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test } from 'vitest'
import { parseJsonReport } from '../../reports/json-report.ts'
import { referenceProfile } from '../../targets/nginx-fastapi/profile.ts'
import { runCli } from '../support/cli.ts'
import { runCheck } from '../../harness/check/run-check.ts'
import { withCaseFlags } from '../../harness/openapi/case-selection.ts'
import { findCheck } from '../../suites/all-checks.ts'
import { useStack } from '../support/reference-stack.ts'

// The generated cases on the compliant reference stack: the same seed sends the
// same cases with the same verdicts, another seed passes too, and one case can
// be replayed alone by its id.

const target = useStack()
const check = findCheck('validation.schema.every-operation')

test('the same seed, the same cases and verdicts; another seed, the same coverage; a case replayed alone', async () => {
  const { profile, client, env } = target()
  const first = await runCheck(check, { profile, client, env })
  const again = await runCheck(check, { profile, client, env })
  expect(first.verdict, `${first.actual}\n${first.diagnosis ?? ''}`).toBe('pass')
  expect([again.verdict, again.actual, again.measurements]).toEqual([first.verdict, first.actual, first.measurements])
  expect(first.measurements).toMatchObject({ seed: 1, failingProbes: 0 })
  expect(first.measurements!.cases).toBeGreaterThanOrEqual(20)

  const seeded = await runCheck(check, { profile: withCaseFlags(profile, { seed: 2 }), client, env })
  expect(seeded.verdict, seeded.actual).toBe('pass')
  expect(seeded.measurements).toMatchObject({ seed: 2, cases: first.measurements!.cases })

  const id = 'POST /items body.name maxLength+1'
  const replayed = await runCheck(check, { profile: withCaseFlags(profile, { case: [id] }), client, env })
  expect(replayed.verdict, replayed.actual).toBe('pass')
  expect(replayed.measurements).toMatchObject({ cases: 1, operations: 1 })
  expect(replayed.evidence.map((e) => e.label)).toEqual([id])

  const typo = await runCheck(check, { profile: withCaseFlags(profile, { case: ['POST /items body.name maxLenght+1'] }), client, env })
  expect(typo.verdict).toBe('not-applicable')
  expect(typo.reason).toContain(`did you mean "${id}"`)
})

test('from the command line: --case replays one case with --seed, and an id no case has is bad usage (exit 2) naming the nearest', { timeout: 120_000 }, async () => {
  const { stack, env } = target()
  const dir = mkdtempSync(join(tmpdir(), 'layercheck-cases-'))
  try {
    const { faults: _faults, ...profile } = referenceProfile(stack)
    const profileFile = join(dir, 'profile.json')
    writeFileSync(profileFile, JSON.stringify(profile))
    const id = 'POST /items body.name maxLength+1'
    const replay = await runCli(['run', '--config', profileFile, '--case', id, '--seed', '3', '--report-dir', join(dir, 'replay')], { env, timeoutMs: 90_000 })
    expect(replay.code, replay.stdout + replay.stderr).toBe(0)
    const report = parseJsonReport(readFileSync(join(dir, 'replay', 'report.json'), 'utf8'))
    expect(report.checks.map((c) => c.id).sort()).toEqual(['validation.schema.documented-statuses', 'validation.schema.every-operation'])
    const every = report.checks.find((c) => c.id === 'validation.schema.every-operation')!
    expect(every.measurements).toMatchObject({ cases: 1, seed: 3 })
    expect(every.evidence.map((e) => e.label)).toEqual([id])

    const typo = await runCli(['run', '--config', profileFile, '--case', 'POST /items body.name maxLenght+1', '--report-dir', join(dir, 'typo')], { env, timeoutMs: 90_000 })
    expect(typo.code, typo.stdout + typo.stderr).toBe(2)
    expect(typo.stdout + typo.stderr).toContain(`did you mean "${id}"`)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})
