import { existsSync, mkdtempSync, writeFileSync } from 'node:fs'
import { createServer, type AddressInfo, type Server } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { ProfileInput } from '../../harness/profile/schema.ts'
import type { DryRunPlan } from '../../bin/run/dry-run.ts'
import { runCli } from '../support/cli.ts'

// Every address in the profile is this listener: any connection to it means
// the dry run sent something, and fails the test.
let server: Server
let port = 0
const connections: string[] = []
const dir = mkdtempSync(join(tmpdir(), 'layercheck-dry-'))
const marker = join(dir, 'log-command-ran')

beforeAll(async () => {
  server = createServer((socket) => {
    connections.push(`${socket.remoteAddress}:${socket.remotePort}`)
    socket.destroy()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  port = (server.address() as AddressInfo).port
})
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

function profileFile(): string {
  const base = `http://127.0.0.1:${port}`
  const profile: ProfileInput = {
    baseUrl: base,
    connection: { httpsUrl: `https://127.0.0.1:${port}` },
    routes: { openapi: '/openapi.json', list: [{ path: '/items', methods: ['POST'] }], large: '/large', slow: '/slow?seconds={s}', crash: { path: '/crash' } },
    probes: {
      healthPath: '/health', errorPath: '/boom',
      jsonEndpoint: { path: '/items', validBody: { name: 'Alice' }, invalidBody: { name: '' }, invalidFields: ['name'], paddingField: 'note' },
    },
    auth: { protectedPath: '/me', tokenEnv: 'LAYERCHECK_TOKEN' },
    limits: { maxBodyBytes: 1024 },
    requestId: { header: 'X-Request-ID' },
    upstream: { readTimeoutMs: 2000, gatewayTimeoutMs: 4000, instances: 2 },
    faults: { toxiproxyApi: base, links: ['a', 'b'] },
    // A log command must not run either: it could reach another host.
    logs: { app: { command: `touch ${marker}` } },
    checks: { 'middleware.auth.bad-token.401': { skip: 'tested elsewhere' } },
  }
  const file = join(dir, 'profile.json')
  writeFileSync(file, JSON.stringify(profile))
  return file
}

describe('layercheck run --dry-run', () => {
  test('lists probes, profile keys and not-applicable reasons, and sends nothing', async () => {
    const result = await runCli(['run', '--config', profileFile(), '--dry-run'], { env: { LAYERCHECK_TOKEN: 'secret-token-value' } })
    expect(result.code, result.stderr).toBe(0)
    expect(connections).toEqual([])
    expect(existsSync(marker)).toBe(false)
    const out = result.stdout
    expect(out).toContain(`dry run: nothing is sent to http://127.0.0.1:${port}`)
    expect(out).toContain(`    TCP    127.0.0.1:${port}`)
    expect(out).toMatch(/• validation\.content-type\.mismatch .*\n {4}uses: .*contentType\.mismatchStatus.*probes\.jsonEndpoint\.path.*\n {4}POST {3}\/items {2}\(body \d+ bytes; headers: accept, content-type; Content-Type: text\/plain\)/)
    expect(out).toContain('    FAULT  down on a, b')
    // Raw HTTP/1.1 probes go through the check's context too: listed with where they would go, never opened.
    expect(out).toMatch(new RegExp(`• protocol\\.request-line\\.400 .*\\n(?: {4}.*\\n)*? {4}RAW {4}127\\.0\\.0\\.1:${port} {2}\\(body \\d+ bytes; .*raw bytes, on a connection of their own\\)`))
    expect(out).not.toContain('SOCKET')
    expect(out).toContain('– middleware.auth.bad-token.401')
    expect(out).toContain('    not applicable: skipped by the profile: tested elsewhere')
    expect(out).not.toContain('secret-token-value')
  })

  test('--json: the plan as JSON on stdout, a note on stderr, still nothing sent', async () => {
    const result = await runCli(['run', '--config', profileFile(), '--dry-run', '--json'])
    expect(result.code, result.stderr).toBe(0)
    expect(connections).toEqual([])
    const plan = JSON.parse(result.stdout) as DryRunPlan
    expect(plan.dryRun).toBe(true)
    const unknown = plan.checks.find((c) => c.id === 'routing.unknown-path.404')!
    expect(unknown).toMatchObject({ applicable: true, profileKeys: ['probes.unknownPath'] })
    expect(unknown.probes).toEqual([{ method: 'GET', target: '/layercheck-no-such-route-dryrun', headers: ['accept'] }])
    expect(plan.checks.find((c) => c.id === 'middleware.auth.bad-token.401')).toMatchObject({ applicable: false, reason: 'skipped by the profile: tested elsewhere' })
    expect(result.stderr).toMatch(/^dry run: \d+ checks listed, nothing sent$/m)
  })

  test('a check id the registry does not know is refused (exit 2) with the id meant, before anything is sent', async () => {
    const file = join(dir, 'old-ids.json')
    writeFileSync(file, JSON.stringify({ baseUrl: `http://127.0.0.1:${port}`, checks: { 'request-id.echoed': { skip: 'old id' }, 'routing.unknown-path.405': { skip: 'typo' } } }))
    for (const args of [['run', '--config', file, '--dry-run'], ['run', '--config', file]]) {
      const result = await runCli(args)
      expect(result.code, result.stderr).toBe(2)
      expect(result.stderr).toContain('checks.request-id.echoed: this check is now called "middleware.request-id.echoed"')
      expect(result.stderr).toContain('checks.routing.unknown-path.405: no such check; did you mean "routing.unknown-path.404"?')
    }
    expect(connections).toEqual([])
  })

  test('a profile in the layout before the route facts left `faults` still loads, and says where each key lives now', async () => {
    const file = join(dir, 'old-layout.json')
    writeFileSync(file, JSON.stringify({
      baseUrl: `http://127.0.0.1:${port}`,
      faults: { toxiproxyApi: `http://127.0.0.1:${port}`, links: ['a', 'b'], upstreamTimeoutMs: 1000, gatewayTimeoutMs: 2000, largePath: '/large', slowPath: '/slow?ms={ms}', crash: { path: '/crash' } },
    }))
    const result = await runCli(['run', '--config', file, '--dry-run', '--json'])
    expect(result.code, result.stderr).toBe(0)
    expect(result.stderr).toContain(`${file}: faults.slowPath is now routes.slow (read from its old place; move it there)`)
    expect(result.stderr).toContain('faults.upstreamTimeoutMs is now upstream.readTimeoutMs')
    const plan = JSON.parse(result.stdout) as DryRunPlan
    // Read from the old places, the slow and crash routes make their checks applicable as before.
    for (const id of ['faults.slow-handler.504', 'faults.worker-crash.recovery', 'faults.slow-trickle.200']) {
      expect(plan.checks.find((c) => c.id === id), id).toMatchObject({ applicable: true })
    }
    expect(connections).toEqual([])

    // Set in both places, differently: which one is meant is not ours to guess.
    writeFileSync(file, JSON.stringify({ baseUrl: `http://127.0.0.1:${port}`, routes: { slow: '/slow?s={s}' }, faults: { toxiproxyApi: `http://127.0.0.1:${port}`, links: ['a'], slowPath: '/slow?ms={ms}' } }))
    const both = await runCli(['run', '--config', file, '--dry-run'])
    expect(both.code).toBe(2)
    expect(both.stderr).toContain('faults.slowPath: moved to routes.slow, which is set to something else: keep only routes.slow')
  })

  test('--only selects by id glob, lifecycle step or layer (comma-separated: any may match), and still sends nothing', async () => {
    const plan = async (only: string) => {
      const result = await runCli(['run', '--config', profileFile(), '--dry-run', '--json', '--only', only])
      expect(result.code, result.stderr).toBe(0)
      return (JSON.parse(result.stdout) as DryRunPlan).checks
    }
    const proxy = await plan('proxy.*')
    expect(proxy.length).toBeGreaterThan(3)
    expect(proxy.every((c) => c.id.startsWith('proxy.'))).toBe(true)
    expect((await plan('step:6')).every((c) => c.step === 6)).toBe(true)
    const union = await plan('layer:router,connection.tcp.connects')
    expect(union[0]!.id).toBe('connection.tcp.connects')
    expect(union.slice(1).every((c) => c.layer === 'router')).toBe(true)
    expect((await plan('step:1-3')).map((c) => c.step)).toEqual(expect.arrayContaining([1, 2, 3]))
    expect(connections).toEqual([])

    const text = await runCli(['run', '--config', profileFile(), '--dry-run', '--only', 'routing.unknown-path.404'])
    expect(text.stdout).toMatch(/--only routing\.unknown-path\.404: 1 of \d+ checks \(routing\)/)
    expect(text.stdout).toContain('1 checks would run')
  })

  test('--only that selects nothing is bad usage (exit 2) naming the nearest ids, before anything is sent', async () => {
    const typo = await runCli(['run', '--config', profileFile(), '--dry-run', '--only', 'proxy.bodysize.*'])
    expect(typo.code).toBe(2)
    expect(typo.stderr).toMatch(/--only: proxy\.bodysize\.\*: no check matches; nearest: "proxy\.body-size\.[^"]+"/)
    const several = await runCli(['run', '--config', profileFile(), '--only', 'layer:proxxy,step:16,routing.unknown-path.405'])
    expect(several.code).toBe(2)
    expect(several.stderr).toContain('  - layer:proxxy: no such layer; did you mean "layer:proxy"?')
    expect(several.stderr).toContain('  - step:16: steps run from 1 (DNS) to 15 (handler)')
    expect(several.stderr).toContain('  - routing.unknown-path.405: no check matches; nearest: "routing.unknown-path.404"')
    expect(connections).toEqual([])
  })

  test('without --config or --target it refuses (exit 2) rather than start the embedded stack', async () => {
    const result = await runCli(['run', '--dry-run'])
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('--dry-run needs --config or --target')
  })
})
