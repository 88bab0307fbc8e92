import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { PROJECT_ROOT, VENV_BIN } from '../../../harness/paths.ts'
import type { StartOptions } from '../../../harness/process/process-group.ts'
import type { ProfileInput } from '../../../harness/profile/schema.ts'
import { APP_CONTRACT, CONTRACT_PROBES } from '../../app-contract.ts'

/**
 * The apps of the target matrix: how to start each one on a given address,
 * and what its profile documents. The fronts (nginx, HAProxy, Caddy) are
 * combined with these by the matrix stack.
 */

export type AppKind = 'fastapi' | 'flask' | 'express'

export interface AppLaunchOptions {
  host: string
  port: number
  /** The stack's own folder: logs/ and state live here. */
  dir: string
  /** One line per request, with its request ID, is appended here (the app log). */
  logFile: string
  tokens: { user: string; admin: string }
  /** Switches that break exactly one behaviour (negative controls), app-specific names. */
  broken?: readonly string[]
}

export interface AppDefinition {
  kind: AppKind
  /** What a profile's `layers` says for this app: e.g. { server: 'gunicorn', app: 'flask' }. */
  layers: { server: string; app: string }
  launch(options: AppLaunchOptions): StartOptions
  /** The app-specific part of the profile a user would write for it. Token env names: LAYERCHECK_TOKEN (user) and LAYERCHECK_ADMIN_TOKEN (admin). */
  profile: Partial<ProfileInput>
  /** The broken switches this app knows (validated at start: an unknown switch makes the app exit with a message). */
  breaks: readonly string[]
}

const NODE = join(PROJECT_ROOT, 'node_modules', '.bin', 'node')
const APPS_DIR = join(PROJECT_ROOT, 'targets', 'matrix', 'apps')

/** Environment every app gets: its secrets, its switches, nothing else of ours. */
function appEnv(options: AppLaunchOptions, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    APP_USER_TOKEN: options.tokens.user,
    APP_ADMIN_TOKEN: options.tokens.admin,
    APP_STATE_DIR: options.dir,
    LAYERCHECK_BROKEN: (options.broken ?? []).join(','),
    ...extra,
  }
}

