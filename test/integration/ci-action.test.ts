import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { PROJECT_ROOT } from '../../harness/paths.ts'

// The composite action (action.yml) has one shell step, action/run.sh. It is
// run here as GitHub would run it — INPUT_* variables, a job summary file and
// an outputs file — with layercheck started from this repository.

const ACTION = readFileSync(join(PROJECT_ROOT, 'action.yml'), 'utf8')

function runAction(inputs: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), 'layercheck-action-'))
  const summary = join(dir, 'summary')
  const output = join(dir, 'output')
  writeFileSync(summary, '')
  writeFileSync(output, '')
  const result = spawnSync('bash', [join(PROJECT_ROOT, 'action', 'run.sh')], {
    cwd: dir, encoding: 'utf8', timeout: 60_000,
    env: {
      PATH: process.env.PATH, HOME: process.env.HOME,
      LAYERCHECK_COMMAND: `${process.execPath} ${join(PROJECT_ROOT, 'bin', 'layercheck.js')}`,
      GITHUB_STEP_SUMMARY: summary, GITHUB_OUTPUT: output,
      ...Object.fromEntries(Object.entries(inputs).map(([name, value]) => [`INPUT_${name.toUpperCase().replace(/-/g, '_')}`, value])),
    },
  })
  return { dir, code: result.status, log: result.stdout + result.stderr, summary: readFileSync(summary, 'utf8'), output: readFileSync(output, 'utf8') }
}

describe('the GitHub Action', () => {
  test('action.yml declares every input it uses and runs action/run.sh', () => {
    const declared = [...ACTION.matchAll(/^ {2}([a-z-]+):\n {4}description:/gm)].map((m) => m[1])
    const used = [...new Set([...ACTION.matchAll(/\$\{\{ inputs\.([a-z-]+) \}\}/g)].map((m) => m[1]))]
    expect(used.length).toBeGreaterThan(0)
    for (const input of used) expect(declared, `inputs.${input}`).toContain(input)
    expect(ACTION).toContain('run: bash "$ACTION_PATH/action/run.sh"')
  })

  test('an unreachable target: the step exits 3, after writing the job summary and the outputs', () => {
    const dir = mkdtempSync(join(tmpdir(), 'layercheck-action-profile-'))
    const config = join(dir, 'layercheck.config.json')
    writeFileSync(config, JSON.stringify({ baseUrl: 'http://127.0.0.1:1' }))
    const run = runAction({ config, 'report-dir': join(dir, 'out'), baseline: join(dir, 'no-such-report.json') })
    expect(run.code, run.log).toBe(3)
    expect(run.log).toContain(`no baseline at ${join(dir, 'no-such-report.json')}`)
    expect(run.output).toContain('exit-code=3\n')
    expect(run.output).toContain(`report-dir=${join(dir, 'out')}\n`)
    // The reports are written on exit 3 too: the job summary is layercheck's own, naming the failed step.
    expect(run.summary).toContain('## layercheck: FAIL')
    expect(run.summary).toContain('connection.tcp.connects')
    expect(run.output).toContain(`junit=${join(dir, 'out', 'junit.xml')}\n`)
  })

  test('a bad profile: exit 2, and the job summary says no summary was written', () => {
    const dir = mkdtempSync(join(tmpdir(), 'layercheck-action-profile-'))
    const config = join(dir, 'layercheck.config.json')
    writeFileSync(config, JSON.stringify({ baseUrll: 'http://127.0.0.1:1' }))
    const run = runAction({ config, 'report-dir': join(dir, 'out') })
    expect(run.code, run.log).toBe(2)
    expect(run.log).toContain('unknown key "baseUrll"')
    expect(run.summary).toContain('## layercheck: exit 2')
    expect(run.output).toContain('exit-code=2\n')
    expect(run.output).not.toContain('junit=')
  })

  test('without the config input the step refuses, naming it', () => {
    const run = runAction({})
    expect(run.code).not.toBe(0)
    expect(run.log).toContain('the config input is required')
  })
})
