import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { cpus } from 'node:os'
import { join, resolve } from 'node:path'
import { measureKeepAliveGain } from '../harness/bench/keep-alive-gain.ts'
import type { BenchReport } from '../harness/model/bench-result.ts'
import { renderBenchText } from '../reports/bench-text.ts'
import { startReferenceStack } from '../targets/nginx-fastapi/stack.ts'

export interface BenchOptions {
  reportDir: string
  connections: number
  durationS: number
  repeats: number
}

/**
 * `layercheck bench`: the client keep-alive gain over HTTP and TLS on the
 * embedded reference stack, measured side by side. Worker scaling, upstream
 * keep-alive and thresholds are still to come (issue 6).
 */
export async function benchCommand(options: BenchOptions, log: (line: string) => void): Promise<number> {
  log('starting the embedded reference stack…')
  const stack = await startReferenceStack()
  try {
    const settings = { connections: options.connections, durationMs: options.durationS * 1000, repeats: options.repeats, warmupMs: 1000 }
    const common = { ...settings, serverGroups: stack.pids }
    const gains = [
      await measureKeepAliveGain({ ...common, name: 'client keep-alive gain, HTTP', url: `${stack.httpUrl}/health` }, log),
      await measureKeepAliveGain({ ...common, name: 'client keep-alive gain, TLS', url: `${stack.httpsUrl}/health`, ca: readFileSync(stack.caFile) }, log),
    ]
    const report: BenchReport = {
      machine: { cores: cpus().length, note: 'generator and server share the cores: figures measure this box, not the server alone' },
      settings,
      gains,
    }
    const dir = resolve(options.reportDir)
    mkdirSync(dir, { recursive: true })
    writeFileSync(join(dir, 'bench.json'), `${JSON.stringify(report, null, 2)}\n`)
    log('')
    log(renderBenchText(report))
    log(`\nbench.json: ${join(dir, 'bench.json')}`)
    return 0
  } finally {
    await stack.stop()
  }
}
