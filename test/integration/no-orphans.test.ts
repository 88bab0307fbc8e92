import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { STACKS_DIR, STATE_DIR } from '../../harness/paths.ts'
import { liveGroupMembers } from '../../harness/process/process-group.ts'
import { pollUntil } from '../../harness/process/poll.ts'
import type { StackInfo } from '../../targets/nginx-fastapi/stack.ts'
import { openStack } from '../support/reference-stack.ts'
import { runCli } from '../support/cli.ts'

const groupMembers = liveGroupMembers

const stackInfoOf = (dir: string) => JSON.parse(readFileSync(join(dir, 'stack.json'), 'utf8')) as StackInfo

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

  test('SIGINT in the middle of `layercheck run` tears the embedded stack down', async () => {
    let info: StackInfo | undefined
    const result = await runCli(['run', '--report-dir', join(STATE_DIR, 'sigint-report')], {
      onStdout: (text, child) => {
        // Interrupt once the first check has reported: the suites are mid-run.
        if (info || !/  [✓✗–!] /.test(text)) return
        const dir = readdirSync(STACKS_DIR).find((name) => name.startsWith(`compliant-${child.pid}-`))
        if (!dir) return
        info = stackInfoOf(join(STACKS_DIR, dir))
        child.kill('SIGINT')
      },
    })
    expect(info, result.stdout).toBeDefined()
    expect(result.code === 130 || result.signal === 'SIGINT').toBe(true)
    await pollUntil('the interrupted stack to be gone', async () => (groupMembers(info!.pids).length === 0 ? true : undefined), { timeoutMs: 10_000 })
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
