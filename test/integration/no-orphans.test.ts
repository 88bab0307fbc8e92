import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { STATE_DIR } from '../../harness/paths.ts'
import { liveGroupMembers } from '../../harness/process/process-group.ts'
import type { StackInfo } from '../../targets/nginx-fastapi/stack.ts'
import { openStack } from '../support/reference-stack.ts'
import { runCli } from '../support/cli.ts'
import {
  embeddedStackOf, expectNoProcessLeft, expectNoReport, INTERRUPT_CASES, killGroups, OTHER_NODE, sendSignal, type SignalTarget,
} from '../support/interrupted-run.ts'

const groupMembers = liveGroupMembers

describe('no process survives', () => {
  test('stopping a stack stops every process of it, workers included', async () => {
    const under = await openStack()
    const leaders = under.stack.pids
    expect(groupMembers(leaders).length).toBeGreaterThanOrEqual(6) // toxiproxy, gunicorn + 2 workers, nginx + 1 worker
    await under.client.close()
    await under.stack.stop()
    expect(groupMembers(leaders)).toEqual([])
    expect(existsSync(under.stack.dir)).toBe(false)
  })

  /**
   * Interrupts `layercheck run` once the first check has reported (the
   * suites are mid-run), started by `node` in a process group of its own.
   */
  async function interruptRun(node: string, signal: NodeJS.Signals, to: SignalTarget) {
    const reportDir = join(mkdtempSync(join(tmpdir(), 'layercheck-interrupt-')), 'report')
    let started = 0
    let stack: StackInfo | undefined
    let signalledAt = 0
    try {
      const result = await runCli(['run', '--report-dir', reportDir], {
        node, ownGroup: true, timeoutMs: 45_000,
        onSpawn: (child) => { started = child.pid! },
        onStdout: (text, child) => {
          if (stack || !/  [✓✗–!] /.test(text)) return
          stack = embeddedStackOf(child.pid!)
          if (!stack) return
          signalledAt = Date.now()
          sendSignal(child, signal, to)
        },
      })
      expect(stack, result.stdout + result.stderr).toBeDefined()
      // The started process's group holds the launcher, the run and its test workers; no toxic
      // can be left, as the stack's Toxiproxy is in its groups (fault-cleanup.test.ts: one that outlives the run).
      await expectNoProcessLeft([started, ...stack!.pids], signalledAt)
      // Nor its folder: the stack is stopped in the interrupt's last phase, not left for a later sweep.
      expect(existsSync(stack!.dir), stack!.dir).toBe(false)
      expectNoReport(reportDir)
      return result
    } finally {
      // A run that failed to stop must not outlive its test.
      killGroups([started, ...stack?.pids ?? []])
    }
  }

  // As a new user starts it: `node bin/layercheck.js run` with another Node
  // first on PATH, so the launcher re-runs it under Node 24 as its child.
  describe.skipIf(!OTHER_NODE)('through the launcher (another Node on PATH)', () => {
    test.for(INTERRUPT_CASES)('$signal to the $to: the run goes through its interrupt phases and exits $status', async ({ signal, to, status }) => {
      const result = await interruptRun(OTHER_NODE!, signal, to)
      expect({ code: result.code, signal: result.signal }, result.stdout + result.stderr).toEqual({ code: status, signal: null })
    })

    test('SIGKILL to the launcher: its child, the run, interrupts itself', async () => {
      const result = await interruptRun(OTHER_NODE!, 'SIGKILL', 'started process')
      expect(result.signal).toBe('SIGKILL')
    })
  })

  test('SIGINT to `layercheck run` started by Node 24 itself (no launcher)', async () => {
    const result = await interruptRun(process.execPath, 'SIGINT', 'started process')
    expect({ code: result.code, signal: result.signal }, result.stdout + result.stderr).toEqual({ code: 130, signal: null })
  })

  test('`stack up` leaves the stack running; `stack down` stops all of it', async () => {
    const up = await runCli(['stack', 'up'])
    expect(up.code, up.stdout + up.stderr).toBe(0)
    const info = JSON.parse(readFileSync(join(STATE_DIR, 'current-stack.json'), 'utf8')) as StackInfo
    try {
      expect(groupMembers(info.pids).length).toBeGreaterThanOrEqual(6)
      expect(readFileSync(join(STATE_DIR, 'current-stack.json'), 'utf8')).not.toMatch(/token/i)
    } finally {
      const down = await runCli(['stack', 'down'])
      expect(down.code).toBe(0)
    }
    expect(groupMembers(info.pids)).toEqual([])
  })
})
