// The package as a user gets it: `npm pack` (its prepack builds dist/), the
// tarball installed into a fresh folder, and the installed `layercheck` run
// from there under Node 24 and under Node 22, where no TypeScript source can
// be loaded (Node strips no types under node_modules). One install for the file.
// The project is a user's: a layercheck.config.ts written with defineConfig, which
// `tsc --noEmit` type-checks against the shipped declarations, and a check of its own
// (checks.include) that passes on the reference stack and fails on a broken variant.
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { delimiter, dirname, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { PROJECT_ROOT, STATE_DIR } from '../../harness/paths.ts'
import { VERSION } from '../../harness/version.ts'
import { parseJsonReport } from '../../reports/json-report.ts'
import { ALL_CHECKS } from '../../suites/all-checks.ts'
import { expectNoProcessLeft, expectNoReport, killGroups } from '../support/interrupted-run.ts'
import { closeStack, openStack, useStack } from '../support/reference-stack.ts'
import { referenceProfile } from '../../targets/nginx-fastapi/profile.ts'
import { findVariant } from '../../targets/nginx-fastapi/variants.ts'
import { STATS_CHECKS } from '../support/user-check-files.ts'

/** Packing (a full build), installing from the npm cache, and fetching node@22 the first time. */
const SETUP_MS = 300_000
/** One run of every suite against the stack takes about 10 s on an idle 2-core machine. */
const RUN_MS = 150_000

interface Finished {
  code: number | null
  stdout: string
  stderr: string
}

/**
 * This environment without what the outer npm (`npm test`) passed down: its
 * `npm_config_local_prefix` would make an inner `npm i` install into the
 * repository. `nodeDir` first on PATH: the Node that npm, npx and the
 * `layercheck` bin (`#!/usr/bin/env node`) run under.
 */
function envFor(nodeDir: string): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name) && name !== 'INIT_CWD'))
  return { ...env, PATH: [nodeDir, env.PATH].join(delimiter), FORCE_COLOR: '0' }
}

interface RunOptions {
  cwd: string
  nodeDir: string
  timeoutMs: number
  /** On top of this environment: the stack's tokens. */
  env?: NodeJS.ProcessEnv
  onStdout?: (stdout: string, child: ChildProcess) => void
}

/**
 * Runs a command to its end, in a process group of its own as a shell's job,
 * or kills that group (npm's children too) after `timeoutMs`.
 */
function run(command: string, args: string[], options: RunOptions): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: { ...envFor(options.nodeDir), ...options.env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString()
      options.onStdout?.(stdout, child)
    })
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString() })
    const timer = setTimeout(() => {
      try { process.kill(-child.pid!, 'SIGKILL') } catch { /* gone already */ }
      reject(new Error(`${command} ${args.join(' ')} did not finish within ${options.timeoutMs} ms\n${stdout}\n${stderr}`))
    }, options.timeoutMs)
    child.on('error', (error) => {
      clearTimeout(timer)
      reject(error)
    })
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code, stdout, stderr })
    })
  })
}

