import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { parseJsonReport } from '../../reports/json-report.ts'
import { referenceProfile } from '../../targets/nginx-fastapi/profile.ts'
import { PROJECT_ROOT } from '../../harness/paths.ts'
import { runCli } from '../support/cli.ts'
import { schemaErrors } from '../support/json-schema-check.ts'
import { useStack } from '../support/reference-stack.ts'

/** A whole run of the suites: its own process group, so a timeout stops every process of it, not just the launcher. */
const WHOLE_RUN = { ownGroup: true, timeoutMs: 170_000 }

const VALID_BODY_PASSWORD = 'pw-cli-run-5e81c0d2'

const REPORT_SCHEMA = JSON.parse(readFileSync(join(PROJECT_ROOT, 'schemas/report.schema.json'), 'utf8')) as Record<string, unknown>

const scratch = () => mkdtempSync(join(tmpdir(), 'layercheck-cli-'))

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name))
}

/** The reports an unreachable run leaves: every file, report.json valid, and what failed in each format. */
function unreachableReports(reportDir: string) {
  expect(readdirSync(reportDir).sort()).toEqual(['junit.xml', 'report.html', 'report.json', 'summary.md'])
  const text = readFileSync(join(reportDir, 'report.json'), 'utf8')
  const report = parseJsonReport(text)
  expect(schemaErrors(JSON.parse(text), REPORT_SCHEMA)).toEqual([])
  // Beyond the connection checks nothing ran, and each says so.
  const others = report.checks.filter((c) => c.layer !== 'connection')
  expect(others.length).toBeGreaterThan(20)
  for (const check of others) expect(check).toMatchObject({ verdict: 'not-applicable', reason: expect.stringMatching(/^not run: the target gave no HTTP answer/) })
  return {
    failing: report.checks.filter((c) => c.verdict === 'fail').map((c) => c.id),
    tcp: report.checks.find((c) => c.id === 'connection.tcp.connects'),
    junit: readFileSync(join(reportDir, 'junit.xml'), 'utf8'),
    summary: readFileSync(join(reportDir, 'summary.md'), 'utf8'),
  }
}