const bindAddress = (host: string, port: number) => (host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`)

/** gunicorn's arguments shared by the Python apps: timeouts as the reference stack has them. */
function gunicornArgs(options: AppLaunchOptions, workerArgs: string[]): string[] {
  // gunicorn refuses to start when its access log's folder is missing.
  mkdirSync(join(options.dir, 'logs'), { recursive: true })
  return [
    ...workerArgs,
    '--bind', bindAddress(options.host, options.port),
    // Above nginx's upstream keepalive_timeout (60 s), so the proxy closes idle links first.
    '--keep-alive', '75', '--graceful-timeout', '3', '--timeout', '30',
    '--access-logfile', join(options.dir, 'logs', 'app-access.log'), '--error-logfile', options.logFile,
    // gunicorn ≥ 25 opens a control socket shared per user (~/.gunicorn): nothing here uses it.
    '--no-control-socket',
  ]
}

/** The switches the Flask and Express apps both know: one behaviour of the contract undone each. */
const WSGI_AND_NODE_BREAKS = [
  'allow-incomplete', 'www-authenticate-missing', 'scope-unchecked', 'lenient-content-type', 'first-error-only',
  'traceback', 'request-id-missing-on-errors', 'request-id-unvalidated', 'no-trusted-host', 'logs-login-body',
] as const

/** Flask and Express publish no OpenAPI document: their routes are listed (`{id}` is probed as 1). */
const LISTED_ROUTES = [
  { path: '/health', methods: ['GET', 'HEAD'] },
  { path: '/items', methods: ['GET', 'HEAD', 'POST'] },
  { path: '/items/{id}', methods: ['DELETE', 'GET', 'HEAD'] },
  { path: '/me', methods: ['GET', 'HEAD'] },
  { path: '/admin/stats', methods: ['GET', 'HEAD'] },
  { path: '/login', methods: ['POST'] },
  { path: '/boom', methods: ['GET', 'HEAD'] },
]

const fastapi: AppDefinition = {
  kind: 'fastapi',
  layers: { server: 'gunicorn+uvicorn', app: 'fastapi' },
  // The reference app, unchanged, started as targets/nginx-fastapi/stack.ts starts it (one worker).
  launch: (options) => ({
    name: 'gunicorn+uvicorn (fastapi)',
    command: join(VENV_BIN, 'gunicorn'),
    logFile: options.logFile,
    env: appEnv(options, {
      APP_INSTANCE: 'a',
      // Nothing listens on the discard port: /downstream is outside the matrix's profile.
      APP_DOWNSTREAM_URL: 'http://127.0.0.1:9',
      APP_RATE_LIMIT: '5/3',
    }),
    args: gunicornArgs(options, [
      // main:asgi, as the reference runs it: the app notes the connection's peer before applying X-Forwarded-*.
      'main:asgi', '--chdir', join(PROJECT_ROOT, 'targets', 'nginx-fastapi', 'app'), '--forwarded-allow-ips', '',
      '--worker-class', 'uvicorn.workers.UvicornWorker', '--workers', '1',
    ]),
  }),
  profile: {
    // The reference app's slow, large and crash routes: the timed checks run behind every front, no Toxiproxy.
    routes: { openapi: '/openapi.json', slow: '/slow?ms={ms}', large: '/large?kb=64', crash: { method: 'POST', path: '/crash', recoveryMs: 5000 } },
    probes: CONTRACT_PROBES,
    // FastAPI ≥ 0.132 (strict_content_type): a JSON body labelled otherwise gets Pydantic's 422.
    contentType: { mismatchStatus: 422 },
    // What the app saw: client address, headers, HTTP version and the peer's port (the proxy→app hop check).
    forwarded: { echoPath: '/echo/headers' },
    ...APP_CONTRACT,
  },
  // As KNOWN_BREAKS in targets/nginx-fastapi/app/main.py.
  breaks: [
    'allow-incomplete', 'allow-stale-on-large', 'unknown-method-400', 'www-authenticate-missing', 'auth-403', 'scope-unchecked', 'stats-auth-ignored', 'lenient-content-type',
    'optional-body', 'first-error-only', 'traceback', 'request-id-missing-on-errors', 'request-id-unvalidated',
    'request-id-replaced', 'request-id-not-generated', 'handler-timeout-500', 'stream-large',
    'cors-wildcard-credentials', 'no-trusted-host', 'no-cors', 'logs-login-body', 'rate-limit-before-auth',
    'rate-limit-no-retry-after', 'downstream-drops-request-id', 'name-length-unchecked', 'item-id-untyped', 'validation-400', 'large-unbounded', 'unparseable-undeclared',
  ],
}

const flask: AppDefinition = {
  kind: 'flask',
  layers: { server: 'gunicorn', app: 'flask' },
  launch: (options) => ({
    name: 'gunicorn (flask)',
    command: join(VENV_BIN, 'gunicorn'),
    logFile: options.logFile,
    env: appEnv(options),
    // Sync workers (gunicorn's default): one request at a time each, so two of them.
    args: gunicornArgs(options, ['app:app', '--chdir', join(APPS_DIR, 'flask'), '--workers', '2']),
  }),
  profile: {
    routes: { list: LISTED_ROUTES },
    probes: CONTRACT_PROBES,
    // request.get_json() refuses another Content-Type with Werkzeug's 415; no body at all is a 422 naming "body".
    contentType: { mismatchStatus: 415 },
    ...APP_CONTRACT,
  },
  // As KNOWN_BREAKS in flask/app.py.
  breaks: WSGI_AND_NODE_BREAKS,
}

const express: AppDefinition = {
  kind: 'express',
  layers: { server: 'node', app: 'express' },
  launch: (options) => ({
    name: 'node (express)',
    command: NODE,
    args: [join(APPS_DIR, 'express', 'server.mjs')],
    logFile: options.logFile,
    env: appEnv(options, { HOST: options.host, PORT: String(options.port), NODE_ENV: 'production' }),
  }),
  profile: {
    routes: { list: LISTED_ROUTES },
    probes: CONTRACT_PROBES,
    // A body not labelled application/json gets 415 before express.json() would skip it; no body at all is a 422 naming "body".
    contentType: { mismatchStatus: 415 },
    ...APP_CONTRACT,
  },
  // As KNOWN_BREAKS in express/server.mjs.
  breaks: WSGI_AND_NODE_BREAKS,
}

export const APPS: Readonly<Record<AppKind, AppDefinition>> = Object.freeze({ fastapi, flask, express })
