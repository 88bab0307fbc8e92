import { spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { parseJsonReport } from '../../reports/json-report.ts'
import { referenceProfile } from '../../targets/nginx-fastapi/profile.ts'
import { runCli } from '../support/cli.ts'
import { useStack } from '../support/reference-stack.ts'

/** A whole run of the suites: its own process group, so a timeout stops every process of it, not just the launcher. */
const WHOLE_RUN = { ownGroup: true, timeoutMs: 170_000 }

const VALID_BODY_PASSWORD = 'pw-cli-run-5e81c0d2'

const scratch = () => mkdtempSync(join(tmpdir(), 'layercheck-cli-'))

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name))
}

describe('layercheck run: exit codes for what went wrong', () => {
  test('TCP refused: exit 3, says TCP, no HTTP, no stack trace', async () => {
    const result = await runCli(['run', '--target', 'http://127.0.0.1:1', '--report-dir', scratch()])
    expect(result.code).toBe(3)
    expect(result.stdout).toContain('step 2 · TCP connection')
    expect(result.stdout).toContain('connection refused')
    expect(result.stdout + result.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/)
  })

  test('DNS: exit 3, says DNS', async () => {
    const result = await runCli(['run', '--target', 'http://no-such-host.invalid', '--report-dir', scratch()])
    expect(result.code).toBe(3)
    expect(result.stdout).toContain('step 1 · DNS resolution')
  })

  test('a bad profile: exit 2, one line per problem naming the key', async () => {
    const dir = scratch()
    const file = join(dir, 'bad.json')
    writeFileSync(file, JSON.stringify({ baseUrll: 'http://x', limits: { maxBodyBytes: 'big' } }))
    const result = await runCli(['run', '--config', file])
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('  - limits.maxBodyBytes: expected number, got the string "big"')
    expect(result.stderr).toContain('  - unknown key "baseUrll": remove it or check the spelling')
    expect(result.stderr).toContain('  - baseUrl: required (expected string)')
    expect(result.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/)
  })

  test('an unreadable profile and bad usage: exit 2', async () => {
    expect((await runCli(['run', '--config', '/no/such/profile.json'])).code).toBe(2)
    expect((await runCli(['run', '--target', 'not a url'])).code).toBe(2)
    expect((await runCli(['run', '--fail-on', 'catastrophic'])).code).toBe(2)
    expect((await runCli(['frobnicate'])).code).toBe(2)
  })
})

describe('layercheck run against a running reference stack', () => {
  const target = useStack()

  test('TLS without the CA: exit 3, says TLS', async () => {
    const result = await runCli(['run', '--target', target().stack.httpsUrl, '--report-dir', scratch()])
    expect(result.code).toBe(3)
    expect(result.stdout).toContain('step 3 · TLS handshake')
  })

  test('all checks pass, over HTTPS with the CA too; reports written; no secret in any report or log', async () => {
    const { stack, env } = target()
    const dir = scratch()
    const profileFile = join(dir, 'profile.json')
    // A login-style JSON endpoint: a password among the valid body's fields (the app ignores it).
    const profile = referenceProfile(stack)
    const jsonEndpoint = { ...profile.probes!.jsonEndpoint!, validBody: { ...profile.probes!.jsonEndpoint!.validBody, password: VALID_BODY_PASSWORD } }
    writeFileSync(profileFile, JSON.stringify({ ...profile, probes: { ...profile.probes, jsonEndpoint }, baseUrl: stack.httpsUrl, tls: { caFile: stack.caFile } }))
    const reportDir = join(dir, 'report')
    const result = await runCli(['run', '--config', profileFile, '--report-dir', reportDir], { env, ...WHOLE_RUN })
    expect(result.code, result.stdout).toBe(0)
    expect(readdirSync(reportDir).sort()).toEqual(['junit.xml', 'report.html', 'report.json', 'summary.md'])

    const report = parseJsonReport(readFileSync(join(reportDir, 'report.json'), 'utf8'))
    expect(report.checks.length).toBeGreaterThanOrEqual(15)
    expect(report.checks.filter((c) => c.verdict !== 'pass').map((c) => c.id)).toEqual([])
    for (const check of report.checks) {
      expect(check.evidence.length).toBeGreaterThan(0)
      expect(check.step <= 3 ? ['client'] : ['proxy', 'app']).toContain(check.answeredBy?.tier)
    }

    // What a user would run over every output of the run: grep exits 1 when nothing matches.
    expect(filesUnder(reportDir).length).toBeGreaterThanOrEqual(4)
    for (const secret of [env.LAYERCHECK_TOKEN!, env.LAYERCHECK_ADMIN_TOKEN!, VALID_BODY_PASSWORD]) {
      const grep = spawnSync('grep', ['-rF', '-l', '--', secret, reportDir, join(stack.dir, 'logs')], { encoding: 'utf8' })
      expect(grep.status, `files holding a secret:\n${grep.stdout}`).toBe(1)
    }
    expect(result.stdout + result.stderr).not.toContain(VALID_BODY_PASSWORD)
  }, 180_000) // one whole run, the fault checks' documented waits included

  test('a failing check exits 1, and --fail-on error ignores a failing warning', async () => {
    const { stack, env } = target()
    const dir = scratch()
    const profileFile = join(dir, 'profile.json')
    // Documenting 415 where the app answers 422 (an error-severity check) and a
    // hex32 request ID where it makes UUIDs (a warning-severity check). No
    // faults, upstream timings or slow and crash routes: those checks are not
    // what these runs are about.
    const { faults: _faults, upstream: _upstream, ...profile } = { ...referenceProfile(stack), routes: { openapi: '/openapi.json' } }
    writeFileSync(profileFile, JSON.stringify({ ...profile, contentType: { mismatchStatus: 415 } }))
    const failing = await runCli(['run', '--config', profileFile, '--report-dir', join(dir, 'a')], { env, ...WHOLE_RUN })
    expect(failing.code).toBe(1)
    expect(failing.stdout).toContain('✗ validation.content-type.mismatch')

    writeFileSync(profileFile, JSON.stringify({ ...profile, requestId: { ...profile.requestId, generated: 'hex32' } }))
    expect((await runCli(['run', '--config', profileFile, '--report-dir', join(dir, 'b')], { env, ...WHOLE_RUN })).code).toBe(1)
    expect((await runCli(['run', '--config', profileFile, '--report-dir', join(dir, 'c'), '--fail-on', 'error'], { env, ...WHOLE_RUN })).code).toBe(0)
  }, 300_000) // three whole runs of the suites
})