const NODE_24 = dirname(process.execPath)
const devVersion = (name: string) => (JSON.parse(readFileSync(join(PROJECT_ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version
const scratch = mkdtempSync(join(tmpdir(), 'layercheck-packaged-'))
/** Where the tarball is installed, as into a user's project. */
const project = join(scratch, 'project')
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

beforeAll(async () => {
  const packed = await run('npm', ['pack', '--pack-destination', scratch], { cwd: PROJECT_ROOT, nodeDir: NODE_24, timeoutMs: SETUP_MS / 2 })
  expect(packed.code, packed.stdout + packed.stderr).toBe(0)
  const tarball = readdirSync(scratch).find((name) => name.endsWith('.tgz'))
  expect(tarball, packed.stdout).toBe(`layercheck-${VERSION}.tgz`)

  mkdirSync(project)
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'a-deployment', private: true, type: 'module' }))
  const installed = await run('npm', ['i', join(scratch, tarball!), '--no-audit', '--no-fund', '--prefer-offline'], { cwd: project, nodeDir: NODE_24, timeoutMs: SETUP_MS / 2 })
  expect(installed.code, installed.stdout + installed.stderr).toBe(0)
  // What a TypeScript project has, to type-check its profile and checks (the versions this repository builds with).
  const tools = await run('npm', ['i', '-D', `typescript@${devVersion('typescript')}`, `@types/node@${devVersion('@types/node')}`, '--no-audit', '--no-fund', '--prefer-offline'], { cwd: project, nodeDir: NODE_24, timeoutMs: SETUP_MS / 2 })
  expect(tools.code, tools.stdout + tools.stderr).toBe(0)
}, SETUP_MS)

/** The Node 22 that scripts/setup.sh installs (the `node` package at NODE22_VERSION): the oldest the package's engines allow. */
function node22(): string {
  const bin = join(STATE_DIR, 'node22', 'node_modules', 'node', 'bin')
  expect(existsSync(join(bin, 'node')), `no Node 22 in ${bin}: run scripts/setup.sh`).toBe(true)
  return bin
}

describe('the packed package, installed into a fresh project', () => {
  const target = useStack()

  test('`npx layercheck --version` prints the version and exits 0', async () => {
    const result = await run('npx', ['layercheck', '--version'], { cwd: project, nodeDir: NODE_24, timeoutMs: 30_000 })
    expect({ code: result.code, stdout: result.stdout.trim() }, result.stderr).toEqual({ code: 0, stdout: VERSION })
  })

  test("`import { defineConfig } from 'layercheck'` loads the build, and its declarations are shipped", async () => {
    writeFileSync(join(project, 'config.mjs'), "import { defineConfig } from 'layercheck'\nconsole.log(JSON.stringify(defineConfig({ baseUrl: 'http://127.0.0.1:9' })))\n")
    const result = await run(process.execPath, ['config.mjs'], { cwd: project, nodeDir: NODE_24, timeoutMs: 30_000 })
    expect({ code: result.code, stdout: result.stdout.trim() }, result.stderr).toEqual({ code: 0, stdout: '{"baseUrl":"http://127.0.0.1:9"}' })

    const installed = join(project, 'node_modules', 'layercheck')
    const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as { exports: { '.': { types: string } } }
    expect(existsSync(join(installed, manifest.exports['.'].types)), manifest.exports['.'].types).toBe(true)
    // The contracts, where a JSON profile's "$schema" points.
    for (const schema of ['schemas/profile.schema.json', 'schemas/report.schema.json']) expect(existsSync(join(installed, schema)), schema).toBe(true)
  })

  /** The user's project: its profile for the running stack, written with defineConfig, and its own checks. */
  function writeUserProject() {
    const { faults: _faults, ...profile } = referenceProfile(target().stack)
    const config = `import { defineConfig } from 'layercheck'\n\nexport default defineConfig(${JSON.stringify({ ...profile, checks: { include: ['./checks/*.ts'] } }, null, 2)})\n`
    writeFileSync(join(project, 'layercheck.config.ts'), config)
    mkdirSync(join(project, 'checks'), { recursive: true })
    writeFileSync(join(project, 'checks', 'stats.ts'), STATS_CHECKS)
    writeFileSync(join(project, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { module: 'nodenext', target: 'es2023', strict: true, noEmit: true, allowImportingTsExtensions: true, types: ['node'] },
      include: ['layercheck.config.ts', 'checks/*.ts'],
    }))
  }

  /**
   * `npx layercheck run` in the project under the Node in `nodeDir`: the profile found in the working directory,
   * every check but the faults (slow, and nothing about packaging) reported as the repository's run reports them
   * on the compliant stack, the user's checks with them.
   */
  async function expectRunWorks(nodeDir: string, major: number) {
    // The Node npx starts the bin under (through `sh -c`, with PATH as the bin sees it).
    const node = await run('npx', ['--call', 'node -p process.versions.node'], { cwd: project, nodeDir, timeoutMs: 30_000 })
    expect(node.stdout.trim().split('.')[0], node.stderr).toBe(String(major))

    const reportDir = join(scratch, `report-node${major}`)
    const result = await run('npx', ['layercheck', 'run', '--exclude', 'faults.*', '--report-dir', reportDir], { cwd: project, nodeDir, env: target().env, timeoutMs: RUN_MS })
    const output = result.stdout + result.stderr
    expect(result.code, output).toBe(0)
    expect(output).toContain('profile: ./layercheck.config.ts (found in the working directory')
    expect(output).toContain('own checks: 2 from 1 file (checks.include): shop.stats.requires-token, shop.health.json')
    expect(readdirSync(reportDir).sort()).toEqual(['junit.xml', 'report.html', 'report.json', 'summary.md'])

    const report = parseJsonReport(readFileSync(join(reportDir, 'report.json'), 'utf8'))
    expect(report.tool.version).toBe(VERSION)
    const builtIn = ALL_CHECKS.filter((check) => !check.id.startsWith('faults.'))
    expect(report.summary, output).toMatchObject({ total: builtIn.length + 2, fail: 0, error: 0 })
    const verdicts = Object.fromEntries(report.checks.map((check) => [check.id, check.verdict]))
    expect(verdicts, output).toMatchObject({ 'shop.stats.requires-token': 'pass', 'shop.health.json': 'pass', 'connection.tcp.connects': 'pass', 'proxy.body-size.413': 'pass' })
  }

  test("the project's layercheck.config.ts and check files type-check against the shipped declarations (tsc --noEmit)", async () => {
    writeUserProject()
    const result = await run('npx', ['tsc', '-p', '.'], { cwd: project, nodeDir: NODE_24, timeoutMs: 60_000 })
    expect(result.code, result.stdout + result.stderr).toBe(0)
    // A mistake in either is caught: an unknown profile key, a layer that does not exist.
    writeFileSync(join(project, 'checks', 'wrong.ts'), STATS_CHECKS.replace("layer: 'middleware'", "layer: 'firewall'").replace(/export const (\w+)/g, 'export const $1Wrong'))
    const wrong = await run('npx', ['tsc', '-p', '.'], { cwd: project, nodeDir: NODE_24, timeoutMs: 60_000 })
    rmSync(join(project, 'checks', 'wrong.ts'))
    expect(wrong.code).not.toBe(0)
    expect(wrong.stdout).toMatch(/checks\/wrong\.ts\(\d+,\d+\): error TS2322: Type '"firewall"' is not assignable/)
  })

  test('`npx layercheck run` with the project\'s profile under Node 24: every built-in check and the user\'s pass on the compliant stack', async () => {
    writeUserProject()
    await expectRunWorks(NODE_24, 24)
  }, RUN_MS + 60_000)

  test("the user's check fails on a broken variant, with its layer and diagnosis, in report.json, junit.xml, summary.md and the HTML report", async () => {
    writeUserProject()
    const broken = await openStack(findVariant('stats-auth-ignored'))
    try {
      const reportDir = join(scratch, 'report-variant')
      const result = await run('npx', ['layercheck', 'run', '--config', 'layercheck.config.ts', '--target', broken.stack.httpUrl, '--only', 'shop.*', '--report-dir', reportDir], { cwd: project, nodeDir: NODE_24, env: broken.env, timeoutMs: RUN_MS })
      const output = result.stdout + result.stderr
      expect(result.code, output).toBe(1)
      expect(output).toContain('✗ shop.stats.requires-token')
      const report = parseJsonReport(readFileSync(join(reportDir, 'report.json'), 'utf8'))
      expect(report.checks.map((c) => [c.id, c.verdict]), output).toEqual([['shop.stats.requires-token', 'fail'], ['shop.health.json', 'pass']])
      expect(report.checks[0]).toMatchObject({ answeredBy: { tier: 'app' }, diagnosis: expect.stringContaining('a bearer scheme that nothing enforces') })
      expect(readFileSync(join(reportDir, 'junit.xml'), 'utf8')).toMatch(/<testcase[^>]*name="shop\.stats\.requires-token[^"]*"[^>]*>\s*<failure/)
      expect(readFileSync(join(reportDir, 'summary.md'), 'utf8')).toContain('shop.stats.requires-token')
      expect(readFileSync(join(reportDir, 'report.html'), 'utf8')).toContain('shop.stats.requires-token')
    } finally {
      await closeStack(broken)
    }
  }, RUN_MS + 60_000)

  // Started alone, as a service manager or a CI runner starts it, and stopped as they stop it.
  test('SIGTERM to the installed bin mid-run: the run stops its workers, writes no report and exits 143', async () => {
    const reportDir = join(scratch, 'report-interrupted')
    const bin = join(project, 'node_modules', '.bin', 'layercheck')
    let started = 0
    let signalledAt = 0
    try {
      const result = await run(bin, ['run', '--target', target().stack.httpUrl, '--report-dir', reportDir], {
        cwd: project, nodeDir: NODE_24, timeoutMs: RUN_MS,
        onStdout: (stdout, child) => {
          started = child.pid!
          // Once the first check has reported, the suites are mid-run.
          if (signalledAt || !/  [✓✗–!] /.test(stdout)) return
          signalledAt = Date.now()
          child.kill('SIGTERM')
        },
      })
      expect({ code: result.code, signalled: signalledAt > 0 }, result.stdout + result.stderr).toEqual({ code: 143, signalled: true })
      await expectNoProcessLeft([started], signalledAt)
      expectNoReport(reportDir)
    } finally {
      killGroups([started])
    }
  }, RUN_MS + 10_000)

  test('`npx layercheck run` with no target: the embedded stack is not shipped set up, and it says so (exit 2, no stack trace)', async () => {
    // From a folder with no layercheck.config.* (the project's own would be found and used).
    const bare = join(project, 'bare')
    mkdirSync(bare, { recursive: true })
    const result = await run('npx', ['layercheck', 'run', '--report-dir', join(scratch, 'no-target')], { cwd: bare, nodeDir: NODE_24, timeoutMs: 60_000 })
    expect(result.code, result.stdout + result.stderr).toBe(2)
    expect(result.stderr).toContain('the embedded reference stack cannot start: missing')
    expect(result.stderr).toContain('give --target <url> or --config <profile>')
    expect(result.stdout + result.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/)
  })

  test('`npx layercheck run` with the project\'s profile under Node 22', async () => {
    writeUserProject()
    await expectRunWorks(node22(), 22)
  }, SETUP_MS / 2 + RUN_MS + 60_000)
})