describe('layercheck run: exit codes for what went wrong', () => {
  test('TCP refused: exit 3, says TCP, no HTTP, no stack trace; every report written, naming the failure', async () => {
    const reportDir = scratch()
    const result = await runCli(['run', '--target', 'http://127.0.0.1:1', '--report-dir', reportDir])
    expect(result.code).toBe(3)
    expect(result.stdout).toContain('step 2 · TCP connection')
    expect(result.stdout).toContain('connection refused')
    expect(result.stdout + result.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/)
    const reports = unreachableReports(reportDir)
    expect(reports.failing).toEqual(['connection.tcp.connects'])
    expect(reports.tcp).toMatchObject({ actual: 'baseUrl: 127.0.0.1:1: refused (ECONNREFUSED)', answeredBy: { tier: 'client', step: 2 } })
    expect(reports.junit).toMatch(/<testcase classname="layercheck\.connection" name="connection\.tcp\.connects — [^"]*"[^>]*>\s*<failure message="expected baseUrl: a TCP connection to 127\.0\.0\.1:1 opens within 3000 ms, got baseUrl: 127\.0\.0\.1:1: refused \(ECONNREFUSED\)"/)
    expect(reports.summary).toContain('## layercheck: FAIL')
    expect(reports.summary).toContain('TCP (step 2): 127.0.0.1:1 refused the connection (ECONNREFUSED)')
  })

  test('DNS: exit 3, says DNS; every report written, naming the failure', async () => {
    const reportDir = scratch()
    const result = await runCli(['run', '--target', 'http://no-such-host.invalid', '--report-dir', reportDir])
    expect(result.code).toBe(3)
    expect(result.stdout).toContain('step 1 · DNS resolution')
    const reports = unreachableReports(reportDir)
    expect(reports.failing).toContain('connection.dns.resolves')
    expect(reports.junit).toMatch(/<testcase classname="layercheck\.connection" name="connection\.dns\.resolves — [^"]*"[^>]*>\s*<failure message="[^"]*no-such-host\.invalid[^"]*ENOTFOUND/)
    expect(reports.summary).toMatch(/`connection\.dns\.resolves` .*client \(step 1 · DNS resolution\)/)
  })

  test('colour: NO_COLOR=1 and FORCE_COLOR=0 leave none on a terminal (a pty); FORCE_COLOR=1 colours a pipe', async () => {
    // util-linux `script` gives the run a pseudo-terminal, as a user's shell would.
    const onTerminal = (env: NodeJS.ProcessEnv) => {
      const { FORCE_COLOR: _force, NO_COLOR: _no, ...rest } = process.env
      const command = `${JSON.stringify(process.execPath)} bin/layercheck.js run --target http://127.0.0.1:1 --report-dir ${JSON.stringify(scratch())}`
      return spawnSync('script', ['-qec', command, '/dev/null'], { cwd: PROJECT_ROOT, env: { ...rest, ...env }, encoding: 'utf8' }).stdout
    }
    const ansi = /\x1b\[\d+m/
    expect(onTerminal({})).toMatch(ansi)
    expect(onTerminal({})).toContain('target unreachable')
    expect(onTerminal({ NO_COLOR: '1' })).not.toMatch(ansi)
    expect(onTerminal({ NO_COLOR: '1' })).toContain('target unreachable')
    expect(onTerminal({ FORCE_COLOR: '0' })).not.toMatch(ansi)
    const piped = await runCli(['run', '--target', 'http://127.0.0.1:1', '--report-dir', scratch()], { env: { FORCE_COLOR: '1' } })
    expect(piped.stdout).toMatch(ansi)
    expect((await runCli(['run', '--target', 'http://127.0.0.1:1', '--report-dir', scratch()])).stdout).not.toMatch(ansi)
  })

  test('no --config or --target: the layercheck.config.* of the working directory is used, and named', async () => {
    const dir = scratch()
    writeFileSync(join(dir, 'layercheck.config.json'), JSON.stringify({ baseUrl: 'http://127.0.0.1:1', name: 'from-json' }))
    const json = await runCli(['run'], { cwd: dir })
    expect(json.code, json.stderr).toBe(3)
    expect(json.stdout).toContain('profile: ./layercheck.config.json (found in the working directory')
    expect(json.stdout).toContain('target: from-json  http://127.0.0.1:1')
    expect(json.stdout).not.toContain('embedded reference stack')
    // Reports go to the default --report-dir, under the working directory.
    expect(readdirSync(join(dir, 'layercheck-report')).sort()).toEqual(['junit.xml', 'report.html', 'report.json', 'summary.md'])

    // A .ts profile comes before a .json one; the other is named as not used.
    writeFileSync(join(dir, 'layercheck.config.ts'), "export default { baseUrl: 'http://127.0.0.1:2', name: 'from-ts' }\n")
    const ts = await runCli(['run', '--dry-run'], { cwd: dir })
    expect(ts.code, ts.stderr).toBe(0)
    expect(ts.stdout).toContain('profile: ./layercheck.config.ts (found in the working directory')
    expect(ts.stdout).toContain('also here, not used: ./layercheck.config.json')
    expect(ts.stdout).toContain('dry run: nothing is sent to http://127.0.0.1:2')

    // Only the working directory: a profile in the parent is not picked up.
    const child = join(dir, 'service')
    mkdirSync(child)
    const below = await runCli(['run', '--dry-run'], { cwd: child })
    expect(below.code).toBe(2)
    expect(below.stderr).toContain('--dry-run needs --config or --target')
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

describe('layercheck run --only: the workers run the selected checks alone', () => {
  let server: Server
  beforeAll(async () => {
    // Any HTTP server will do: the run's verdicts are not the point, which checks ran is.
    server = createServer((req, res) => {
      res.statusCode = req.url === '/' ? 200 : 404
      res.end(req.url === '/' ? 'ok' : 'not found')
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  })
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

  test('a real run with --only reports exactly the selected checks', async () => {
    const reportDir = scratch()
    const target = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    const result = await runCli(['run', '--target', target, '--only', 'routing.unknown-path.*,connection.tcp.connects', '--report-dir', reportDir], WHOLE_RUN)
    expect([0, 1], result.stdout + result.stderr).toContain(result.code)
    const report = parseJsonReport(readFileSync(join(reportDir, 'report.json'), 'utf8'))
    expect(report.checks.map((c) => c.id)).toEqual(['connection.tcp.connects', 'routing.unknown-path.404'])
    expect(report.checks[0]!.verdict).toBe('pass')
  }, 120_000)
})

describe('layercheck run against a running reference stack', () => {
  const target = useStack()

  test('TLS without the CA: exit 3, says TLS; the reports name the TLS check that failed', async () => {
    const reportDir = scratch()
    const result = await runCli(['run', '--target', target().stack.httpsUrl, '--report-dir', reportDir])
    expect(result.code).toBe(3)
    expect(result.stdout).toContain('step 3 · TLS handshake')
    const reports = unreachableReports(reportDir)
    expect(reports.failing).toContain('connection.tls.certificate-valid')
    expect(reports.failing).not.toContain('connection.tcp.connects')
    expect(reports.summary).toMatch(/`connection\.tls\.certificate-valid` .*client \(step 3 · TLS handshake\)/)
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

    const text = readFileSync(join(reportDir, 'report.json'), 'utf8')
    const report = parseJsonReport(text)
    // Every kind of evidence (TLS handshakes, raw probes, attribution) within the published contract.
    expect(schemaErrors(JSON.parse(text), REPORT_SCHEMA)).toEqual([])
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
