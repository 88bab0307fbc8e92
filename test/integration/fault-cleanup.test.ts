import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test } from 'vitest'
import { referenceProfile } from '../../targets/nginx-fastapi/profile.ts'
import { runCli } from '../support/cli.ts'
import { expectNoProcessLeft, expectNoReport, killGroups, OTHER_NODE, sendSignal, type InterruptCase } from '../support/interrupted-run.ts'
import { useStack } from '../support/reference-stack.ts'

const target = useStack()

// Toxiproxy outlives the run here (as it would in a user's deployment), so the
// run itself must leave it clean when interrupted in the middle of a fault,
// however the signal comes: to the process a supervisor started alone, or from
// a terminal to the whole group (whose test workers get it too). Started as a
// new user does, through the launcher when this machine has another Node.
const CASES: readonly InterruptCase[] = [
  { signal: 'SIGTERM', to: 'started process', status: 143 },
  { signal: 'SIGINT', to: 'group', status: 130 },
]

function writeProfile(): { dir: string; profileFile: string } {
  const dir = mkdtempSync(join(tmpdir(), 'layercheck-interrupt-'))
  const profileFile = join(dir, 'profile.json')
  writeFileSync(profileFile, JSON.stringify(referenceProfile(target().stack)))
  return { dir, profileFile }
}

test.for(CASES)('$signal to the $to in the middle of a fault leaves Toxiproxy clean and exits $status', { timeout: 120_000 }, async ({ signal, to, status }) => {
  const { env, faults } = target()
  const { dir, profileFile } = writeProfile()
  let seen: string[] = []
  let watcher: NodeJS.Timeout | undefined
  let started = 0
  let signalledAt = 0
  try {
    const interrupted = await runCli(['run', '--config', profileFile, '--report-dir', join(dir, 'report')], {
      env, node: OTHER_NODE, ownGroup: true, timeoutMs: 100_000,
      onSpawn: (child) => {
        started = child.pid!
        watcher = setInterval(() => {
          void faults.inForce().then((inForce) => {
            if (inForce.length && !seen.length) {
              seen = inForce
              signalledAt = Date.now()
              sendSignal(child, signal, to)
            }
          }, () => {})
        }, 20)
      },
    }).finally(() => clearInterval(watcher))

    expect(seen.length, 'a fault was in force when the run was interrupted').toBeGreaterThan(0)
    expect({ code: interrupted.code, signal: interrupted.signal }, interrupted.stdout + interrupted.stderr).toEqual({ code: status, signal: null })
    expect(await faults.inForce()).toEqual([])
    await expectNoProcessLeft([started], signalledAt)
    expectNoReport(join(dir, 'report'))
  } finally {
    killGroups([started])
  }
})

test('after the interrupted runs, a run against the same Toxiproxy passes', async () => {
  const { profileFile, dir } = writeProfile()
  const next = await runCli(['run', '--config', profileFile, '--report-dir', join(dir, 'report')], { env: target().env, timeoutMs: 100_000 })
  expect(next.code, next.stdout).toBe(0)
}, 120_000)
