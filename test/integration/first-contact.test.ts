import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { findServedPath } from '../../bin/run/served-path.ts'
import { runCheck } from '../../harness/check/run-check.ts'
import { loadProfileFile, parseProfile } from '../../harness/profile/load-profile.ts'
import { clientForProfile } from '../../harness/target/client-for-profile.ts'
import { parseJsonReport } from '../../reports/json-report.ts'
import { findCheck } from '../../suites/all-checks.ts'
import { COMPLIANT_ALTERNATIVES, HEADER_VARIANTS } from '../../targets/nginx-fastapi/variants.ts'
import { runCli } from '../support/cli.ts'
import { useStack } from '../support/reference-stack.ts'

// Issue 16: a first run with a bare URL (`run --target`, no profile) assumes nothing it has not seen.
// The reference app serves nothing at `/` (its health route is /health).

/** A whole bare run: its own process group, bounded. A bare run takes ~10 s; under load, several times that. */
const BARE_RUN = { ownGroup: true, timeoutMs: 120_000 }
const scratch = () => mkdtempSync(join(tmpdir(), 'layercheck-first-contact-'))
const readReport = (dir: string) => parseJsonReport(readFileSync(join(dir, 'report.json'), 'utf8'))

describe('a bare run on a compliant stack with no route at /', () => {
  const target = useStack()

  test('0 failures: the served path is found, the first hop is the proxy it saw; the end lists what a profile unlocks', async () => {
    const dir = scratch()
    const result = await runCli(['run', '--target', target().stack.httpUrl, '--report-dir', dir], BARE_RUN)
    expect(result.code, result.stdout).toBe(0)
    expect(result.stdout).toContain('served path: /health (answered 200; / answered 404)')
    expect(result.stdout).toContain('first hop: a proxy (nginx)')
    const report = readReport(dir)
    expect(report.checks.filter((c) => c.verdict === 'fail' || c.verdict === 'error').map((c) => `${c.id}: ${c.actual}`)).toEqual([])
    expect(report.summary.warnings).toBeUndefined()
    expect(report.summary.pass).toBeGreaterThanOrEqual(18)
    // The guide: every not-applicable check that needs a key is under that key, and the init command follows.
    const guide = result.stdout.slice(result.stdout.indexOf('a profile would unlock'))
    for (const key of ['faults', 'auth', 'limits.maxBodyBytes', 'routes.openapi', 'connection.httpsUrl']) expect(guide).toMatch(new RegExp(`\\n  ${key.replace('.', '\\.')} +\\d+ checks?  `))
    expect(guide).toContain(`npx layercheck init ${target().stack.httpUrl} --out layercheck.config.ts`)
    expect(report.checks.filter((c) => c.verdict === 'not-applicable' && !c.needs).map((c) => c.id)).toEqual([])
  }, 130_000)
})

describe('a bare run on a compliant API with no OpenAPI document', () => {
  const target = useStack(COMPLIANT_ALTERNATIVES.find((v) => v.name === 'no-openapi'))

  test('0 failures', async () => {
    const dir = scratch()
    const result = await runCli(['run', '--target', target().stack.httpUrl, '--report-dir', dir], BARE_RUN)
    expect(result.code, result.stdout).toBe(0)
    expect(readReport(dir).checks.filter((c) => c.verdict === 'fail' || c.verdict === 'error').map((c) => `${c.id}: ${c.actual}`)).toEqual([])
  }, 130_000)
})

describe('recommendations are not requirements', () => {
  const target = useStack(HEADER_VARIANTS.find((v) => v.name === 'no-nosniff'))

  test('undocumented, a missing nosniff is a warning (severity info); documented, it is the failure it always was', async () => {
    const { profile, client, env } = target()
    const bare = parseProfile({ baseUrl: profile.baseUrl })
    const bareClient = clientForProfile(bare)
    try {
      const advice = await runCheck(findCheck('proxy.headers.nosniff'), { profile: bare, client: bareClient, env })
      expect(advice).toMatchObject({ verdict: 'fail', severity: 'info', advisory: 'responseHeaders.nosniff' })
    } finally {
      await bareClient.close()
    }
    const documented = await runCheck(findCheck('proxy.headers.nosniff'), { profile, client, env })
    expect(documented.verdict).toBe('fail')
    expect(documented.severity).toBe('warning')
    expect(documented.advisory).toBeUndefined()
  })

  test('a bare run exits 0 with the warning shown; --fail-on info makes it fail', async () => {
    const dir = scratch()
    const result = await runCli(['run', '--target', target().stack.httpUrl, '--report-dir', dir], BARE_RUN)
    expect(result.code, result.stdout).toBe(0)
    expect(result.stdout).toContain('⚠ proxy.headers.nosniff')
    expect(result.stdout).toMatch(/checks: \d+ passed, 0 failed, 1 warning,/)
    expect(readReport(dir).summary).toMatchObject({ fail: 0, warnings: 1 })
    const strict = await runCli(['run', '--target', target().stack.httpUrl, '--report-dir', scratch(), '--fail-on', 'info'], BARE_RUN)
    expect(strict.code, strict.stdout).toBe(1)
  }, 260_000)
})

