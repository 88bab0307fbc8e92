import { randomBytes } from 'node:crypto'
import { mkdirSync, writeFileSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { request } from 'undici'
import { CERTS_DIR, codeModule, PROJECT_ROOT, STACKS_DIR, TOXIPROXY_SERVER, VENV_BIN } from '../../harness/paths.ts'
import { freePorts } from '../../harness/process/free-port.ts'
import { pollUntil } from '../../harness/process/poll.ts'
import { StackProcesses } from '../../harness/process/stack-processes.ts'
import { startProcess, type ManagedProcess } from '../../harness/process/process-group.ts'
import { createLink, waitForToxiproxy, type ProxiedLink } from '../../harness/toxiproxy/toxiproxy-api.ts'
import { renderNginxConf, type NginxOptions } from './nginx-conf.ts'
import { assertStackPrerequisites } from './prerequisites.ts'
import { COMPLIANT, type StackVariant } from './variants.ts'

export { TOKEN_ENV } from '../app-contract.ts'

/** One app instance (gunicorn with uvicorn workers) and the Toxiproxy link nginx reaches it through. */
export interface AppInstance {
  name: string
  /** Direct URL of the app server, bypassing nginx and Toxiproxy. */
  url: string
  link: ProxiedLink
}

export interface StackInfo {
  variant: string
  dir: string
  httpUrl: string
  httpsUrl: string
  caFile: string
  toxiproxyApi: string
  /** nginx balances over these, as in the seed's two-server upstream block. */
  apps: AppInstance[]
  /** nginx's stub_status: connections it accepted and requests it served, counted by the server. */
  statusUrl: string
  /** The downstream service the app calls from /downstream: records what reaches it (GET /__captured). */
  captureUrl: string
  logs: { nginxAccess: string; nginxError: string; app: string; appAccess: string; toxiproxy: string }
  /** Process-group leaders, for `layercheck stack down`. */
  pids: number[]
}

export interface ReferenceStack extends StackInfo {
  /** Secrets live only in memory and in env handed to the run; never on disk. */
  tokens: { user: string; admin: string }
  stop(): Promise<void>
  /** Leave the processes running when this process exits. */
  release(): void
}

export interface StartOptions {
  variant?: StackVariant
  /** Workers per app instance. One each, so a crashed worker is observable (not masked by a sibling). */
  workers?: number
  startTimeoutMs?: number
  /** Keep the stack's folder (config, logs) after stop; by default it is removed. */
  keepDir?: boolean
  /** App instances behind nginx: two, as in the seed's upstream block; one for the worker-scaling benchmark. */
  instances?: 1 | 2
  /**
   * Route nginx → app through Toxiproxy (default). Benchmarks turn it off: a
   * real deployment has no fault proxy, and its CPU would count as the server's.
   */
  faultProxy?: boolean
}

const NGINX = '/usr/sbin/nginx'
const CAPTURE_SERVER = codeModule('harness/capture/capture-server')
const APP_INSTANCE_NAMES = ['a', 'b']

/**
 * The timing the reference stack documents (and its profile states): nginx
 * waits 2 s for an app and tries the next instance once on an error or
 * timeout (2 s, not less: on a busy 2-core machine a healthy answer can take
 * a good part of a second). max_fails=0: no passive marking, so no error outlives its fault
 * (nginx's default, max_fails=1 fail_timeout=10s, answers 502 "no live
 * upstreams" for up to 10 s after both instances come back).
 */
export const REFERENCE_TIMEOUTS = {
  proxyReadTimeoutMs: 2000,
  nextUpstream: 'error timeout',
  nextUpstreamTries: 2,
  upstreamServerParams: 'max_fails=0',
  upstreamHttpVersion: '1.1',
  // At least the concurrency any benchmark here uses (32), or upstream connections churn and p99 explodes.
  upstreamKeepalive: 32,
} as const

/** The app's documented quota on /limited: requests per window, per token (shared by every worker). */
export const REFERENCE_RATE_LIMIT = { requests: 5, windowS: 3 } as const

/** What the reference edge documents about its response headers. */
export const REFERENCE_HEADERS = {
  serverTokens: false,
  gzip: true,
  gzipVary: true,
  gzipMinBytes: 1024,
  nosniff: true,
  hstsMaxAgeS: 31_536_000,
  forwardedFor: 'overwrite',
  forwardedProto: 'scheme',
  // Short, so the idle-timeout probe takes seconds; long enough for any benchmark's busy connections.
  keepaliveTimeoutMs: 3000,
} as const

/**
 * How long nginx waits for a stalled client (client_header_timeout,
 * client_body_timeout): 2 s, not nginx's 60 s default, so the slow-client
 * probes take seconds. The profile documents the same values.
 */
export const REFERENCE_CLIENT_TIMEOUTS = { clientHeaderTimeoutMs: 2000, clientBodyTimeoutMs: 2000 } as const

/** gunicorn with uvicorn workers (a supervisor that respawns them), or a variant's bare uvicorn. */
function appServerCommand(app: AppInstance, variant: StackVariant, workers: number, logs: StackInfo['logs'], env: NodeJS.ProcessEnv) {
  const [host, port] = app.link.upstream.split(':') as [string, string]
  const chdir = join(PROJECT_ROOT, 'targets/nginx-fastapi/app')
  if (variant.appServer === 'uvicorn') {
    return {
      name: `uvicorn ${app.name}`, command: join(VENV_BIN, 'uvicorn'), logFile: logs.app, env,
      // main:asgi applies the forwarded headers itself, after noting the connection's peer (see main.py).
      args: ['main:asgi', '--app-dir', chdir, '--host', host, '--port', port, '--timeout-keep-alive', '75', '--forwarded-allow-ips', ''],
    }
  }
  return {
    name: `gunicorn ${app.name}`, command: join(VENV_BIN, 'gunicorn'), logFile: logs.app, env,
    args: [
      // main:asgi applies the forwarded headers itself, after noting the connection's peer (see main.py).
      'main:asgi', '--chdir', chdir, '--forwarded-allow-ips', '',
      '--worker-class', 'uvicorn.workers.UvicornWorker', '--workers', String(workers),
      '--bind', `${host}:${port}`,
      // Above nginx's upstream keepalive_timeout (60 s), so nginx closes idle links first.
      '--keep-alive', '75', '--graceful-timeout', '3', '--timeout', '30',
      '--access-logfile', logs.appAccess, '--error-logfile', logs.app,
      // gunicorn ≥ 25 opens a control socket shared per user (~/.gunicorn): nothing here uses it.
      '--no-control-socket',
    ],
  }
}

export async function startReferenceStack(options: StartOptions = {}): Promise<ReferenceStack> {
  assertStackPrerequisites()
  const variant = options.variant ?? COMPLIANT
  const timeoutMs = options.startTimeoutMs ?? 30_000
  const dir = join(STACKS_DIR, `${variant.name}-${process.pid}-${randomBytes(3).toString('hex')}`)
  for (const sub of ['logs', 'tmp']) mkdirSync(join(dir, sub), { recursive: true })
  const instanceNames = APP_INSTANCE_NAMES.slice(0, options.instances ?? 2)
  const [httpPort, httpsPort, statusPort, apiPort, capturePort, ...instancePorts] = await freePorts(5 + 2 * instanceNames.length)
  const tokens = { user: randomBytes(24).toString('base64url'), admin: randomBytes(24).toString('base64url') }
  const logs = {
    nginxAccess: join(dir, 'logs', 'access.log'),
    nginxError: join(dir, 'logs', 'error.log'),
    // Both instances append to one app log: one place to look for a request ID.
    app: join(dir, 'logs', 'app.log'),
    appAccess: join(dir, 'logs', 'app-access.log'),
    toxiproxy: join(dir, 'logs', 'toxiproxy.log'),
  }
  // Stopped in reverse order of start, the edge first; the folder goes with them unless kept.
  const group = new StackProcesses(dir, options.keepDir)
  const processes = group.list
  const stop = () => group.stop()

  try {
    const toxiproxyApi = `http://127.0.0.1:${apiPort}`
    const captureUrl = `http://127.0.0.1:${capturePort}`
    processes.push(startProcess({
      name: 'capture server', command: process.execPath, args: [CAPTURE_SERVER, String(capturePort)], logFile: join(dir, 'logs', 'capture.log'),
    }))
    processes.push(startProcess({
      name: 'toxiproxy', command: TOXIPROXY_SERVER, args: ['-host', '127.0.0.1', '-port', String(apiPort)], logFile: logs.toxiproxy,
    }))
    const apps: AppInstance[] = instanceNames.map((name, i) => {
      const [linkPort, appPort] = [instancePorts[2 * i]!, instancePorts[2 * i + 1]!]
      return {
        name,
        url: `http://127.0.0.1:${appPort}`,
        link: { name: `nginx_to_app_${name}`, listen: `127.0.0.1:${linkPort}`, upstream: `127.0.0.1:${appPort}` },
      }
    })
    const appProcesses = apps.map((app) => startProcess(appServerCommand(app, variant, options.workers ?? 1, logs, {
      PATH: process.env.PATH,
      LAYERCHECK_BROKEN: (variant.appBreaks ?? []).join(','),
      APP_INSTANCE: app.name,
      // Shared by both instances: state that must be global (the rate limit's counters).
      APP_STATE_DIR: dir,
      APP_DOWNSTREAM_URL: captureUrl,
      APP_RATE_LIMIT: `${REFERENCE_RATE_LIMIT.requests}/${REFERENCE_RATE_LIMIT.windowS}`,
      APP_USER_TOKEN: tokens.user,
      APP_ADMIN_TOKEN: tokens.admin,
    })))
    processes.push(...appProcesses)

    await waitForToxiproxy(toxiproxyApi, timeoutMs)
    for (const app of apps) await createLink(toxiproxyApi, app.link)
    await Promise.all(apps.map((app, i) => waitForOk(`${app.url}/health`, `app instance ${app.name}`, timeoutMs, appProcesses[i]!)))
    await waitForOk(`${captureUrl}/__captured`, 'the capture server', timeoutMs, processes[0]!)

    const nginxOptions: NginxOptions = {
      prefix: dir, httpPort, httpsPort, statusPort, upstreams: apps.map((app) => (options.faultProxy === false ? app.link.upstream : app.link.listen)),
      certFile: join(CERTS_DIR, 'server.crt'), keyFile: join(CERTS_DIR, 'server.key'),
      clientMaxBodySize: '1m', interceptErrors: false, requestId: 'validate-or-generate', requestIdOnProxyErrors: true,
      ...REFERENCE_TIMEOUTS,
      ...REFERENCE_CLIENT_TIMEOUTS,
      ...REFERENCE_HEADERS,
      runAsRoot: process.getuid?.() === 0,
      // TRACE and CONNECT reach the app, whose 405 carries the path's Allow (nginx's own has none).
      refusedMethodsToApp: true,
      ...variant.nginx,
    }
    for (const sub of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) mkdirSync(join(dir, 'tmp', sub), { recursive: true })
    const conf = join(dir, 'nginx.conf')
    writeFileSync(conf, renderNginxConf(nginxOptions))
    const nginx = startProcess({
      name: 'nginx', command: NGINX, args: ['-p', dir, '-c', conf, '-e', logs.nginxError, '-g', 'daemon off;'], logFile: logs.nginxError,
    })
    processes.push(nginx)
    const httpUrl = `http://127.0.0.1:${httpPort}`
    await waitForOk(`${httpUrl}/health`, 'nginx', timeoutMs, nginx)

    const info: StackInfo = {
      variant: variant.name, dir, httpUrl, httpsUrl: `https://localhost:${httpsPort}`, statusUrl: `http://127.0.0.1:${statusPort}/nginx_status`, caFile: join(CERTS_DIR, 'ca.crt'),
      toxiproxyApi, apps, captureUrl, logs, pids: processes.map((p) => p.pid),
    }
    writeFileSync(join(dir, 'stack.json'), JSON.stringify(info, null, 2))
    return {
      ...info, tokens, stop,
      release: () => processes.forEach((p) => p.release()),
    }
  } catch (error) {
    await stop()
    throw error
  }
}

export async function waitForOk(url: string, what: string, timeoutMs: number, child: ManagedProcess): Promise<void> {
  await pollUntil(`${what} to answer 200 on ${url}`, async () => {
    if (child.exited()) throw new StackStartError(what, child.logFile)
    const res = await request(url, { headersTimeout: 2000, bodyTimeout: 2000 })
    await res.body.dump()
    return res.statusCode === 200 ? true : undefined
  }, { timeoutMs, intervalMs: 100 }).catch((error) => {
    if (error instanceof StackStartError) throw error
    const cause = (error as { lastError?: unknown }).lastError
    if (cause instanceof StackStartError) throw cause
    throw new StackStartError(what, child.logFile, error)
  })
}

export class StackStartError extends Error {
  readonly code = 'LAYERCHECK_STACK_START'
  constructor(what: string, logFile: string, cause?: unknown) {
    let tail = ''
    try {
      tail = readFileSync(logFile, 'utf8').trim().split('\n').slice(-8).join('\n    ')
    } catch { /* no log yet */ }
    super(`${what} did not come up${cause instanceof Error ? ` (${cause.message})` : ''}; last lines of ${logFile}:\n    ${tail || '(empty)'}`, { cause })
  }
}
