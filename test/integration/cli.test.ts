import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { parseJsonReport } from '../../reports/json-report.ts'
import { referenceProfile } from '../../targets/nginx-fastapi/profile.ts'
import { runCli } from '../support/cli.ts'
import { useStack } from '../support/reference-stack.ts'

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
    writeFileSync(profileFile, JSON.stringify({ ...referenceProfile(stack), baseUrl: stack.httpsUrl, tls: { caFile: stack.caFile } }))
    const reportDir = join(dir, 'report')
    const result = await runCli(['run', '--config', profileFile, '--report-dir', reportDir], { env })
    expect(result.code, result.stdout).toBe(0)
    expect(readdirSync(reportDir).sort()).toEqual(['junit.xml', 'report.html', 'report.json', 'summary.md'])

    const report = parseJsonReport(readFileSync(join(reportDir, 'report.json'), 'utf8'))
    expect(report.checks.length).toBeGreaterThanOrEqual(15)
    expect(report.checks.filter((c) => c.verdict !== 'pass').map((c) => c.id)).toEqual([])
    for (const check of report.checks) {
      expect(check.evidence.length).toBeGreaterThan(0)
      expect(check.step <= 3 ? ['client'] : ['proxy', 'app']).toContain(check.answeredBy?.tier)
    }

    const written = [...filesUnder(reportDir), ...filesUnder(join(stack.dir, 'logs'))]
    for (const file of written) {
      const text = readFileSync(file, 'utf8')
      expect(text.includes(env.LAYERCHECK_TOKEN!), `${file} holds the user token`).toBe(false)
      expect(text.includes(env.LAYERCHECK_ADMIN_TOKEN!), `${file} holds the admin token`).toBe(false)
    }
  })

  test('a failing check exits 1, and --fail-on error ignores a failing warning', async () => {
    const { stack, env } = target()
    const dir = scratch()
    const profileFile = join(dir, 'profile.json')
    // Documenting 415 where the app answers 422 (an error-severity check) and a
    // hex32 request ID where it makes UUIDs (a warning-severity check). No
    // faults section: the fault checks are not what these runs are about.
    const { faults: _faults, ...profile } = referenceProfile(stack)
    writeFileSync(profileFile, JSON.stringify({ ...profile, contentType: { mismatchStatus: 415 } }))
    const failing = await runCli(['run', '--config', profileFile, '--report-dir', join(dir, 'a')], { env })
    expect(failing.code).toBe(1)
    expect(failing.stdout).toContain('✗ validation.content-type.mismatch')

    writeFileSync(profileFile, JSON.stringify({ ...profile, requestId: { ...profile.requestId, generated: 'hex32' } }))
    expect((await runCli(['run', '--config', profileFile, '--report-dir', join(dir, 'b')], { env })).code).toBe(1)
    expect((await runCli(['run', '--config', profileFile, '--report-dir', join(dir, 'c'), '--fail-on', 'error'], { env })).code).toBe(0)
  }, 180_000) // three whole runs of the suites
})
