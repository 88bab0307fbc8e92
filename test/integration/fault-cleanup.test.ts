import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test } from 'vitest'
import { referenceProfile } from '../../targets/nginx-fastapi/profile.ts'
import { runCli } from '../support/cli.ts'
import { useStack } from '../support/reference-stack.ts'

const target = useStack()

// Toxiproxy outlives the run here (as it would in a user's deployment), so the
// run itself must leave it clean even when interrupted in the middle of a fault.
test('SIGINT in the middle of a fault leaves Toxiproxy clean, and the next run passes', async () => {
  const { stack, env, faults } = target()
  const dir = mkdtempSync(join(tmpdir(), 'layercheck-sigint-'))
  const profileFile = join(dir, 'profile.json')
  writeFileSync(profileFile, JSON.stringify(referenceProfile(stack)))

  let seen: string[] = []
  let watcher: NodeJS.Timeout | undefined
  const interrupted = await runCli(['run', '--config', profileFile, '--report-dir', join(dir, 'first')], {
    env,
    onSpawn: (child) => {
      watcher = setInterval(() => {
        void faults.inForce().then((inForce) => {
          if (inForce.length && !seen.length) {
            seen = inForce
            child.kill('SIGINT')
          }
        }, () => {})
      }, 20)
    },
  }).finally(() => clearInterval(watcher))

  expect(seen.length, 'a fault was in force when the run was interrupted').toBeGreaterThan(0)
  expect(interrupted.code === 130 || interrupted.signal === 'SIGINT', interrupted.stdout).toBe(true)
  expect(await faults.inForce()).toEqual([])

  const next = await runCli(['run', '--config', profileFile, '--report-dir', join(dir, 'second')], { env })
  expect(next.code, next.stdout).toBe(0)
}, 120_000)
