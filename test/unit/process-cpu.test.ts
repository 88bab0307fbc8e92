import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { isGeneratorBound } from '../../harness/bench/measure-modes.ts'
import { serverCpuDuring, serverCpuUnmeasurable } from '../../harness/bench/process-cpu.ts'

describe('server CPU: measured only for our own processes, only where /proc exists', () => {
  test('a deployment we did not start (no process groups): not measured, and why', () => {
    expect(serverCpuUnmeasurable([])).toBe('the server is not a process this run started (a remote or external deployment)')
  })

  test('no /proc (macOS, Windows, a container without it): not measured, and why', () => {
    const noProc = join(mkdtempSync(join(tmpdir(), 'layercheck-noproc-')), 'proc')
    expect(serverCpuUnmeasurable([process.pid], noProc)).toBe(`no ${noProc} on this system to read the server's CPU time from`)
  })

  test('our own process group on Linux: measurable', () => {
    expect(serverCpuUnmeasurable([process.pid])).toBeUndefined()
  })

  test('serverCpuDuring of a remote server: the load runs, no figure, the reason instead', async () => {
    const measured = await serverCpuDuring([], async () => 'loaded')
    expect(measured).toMatchObject({ result: 'loaded', notMeasured: expect.stringContaining('remote') })
    expect(measured.cpuPercent).toBeUndefined()
  })

  test('a run whose server CPU was not read is judged by the generator alone, not as a server idling at 0 %', () => {
    expect(isGeneratorBound({ generatorCpu: 40, serverCpu: undefined }, 2)).toBe(false)
    expect(isGeneratorBound({ generatorCpu: 95, serverCpu: undefined }, 2)).toBe(true)
    // Measured 0 % on a server of ours is another story: it idled while the generator worked.
    expect(isGeneratorBound({ generatorCpu: 40, serverCpu: 0 }, 2)).toBe(true)
  })
})
