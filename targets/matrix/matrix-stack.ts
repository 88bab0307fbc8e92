import { randomBytes } from 'node:crypto'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { STACKS_DIR } from '../../harness/paths.ts'
import { freePorts } from '../../harness/process/free-port.ts'
import { StackProcesses } from '../../harness/process/stack-processes.ts'
import { startProcess } from '../../harness/process/process-group.ts'
import { TOKEN_ENV, waitForOk } from '../nginx-fastapi/stack.ts'
import { APPS, type AppKind } from './apps/app-kinds.ts'
import type { ErrorPages, FrontOptions, FrontProduct, FrontTuning } from './fronts/front-definition.ts'
import { FRONTS } from './fronts/fronts.ts'

/**
 * One cell of the target matrix: a real front proxy (nginx, HAProxy or Caddy)
 * in front of one app instance (FastAPI, Flask or Express on its own server),
 * both on free loopback ports, in a folder of their own. No fault proxy: the
 * front talks to the app directly.
 */

/** What every matrix front promises; a cell may override it (frontOverrides). */
export const MATRIX_FRONT_TUNING: Readonly<FrontTuning> = {
  // 1 MiB, refused by the front with 413 whatever the body's framing.
  maxBodyBytes: 1_048_576,
  // No response headers from the app within 2 s: the front answers 504.
  upstreamReadTimeoutMs: 2000,
}

export interface MatrixStackOptions {
  front: FrontProduct
  app: AppKind
  /** The front's own 413/502/503/504 pages: JSON shaped like the app's (default), or the product's stock pages. */
  errorPages?: ErrorPages
  /** The app's break switches (its AppDefinition lists them). */
  broken?: readonly string[]
  frontOverrides?: Partial<FrontTuning>
  /** Keep the stack's folder (configs, logs) after stop; by default it is removed. */
  keepDir?: boolean
  startTimeoutMs?: number
}

export interface MatrixStack {
  /** e.g. 'haproxy→flask (json errors)' */
  name: string
  /** The front's URL: what a run is aimed at. */
  baseUrl: string
  /** The app server's own URL, bypassing the front. */
  appUrl: string
  dir: string
  logs: { front: string; app: string }
  /** Secrets live only in memory and in env handed to the run; never on disk. */
  tokens: { user: string; admin: string }
  /** LAYERCHECK_TOKEN / LAYERCHECK_ADMIN_TOKEN → the tokens, for a run's environment. */
  env: Record<string, string>
  layout: { proxy: FrontProduct; server: string; app: string }
  front: { product: FrontProduct; version: string; errorPages: ErrorPages; hidesServerVersion: boolean } & FrontTuning
  appKind: AppKind
  /** Process-group leaders: the app server's, then the front's. */
  pids: number[]
  /** Stops the app server only, leaving the front up (to see the front's own 502/503). */
  stopApp(): Promise<void>
  /** Stops the front, then the app; removes the folder unless keepDir. */
  stop(): Promise<void>
}

export function matrixStackName(front: FrontProduct, app: AppKind, errorPages: ErrorPages): string {
  return `${front}→${app} (${errorPages} errors)`
}

export async function startMatrixStack(options: MatrixStackOptions): Promise<MatrixStack> {
  const front = FRONTS[options.front]
  const app = APPS[options.app]
  const errorPages = options.errorPages ?? 'json'
  const tuning: FrontTuning = { ...MATRIX_FRONT_TUNING, ...options.frontOverrides }
  const timeoutMs = options.startTimeoutMs ?? 30_000
  const dir = join(STACKS_DIR, `matrix-${options.front}-${options.app}-${process.pid}-${randomBytes(3).toString('hex')}`)
  const frontDir = join(dir, options.front)
  for (const sub of [frontDir, join(dir, 'logs')]) mkdirSync(sub, { recursive: true })
  const logs = { front: join(dir, 'logs', `${options.front}.log`), app: join(dir, 'logs', 'app.log') }
  const [frontPort, appPort] = await freePorts(2) as [number, number]
  const tokens = { user: randomBytes(24).toString('base64url'), admin: randomBytes(24).toString('base64url') }
  const healthPath = app.profile.probes?.healthPath ?? '/health'

  // Stopped in reverse order of start, the edge first; the folder goes with them unless kept.
  const group = new StackProcesses(dir, options.keepDir)
  const processes = group.list
  const stop = () => group.stop()

  try {
    const appServer = startProcess(app.launch({ host: '127.0.0.1', port: appPort, dir, logFile: logs.app, tokens, broken: options.broken }))
    processes.push(appServer)
    const appUrl = `http://127.0.0.1:${appPort}`
    await waitForOk(`${appUrl}${healthPath}`, `${options.app} (${app.layers.server})`, timeoutMs, appServer)

    const frontOptions: FrontOptions = { dir: frontDir, listenPort: frontPort, upstream: `127.0.0.1:${appPort}`, errorPages, logFile: logs.front, ...tuning }
    const rendered = front.render(frontOptions)
    for (const sub of rendered.dirs) mkdirSync(sub, { recursive: true })
    for (const [file, content] of Object.entries(rendered.files)) writeFileSync(file, content)
    const frontServer = startProcess(rendered.launch)
    processes.push(frontServer)
    const baseUrl = `http://127.0.0.1:${frontPort}`
    await waitForOk(`${baseUrl}${healthPath}`, options.front, timeoutMs, frontServer)

    return {
      name: matrixStackName(options.front, options.app, errorPages),
      baseUrl, appUrl, dir, logs, tokens,
      env: { [TOKEN_ENV.user]: tokens.user, [TOKEN_ENV.admin]: tokens.admin },
      layout: { proxy: front.product, server: app.layers.server, app: app.layers.app },
      front: { product: front.product, version: front.version(), errorPages, hidesServerVersion: front.hidesServerVersion, ...tuning },
      appKind: options.app,
      pids: processes.map((p) => p.pid),
      stopApp: () => appServer.stop(),
      stop,
    }
  } catch (error) {
    await stop()
    throw error
  }
}