describe('finding a served path', () => {
  let server: Server
  let base = ''
  const paths: string[] = []
  beforeAll(async () => {
    // An API with no open route answering 2xx: every path is its router's JSON 404.
    server = createServer((req, res) => {
      paths.push(req.url ?? '')
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}')
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

  test('none answers 2xx: the app\'s 404 at / stands in, and checks that need a 2xx say why they cannot run', async () => {
    const profile = parseProfile({ baseUrl: base })
    const client = clientForProfile(profile)
    try {
      const found = await findServedPath(profile, client)
      expect(found).toMatchObject({ path: '/', answers: 404 })
      expect(found.note).toContain('no open path answered 2xx (tried /, /health, /healthz')
      expect(paths).toContain('/openapi.json')
      const resolved = parseProfile({ baseUrl: base, probes: { healthAnswers: 404 } })
      const smuggling = await runCheck(findCheck('protocol.smuggling.cl-te'), { profile: resolved, client })
      expect(smuggling).toMatchObject({ verdict: 'not-applicable', needs: 'probes.healthPath' })
      const keepAlive = await runCheck(findCheck('protocol.keep-alive.reuse'), { profile: resolved, client })
      expect(keepAlive.verdict, keepAlive.actual).toBe('pass')
    } finally {
      await client.close()
    }
  })
})

describe('init on an API with no OpenAPI document', () => {
  const target = useStack(COMPLIANT_ALTERNATIVES.find((v) => v.name === 'no-openapi'))

  test('writes a profile from what it answers that loads; run --config with it and the token gives 0 failures', async () => {
    const { stack, env } = target()
    const dir = scratch()
    const out = join(dir, 'layercheck.config.json')
    const init = await runCli(['init', stack.httpUrl, '--out', out], { timeoutMs: 60_000 })
    expect(init.code, init.stdout + init.stderr).toBe(0)
    expect(init.stdout).toContain('no OpenAPI document (/openapi.json answered 404)')
    expect(init.stdout).toMatch(/found: layers\.proxy: nginx \(seen, certain/)
    expect(init.stdout).toMatch(/left: {2}limits +enables proxy\.body-size\.413/)
    const profile = await loadProfileFile(out)
    expect(profile.probes.healthPath).toBe('/health')
    expect(profile.routes.list).toEqual([{ path: '/health', methods: ['GET', 'HEAD'] }])
    expect(profile.auth).toMatchObject({ protectedPath: '/me', tokenEnv: 'LAYERCHECK_TOKEN' })
    expect(profile.requestId).toMatchObject({ header: 'X-Request-ID', generated: 'uuid' })

    const reportDir = join(dir, 'report')
    const run = await runCli(['run', '--config', out, '--report-dir', reportDir], { env: { LAYERCHECK_TOKEN: env.LAYERCHECK_TOKEN }, ...BARE_RUN })
    const report = readReport(reportDir)
    expect(report.checks.filter((c) => c.verdict === 'fail' || c.verdict === 'error').map((c) => `${c.id}: ${c.actual}`)).toEqual([])
    expect(run.code, run.stdout).toBe(0)
    const passed = report.checks.filter((c) => c.verdict === 'pass').map((c) => c.id)
    for (const id of ['middleware.auth.missing-token.401', 'routing.options.allow', 'middleware.request-id.generated']) expect(passed).toContain(id)
  }, 200_000)

  test('--openapi takes a local file: its routes become routes.list', async () => {
    const { stack } = target()
    const dir = scratch()
    const file = join(dir, 'openapi.json')
    writeFileSync(file, JSON.stringify({ openapi: '3.1.0', info: { title: 'from a file' }, paths: { '/health': { get: {}, head: {} }, '/items': { get: {} } } }))
    const out = join(dir, 'profile.json')
    const init = await runCli(['init', stack.httpUrl, '--out', out, '--openapi', file], { timeoutMs: 60_000 })
    expect(init.code, init.stdout + init.stderr).toBe(0)
    const profile = await loadProfileFile(out)
    expect(profile.routes).toMatchObject({ openapi: false, list: [{ path: '/health', methods: ['GET', 'HEAD'] }, { path: '/items', methods: ['GET'] }] })
    expect(profile.name).toBe('from a file')
    expect((await runCli(['init', stack.httpUrl, '--out', join(dir, 'x.json'), '--openapi', join(dir, 'missing.json')])).code).toBe(2)
  })
})
