// Issue 14's acceptance, side by side: Schemathesis (`st run … --checks all`)
// and `layercheck run` against the same embedded reference stack, one after the
// other. Prints each tool's wall time and the requests it sent — counted the same
// way for both, from the lines nginx appended to the stack's own access log
// while the tool ran — then every Schemathesis finding about status codes and
// headers beside the layercheck check that reports it (id, verdict, who answered),
// or NOT FOUND, and what layercheck found that Schemathesis did not.
// Not a test — a benchmark anyone can rerun:
//   node_modules/.bin/node bench/schemathesis-side-by-side.ts [--variant <name>] [--max-examples N] [--seed N] [--keep <dir>]
//   node_modules/.bin/node bench/schemathesis-side-by-side.ts --from <dir>   # print a kept run's comparison again, no traffic
// Schemathesis is installed by this script alone, in a venv of its own
// (.layercheck/bench-venvs/schemathesis-<version>, reused once complete); never
// in the project's .venv, never by the tests. Only loopback is ever contacted.

import { spawn } from 'node:child_process'
import { createReadStream, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import type { CheckResult, Exchange, RunReport } from '../harness/model/check-result.ts'
import { answeredByOf, formatAnsweredBy, formatDuration, isWarning, verdictLabelOf } from '../harness/model/report-view.ts'
import { CODE_ROOT, STATE_DIR } from '../harness/paths.ts'
import { pollUntil } from '../harness/process/poll.ts'
import { onInterrupt } from '../harness/process/shutdown.ts'
import { referenceProfile } from '../targets/nginx-fastapi/profile.ts'
import { startReferenceStack, TOKEN_ENV, type ReferenceStack } from '../targets/nginx-fastapi/stack.ts'
import { findVariant } from '../targets/nginx-fastapi/variants.ts'

/** The newest 4.x that installs with Python 3.11 here (PyPI, 2026-11). */
const SCHEMATHESIS_VERSION = '4.32.5'
const VENV = join(STATE_DIR, 'bench-venvs', `schemathesis-${SCHEMATHESIS_VERSION}`)
/** Written last: a venv without it is half-built and is made again. */
const VENV_COMPLETE = join(VENV, '.complete')
const VENV_TIMEOUT_MS = 60_000
const PIP_TIMEOUT_MS = 300_000
/** Schemathesis at the default 20 examples took 32–38 s on 2 cores: generous, but finite. */
const SCHEMATHESIS_TIMEOUT_MS = 600_000
/** A reference `layercheck run` takes about a minute on 2 cores (bench/floor-ratio.ts). */
const LAYERCHECK_TIMEOUT_MS = 420_000
/** Per request: above the reference's documented 504 (2 tries × 2 s proxy_read_timeout). */
const ST_REQUEST_TIMEOUT_S = 10
/** How long the access log must stay still before a tool's window is closed, and the most we wait for that (ms). */
const LOG_QUIET_MS = 1000
const LOG_SETTLE_TIMEOUT_MS = 15_000

// --- options, validated once -------------------------------------------------

interface Options { variant: string; maxExamples: number; seed: number; keep?: string; from?: string }

function parseOptions(argv: readonly string[]): Options {
  const options: Options = { variant: 'compliant', maxExamples: 20, seed: 1 }
  for (let i = 0; i < argv.length; i++) {
    const [flag, value] = [argv[i]!, argv[i + 1]]
    if (value === undefined || value.startsWith('--')) throw new Error(`${flag} needs a value`)
    i++
    if (flag === '--variant') options.variant = value
    else if (flag === '--keep') options.keep = value
    else if (flag === '--from') options.from = value
    else if (flag === '--max-examples' || flag === '--seed') {
      const n = Number(value)
      const [min, max] = flag === '--seed' ? [0, 2 ** 31 - 1] : [1, 1000]
      if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${flag} must be an integer from ${min} to ${max}, got ${value}`)
      if (flag === '--seed') options.seed = n
      else options.maxExamples = n
    } else throw new Error(`unknown option ${flag}; known: --variant, --max-examples, --seed, --keep, --from`)
  }
  return options
}

// --- which Schemathesis checks are about status codes and headers -------------

type Topic = 'status' | 'headers' | 'body' | 'resource state'

/**
 * Schemathesis 4's checks (`st run --help`) and what each judges. In scope: those
 * judged on one exchange's status code or headers. Out: the body's schema, and
 * resource state across calls (a deleted item still served, another user's object
 * reachable) — facts about the app's data, not about how the stack answers.
 * `related`: the layercheck check ids (globs) that can report the same problem, the closest first.
 */
const ST_CHECKS: Record<string, { topic: Topic; what: string; related: string[] }> = {
  not_a_server_error: { topic: 'status', what: 'answered 5xx', related: ['handler.unhandled-exception.500', 'validation.schema.every-operation', '*'] },
  status_code_conformance: { topic: 'status', what: 'answered a status the document does not declare', related: ['validation.schema.documented-statuses', '*'] },
  negative_data_rejection: { topic: 'status', what: 'schema-invalid input accepted (2xx, not 4xx)', related: ['validation.*', 'middleware.auth.*'] },
  positive_data_acceptance: { topic: 'status', what: 'schema-valid input refused with 4xx', related: ['validation.*'] },
  missing_required_header: { topic: 'status', what: 'a required header left out, not answered 4xx', related: ['validation.*', 'middleware.*'] },
  ignored_auth: { topic: 'status', what: 'declares auth but answers without valid credentials', related: ['middleware.auth.*'] },
  unsupported_method: { topic: 'headers', what: 'an undocumented method not answered 405 with Allow', related: ['routing.*'] },
  allow_header_conformance: { topic: 'headers', what: 'Allow does not match the documented methods', related: ['routing.*'] },
  response_headers_conformance: { topic: 'headers', what: 'a documented response header missing or malformed', related: ['proxy.headers.*', 'middleware.*', 'validation.schema.*'] },
  content_type_conformance: { topic: 'headers', what: 'Content-Type not among the documented media types', related: ['validation.schema.*', 'routing.*', 'handler.*', 'proxy.*'] },
  response_schema_conformance: { topic: 'body', what: 'the body does not match its schema', related: [] },
  use_after_free: { topic: 'resource state', what: 'a deleted resource is still served', related: [] },
  ensure_resource_availability: { topic: 'resource state', what: 'a created resource is not found', related: [] },
  object_level_authorization: { topic: 'resource state', what: "another user's object is reachable", related: [] },
}
const inScope = (check: string) => { const topic = ST_CHECKS[check]?.topic; return topic === undefined || topic === 'status' || topic === 'headers' }

// --- children: each in a process group of its own, bounded, killed by pid ------

interface ChildRun { code: number | null; wallMs: number; timedOut: boolean; output: string }

const running = new Set<number>()
const killGroup = (pid: number, signal: NodeJS.Signals) => { try { process.kill(-pid, signal) } catch { /* gone */ } }
// Phase 0: the tools stop before the stack (phase 2) goes.
onInterrupt(async () => { for (const pid of running) killGroup(pid, 'SIGKILL') }, 0)

function runChild(command: string, args: string[], opts: { timeoutMs: number; env?: NodeJS.ProcessEnv; cwd?: string }): Promise<ChildRun> {
  const started = performance.now()
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: opts.cwd ?? CODE_ROOT, env: opts.env ?? process.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] })
    // No pid: the command could not start, and 'error' says why.
    const pid = child.pid ?? 0
    if (pid) running.add(pid)
    let output = ''
    let timedOut = false
    let lastResort: NodeJS.Timeout | undefined
    const keep = (chunk: Buffer) => { output = (output + chunk.toString()).slice(-200_000) }
    child.stdout.on('data', keep)
    child.stderr.on('data', keep)
    const timer = setTimeout(() => {
      if (!pid) return
      timedOut = true
      killGroup(pid, 'SIGTERM')
      lastResort = setTimeout(() => killGroup(pid, 'SIGKILL'), 5000)
    }, opts.timeoutMs)
    child.on('error', (error) => { clearTimeout(timer); running.delete(pid); reject(error) })
    child.on('close', (code) => {
      clearTimeout(timer)
      clearTimeout(lastResort)
      running.delete(pid)
      // Whatever the leader left behind in its group goes with it.
      if (pid) killGroup(pid, 'SIGKILL')
      resolve({ code, wallMs: performance.now() - started, timedOut, output })
    })
  })
}

async function ensureSchemathesis(log: (line: string) => void): Promise<string> {
  const st = join(VENV, 'bin', 'st')
  if (!existsSync(VENV_COMPLETE)) {
    log(`installing schemathesis==${SCHEMATHESIS_VERSION} into ${VENV} (a venv of its own; not the project's .venv)`)
    rmSync(VENV, { recursive: true, force: true })
    mkdirSync(join(VENV, '..'), { recursive: true })
    const python = process.env.PYTHON ?? 'python3'
    for (const [command, args, timeoutMs] of [
      [python, ['-m', 'venv', VENV], VENV_TIMEOUT_MS],
      [join(VENV, 'bin', 'python'), ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', `schemathesis==${SCHEMATHESIS_VERSION}`], PIP_TIMEOUT_MS],
    ] as const) {
      const result = await runChild(command, [...args], { timeoutMs })
      if (result.code !== 0) throw new Error(`${command} ${args.join(' ')} ${result.timedOut ? `timed out after ${formatDuration(timeoutMs)}` : `exited ${result.code}`}:\n${result.output.slice(-2000)}`)
    }
    writeFileSync(VENV_COMPLETE, `${SCHEMATHESIS_VERSION}\n`)
  }
  const version = await runChild(st, ['--version'], { timeoutMs: 30_000 })
  if (!version.output.includes(SCHEMATHESIS_VERSION)) throw new Error(`${st} --version says ${JSON.stringify(version.output.trim())}, expected ${SCHEMATHESIS_VERSION}; remove ${VENV} and rerun`)
  return st
}

// --- counting requests where nginx counts them -----------------------------------

/** Lines of the access log: nginx writes one per request it read (the status listener logs nothing). */
function logLines(file: string): string[] {
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : []
}

/** Waits until nginx has logged the last answer of a run (a request in flight is logged when it ends). */
async function settledLineCount(file: string): Promise<number> {
  let last = -1
  let stillSince = Date.now()
  return pollUntil('the access log to stop growing', async () => {
    const size = existsSync(file) ? statSync(file).size : 0
    if (size !== last) { last = size; stillSince = Date.now(); return undefined }
    return Date.now() - stillSince >= LOG_QUIET_MS ? logLines(file).length : undefined
  }, { timeoutMs: LOG_SETTLE_TIMEOUT_MS, intervalMs: 200 }).catch(() => logLines(file).length)
}

interface Traffic { requests: number; byClass: Record<string, number> }

/** `"GET /x HTTP/1.1" 200 …`: the combined format's status follows the quoted request line. */
function trafficOf(lines: readonly string[]): Traffic {
  const byClass: Record<string, number> = {}
  for (const line of lines) {
    const status = /" (\d)\d\d /.exec(line)?.[1]
    const key = status ? `${status}xx` : '???'
    byClass[key] = (byClass[key] ?? 0) + 1
  }
  return { requests: lines.length, byClass }
}

interface LoggedRequest { method: string; path: string; status: number }

/** The request line and status of one combined-format line; undefined for what nginx could not parse as a request. */
function loggedRequest(line: string): LoggedRequest | undefined {
  const match = /"([A-Z_-]+) (\S+) HTTP\/[\d.]+" (\d{3}) /.exec(line)
  if (!match) return undefined
  const raw = match[2]!.split('?')[0]!
  let path = raw
  try { path = decodeURIComponent(raw) } catch { /* keep it encoded */ }
  return { method: match[1]!, path, status: Number(match[3]) }
}

interface ToolResult { tool: string; wallMs: number; code: number | null; timedOut: boolean; traffic: Traffic; requests: LoggedRequest[]; lines: string[]; output: string }

async function measured(tool: string, logFile: string, run: () => Promise<ChildRun>): Promise<ToolResult> {
  const before = await settledLineCount(logFile)
  const result = await run()
  await settledLineCount(logFile)
  const lines = logLines(logFile).slice(before)
  return {
    tool, wallMs: result.wallMs, code: result.code, timedOut: result.timedOut, traffic: trafficOf(lines), lines, output: result.output,
    requests: lines.map(loggedRequest).filter((r): r is LoggedRequest => r !== undefined),
  }
}

// --- the two tools -----------------------------------------------------------------

function tokenEnv(stack: ReferenceStack): NodeJS.ProcessEnv {
  return { ...process.env, [TOKEN_ENV.user]: stack.tokens.user, [TOKEN_ENV.admin]: stack.tokens.admin, NO_COLOR: '1' }
}

function runSchemathesis(st: string, stack: ReferenceStack, dir: string, options: Options): Promise<ChildRun> {
  // The token stays in the environment: the config names it, Schemathesis substitutes it.
  const config = join(dir, 'schemathesis.toml')
  writeFileSync(config, `headers = { Authorization = "Bearer \${${TOKEN_ENV.user}}" }\n`)
  return runChild(st, [
    '--config-file', config, 'run', `${stack.httpUrl}/openapi.json`,
    '--checks', 'all', '--max-examples', String(options.maxExamples), '--seed', String(options.seed),
    '--request-timeout', String(ST_REQUEST_TIMEOUT_S), '--generation-database', 'none',
    '--report', 'ndjson,junit', '--report-dir', join(dir, 'schemathesis'), '--no-color',
  ], { timeoutMs: SCHEMATHESIS_TIMEOUT_MS, env: tokenEnv(stack), cwd: dir })
}

function runLayercheck(stack: ReferenceStack, dir: string): Promise<ChildRun> {
  const profile = join(dir, 'profile.json')
  writeFileSync(profile, JSON.stringify(referenceProfile(stack), null, 2))
  return runChild(process.execPath, [join(CODE_ROOT, 'bin/layercheck.js'), 'run', '--config', profile, '--report-dir', join(dir, 'layercheck'), '--no-color'],
    { timeoutMs: LAYERCHECK_TIMEOUT_MS, env: tokenEnv(stack) })
}

// --- Schemathesis's findings, from its NDJSON event stream ---------------------------

interface StFinding {
  check: string
  code: string
  title: string
  /** `GET /items/{item_id}`: the operation the failure is filed under. */
  operation: string
  /** What Schemathesis sent and saw. */
  method: string
  url: string
  status?: number
  /** The body Schemathesis sent and the start of the one it got, escaped. */
  sentBody?: string
  answer?: string
  message: string
  phase: string
  /** Findings folded into this one: the same operation, check and status. */
  count: number
}

interface StScenario {
  phase: string
  recorder: {
    cases?: Record<string, { value: { method: string; path: string; body?: unknown; media_type?: string } }>
    checks?: Record<string, { name: string; status: string; failure_info?: { failure: { code: string; title: string; operation: string; message: string } } }[]>
    interactions?: Record<string, { request: { method: string; uri: string }; response?: { status_code: number; content?: { $base64?: string } | null } | null }>
  }
}

/** A body as Schemathesis records it (`{ $base64 }` for bytes, else the JSON value), escaped and cut to 160 characters. */
function excerpt(body: unknown): string {
  const base64 = (body as { $base64?: unknown } | null)?.$base64
  const text = typeof base64 === 'string'
    ? [...Buffer.from(base64, 'base64')].map((b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, '0')}`)).join('')
    : JSON.stringify(body).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
  return text.length > 160 ? `${text.slice(0, 160)}…` : text
}

async function readStFindings(reportDir: string): Promise<StFinding[]> {
  const file = readdirSync(reportDir).find((name) => name.endsWith('.ndjson'))
  if (!file) throw new Error(`Schemathesis wrote no NDJSON report in ${reportDir}`)
  const findings = new Map<string, StFinding>()
  for await (const line of createInterface({ input: createReadStream(join(reportDir, file)) })) {
    if (!line.includes('"ScenarioFinished"')) continue
    const scenario = (JSON.parse(line) as { ScenarioFinished?: StScenario }).ScenarioFinished
    for (const [caseId, checks] of Object.entries(scenario?.recorder.checks ?? {})) {
      for (const check of checks) {
        if (check.status !== 'failure' || !check.failure_info) continue
        const failure = check.failure_info.failure
        const exchange = scenario!.recorder.interactions?.[caseId]
        const sent = scenario!.recorder.cases?.[caseId]?.value
        const status = exchange?.response?.status_code
        const key = `${failure.operation} ${check.name} ${status}`
        const seen = findings.get(key)
        if (seen) { seen.count++; continue }
        findings.set(key, {
          check: check.name, code: failure.code, title: failure.title, operation: failure.operation,
          method: exchange?.request.method ?? sent?.method ?? '?', url: exchange?.request.uri ?? sent?.path ?? '?',
          status, message: failure.message, phase: scenario!.phase, count: 1,
          sentBody: sent?.body === undefined ? undefined : `${sent.media_type ?? ''} ${excerpt(sent.body)}`.trim(),
          answer: exchange?.response?.content?.$base64 ? excerpt({ $base64: exchange.response.content.$base64 }) : undefined,
        })
      }
    }
  }
  return [...findings.values()].sort((a, b) => a.operation.localeCompare(b.operation) || a.check.localeCompare(b.check))
}

// --- matching a finding to layercheck's checks --------------------------------------

interface Seen { check: CheckResult; exchange: Exchange; viaGet: boolean }
type Coverage =
  | { kind: 'reported'; by: Seen; also: string[] }
  | { kind: 'expected'; by: Seen }
  | { kind: 'not-found'; sent: string }

const STATUS_CHECKS = new Set(['not_a_server_error', 'status_code_conformance'])
/** Checks about which input is accepted: the status class is the finding (201 or 200 alike), not the exact code. */
const CLASS_CHECKS = new Set(['negative_data_rejection', 'positive_data_acceptance', 'ignored_auth'])

const glob = (pattern: string) => new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`)

/** `/items/{item_id}` → /^\/items\/[^/]+$/ */
function pathPattern(operation: string): RegExp {
  const path = operation.split(' ')[1] ?? ''
  return new RegExp(`^${path.split(/\{[^}]+\}/).map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^/]+')}$`)
}

function pathOf(url: string): string | undefined {
  try { return new URL(url).pathname } catch { return undefined }
}

const statusClass = (status?: number) => (status === undefined ? undefined : Math.floor(status / 100))

/**
 * The exchanges layercheck recorded with the method Schemathesis sent, on the finding's path, and the answer it
 * saw. A HEAD finding may be matched by a GET probe: HEAD answers as GET would, without the body (RFC 9110 §9.3.2).
 * Passing checks keep only a sample of their exchanges, so this errs towards NOT FOUND, never towards a match.
 */
function sameAnswers(finding: StFinding, report: RunReport, loose: boolean): Seen[] {
  const pattern = pathPattern(finding.operation)
  const methods = finding.method === 'HEAD' ? ['HEAD', 'GET'] : [finding.method]
  const seen = report.checks.flatMap((check) => check.evidence.map((exchange, index) => ({ check, exchange, index })))
    .filter(({ exchange }) => { const path = pathOf(exchange.request.url); return path !== undefined && pattern.test(path) })
    .filter(({ exchange }) => methods.includes(exchange.request.method))
    .filter(({ exchange }) => exchange.response?.status === finding.status || (loose && statusClass(exchange.response?.status) === statusClass(finding.status)))
  // The decisive exchange of a check first, the method Schemathesis sent before GET for HEAD.
  return seen.sort((a, b) => Number(b.index === (b.check.decisive ?? 0)) - Number(a.index === (a.check.decisive ?? 0)) ||
    Number(b.exchange.request.method === finding.method) - Number(a.exchange.request.method === finding.method))
    .map(({ check, exchange }) => ({ check, exchange, viaGet: exchange.request.method !== finding.method }))
}

/**
 * Reported: a failing (or warning) check among the related ones recorded the same answer on the same path.
 * Expected: for a 5xx or undocumented status only, a passing check saw that very answer and judged it the one the
 * profile documents (its error route, its crash route, a handler slower than the proxy's timeout).
 */
function coverageOf(finding: StFinding, report: RunReport, layercheckRequests: readonly LoggedRequest[]): Coverage {
  const related = (ST_CHECKS[finding.check]?.related ?? ['*']).map(glob)
  const rank = (id: string) => related.findIndex((re) => re.test(id))
  const loose = CLASS_CHECKS.has(finding.check)
  const answers = sameAnswers(finding, report, loose)
  const reported = answers.filter((seen) => seen.check.verdict === 'fail' && rank(seen.check.id) !== -1)
    .sort((a, b) => rank(a.check.id) - rank(b.check.id))
  if (reported.length) return { kind: 'reported', by: reported[0]!, also: [...new Set(reported.map((seen) => seen.check.id))].slice(1) }
  const expected = STATUS_CHECKS.has(finding.check) ? answers.find((seen) => seen.check.verdict === 'pass') : undefined
  if (expected) return { kind: 'expected', by: expected }
  return { kind: 'not-found', sent: describeSent(finding, layercheckRequests) }
}

/** What layercheck sent to the finding's path, by method and status, from nginx's log: `GET ×3 (200 ×3); HEAD ×0`. */
function describeSent(finding: StFinding, requests: readonly LoggedRequest[]): string {
  const pattern = pathPattern(finding.operation)
  const on = requests.filter((r) => pattern.test(r.path))
  const byMethod = new Map<string, Map<number, number>>()
  for (const r of on) {
    const statuses = byMethod.get(r.method) ?? new Map<number, number>()
    statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1)
    byMethod.set(r.method, statuses)
  }
  if (!byMethod.has(finding.method)) byMethod.set(finding.method, new Map())
  const first = [...byMethod].sort((a, b) => Number(b[0] === finding.method) - Number(a[0] === finding.method))
  return first.map(([method, statuses]) => {
    const total = [...statuses.values()].reduce((a, b) => a + b, 0)
    return `${method} ×${total}${total ? ` (${[...statuses].sort((a, b) => a[0] - b[0]).map(([status, n]) => `${status} ×${n}`).join(', ')})` : ''}`
  }).join('; ')
}

// --- rendering: a pure function of the results ---------------------------------------

function renderTool(result: ToolResult): string {
  const classes = Object.entries(result.traffic.byClass).sort().map(([k, n]) => `${k} ${n}`).join(', ')
  const outcome = result.timedOut ? 'TIMED OUT' : `exit ${result.code}`
  return `${result.tool.padEnd(12)} wall ${formatDuration(result.wallMs).padStart(7)}   requests ${String(result.traffic.requests).padStart(5)} (${classes})   ${outcome}`
}

function renderSeen(seen: Seen): string {
  const who = answeredByOf(seen.check) ?? seen.exchange.answeredBy
  const path = pathOf(seen.exchange.request.url) ?? seen.exchange.request.url
  return `${seen.check.id} ${verdictLabelOf(seen.check)}, answered by ${who ? formatAnsweredBy(who) : 'unknown'}` +
    ` (its probe: ${seen.exchange.request.method} ${path} → ${seen.exchange.response?.status ?? seen.exchange.failure?.code ?? '?'}` +
    `${seen.viaGet ? '; GET stands for HEAD, RFC 9110 §9.3.2' : ''})`
}

function renderFinding(finding: StFinding, coverage: Coverage, origin: string): string[] {
  const target = (() => { try { const u = new URL(finding.url); return `${u.pathname}${u.search}` } catch { return finding.url } })()
  const mark = { reported: '✓', expected: '≈', 'not-found': '✗' }[coverage.kind]
  const lines = [
    `${mark} ${finding.operation}  ${finding.check} (${finding.code} ${finding.title})${finding.count > 1 ? ` ×${finding.count}` : ''}`,
    `    schemathesis: ${finding.method} ${target.length > 100 ? `${target.slice(0, 100)}…` : target} → ${finding.status ?? 'no answer'}  [${finding.phase}]` +
      `${finding.message ? `  ${finding.message.split('\n').filter((line) => line.trim()).join(' · ').slice(0, 160)}` : ''}`,
  ]
  if (coverage.kind === 'reported') lines.push(`    layercheck:   ${renderSeen(coverage.by)}${coverage.also.length ? `; also ${coverage.also.join(', ')}` : ''}`)
  else if (coverage.kind === 'expected') lines.push(`    layercheck:   seen, and expected by the profile: ${renderSeen(coverage.by)}`)
  else {
    if (finding.sentBody) lines.push(`    sent body:    ${finding.sentBody}`)
    if (finding.answer) lines.push(`    answer:       ${finding.answer}`)
    lines.push(`    layercheck:   NOT FOUND — it sent to ${finding.operation.split(' ')[1]}: ${coverage.sent}`)
    if (!finding.sentBody) lines.push(`    replay:       curl -sS -X ${finding.method} -H "Authorization: Bearer $${TOKEN_ENV.user}" '${origin}${target}'`)
  }
  return lines
}

// --- the run ------------------------------------------------------------------------------

/** Reads both tools' reports from `dir` and prints the comparison: a pure function of what the run left there. */
async function compare(dir: string, ours: ToolResult, theirs: ToolResult, origin: string, log: (line: string) => void): Promise<void> {
  log('')
  log(renderTool(theirs))
  log(renderTool(ours))
  let report: RunReport
  try {
    report = JSON.parse(readFileSync(join(dir, 'layercheck', 'report.json'), 'utf8')) as RunReport
  } catch {
    throw new Error(`layercheck wrote no report.json (exit ${ours.code}):\n${ours.output.slice(-3000)}`)
  }
  const findings = await readStFindings(join(dir, 'schemathesis')).catch((error: Error) => {
    throw new Error(`${error.message} (exit ${theirs.code}):\n${theirs.output.slice(-3000)}`)
  })
  log(`layercheck: ${report.summary.pass} pass, ${report.summary.fail} fail, ${report.summary.warnings ?? 0} warnings, ` +
    `${report.summary['not-applicable']} not applicable, ${report.summary.error} error (${report.summary.total} checks)`)
  log(`schemathesis: ${findings.length} distinct failures (operation × check × status)`)

  const scoped = findings.filter((f) => inScope(f.check))
  const results = scoped.map((finding) => ({ finding, coverage: coverageOf(finding, report, ours.requests) }))
  log('')
  log(`Schemathesis's findings about status codes and headers (${scoped.length}): ✓ reported by layercheck, ≈ seen and expected by the profile, ✗ not found`)
  for (const { finding, coverage } of results) for (const line of renderFinding(finding, coverage, origin)) log(line)
  const outOfScope = findings.filter((f) => !inScope(f.check))
  if (outOfScope.length) {
    log('')
    log('Left out, not about status codes or headers:')
    for (const f of outOfScope) log(`  - ${f.operation}  ${f.check} (${ST_CHECKS[f.check]!.topic}: ${ST_CHECKS[f.check]!.what}): ${f.method} → ${f.status}`)
  }

  const matched = new Set(results.flatMap(({ coverage }) => (coverage.kind === 'reported' ? [coverage.by.check.id, ...coverage.also] : [])))
  const ownFindings = report.checks.filter((check) => check.verdict === 'fail' && !matched.has(check.id))
  log('')
  log(`Found by layercheck, not by Schemathesis (${ownFindings.length}):`)
  for (const check of ownFindings) {
    const who = answeredByOf(check)
    log(`  ${isWarning(check) ? '⚠' : '✗'} ${check.id} ${verdictLabelOf(check)}, answered by ${who ? formatAnsweredBy(who) : 'unknown'}: ${check.title}`)
  }

  const reported = results.filter((r) => r.coverage.kind === 'reported').length
  const expected = results.filter((r) => r.coverage.kind === 'expected').length
  log('')
  log(`layercheck covers ${reported + expected} of ${scoped.length} status/header findings` +
    ` (${reported} reported by a failing or warning check, ${expected} seen by a passing check as the answer the profile documents;` +
    ` ${scoped.length - reported - expected} NOT FOUND)`)
}

/** What --keep leaves beside the reports, so `--from <dir>` can print the comparison again without a run. */
interface KeptRun { origin: string; tools: Omit<ToolResult, 'requests' | 'lines'>[] }

function keepRun(dir: string, origin: string, tools: readonly ToolResult[]): void {
  for (const tool of tools) writeFileSync(join(dir, `access-${tool.tool}.log`), tool.lines.join('\n') + '\n')
  const kept: KeptRun = { origin, tools: tools.map(({ requests: _r, lines: _l, ...rest }) => rest) }
  writeFileSync(join(dir, 'tools.json'), JSON.stringify(kept, null, 2))
}

function keptTool(dir: string, kept: KeptRun, name: string): ToolResult {
  const tool = kept.tools.find((t) => t.tool === name)
  if (!tool) throw new Error(`${join(dir, 'tools.json')} has no ${name} run`)
  const lines = logLines(join(dir, `access-${name}.log`))
  return { ...tool, lines, requests: lines.map(loggedRequest).filter((r): r is LoggedRequest => r !== undefined) }
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2))
  const log = (line: string) => console.log(line)
  if (options.from) {
    const kept = JSON.parse(readFileSync(join(options.from, 'tools.json'), 'utf8')) as KeptRun
    await compare(options.from, keptTool(options.from, kept, 'layercheck'), keptTool(options.from, kept, 'schemathesis'), kept.origin, log)
    return
  }
  const variant = findVariant(options.variant)
  const st = await ensureSchemathesis(log)
  const dir = options.keep ?? mkdtempSync(join(tmpdir(), 'layercheck-vs-schemathesis-'))
  mkdirSync(dir, { recursive: true })
  const removeDir = () => { if (!options.keep) rmSync(dir, { recursive: true, force: true }) }
  const stack = await startReferenceStack({ variant })
  // An interrupt ends this process before `finally` runs: the stack and the folder go in its last phase.
  const stopOnInterrupt = onInterrupt(async () => { await stack.stop(); removeDir() }, 2)
  try {
    log(`reference stack "${stack.variant}" at ${stack.httpUrl}; requests counted from nginx's access log (${stack.logs.nginxAccess})`)
    log(`schemathesis ${SCHEMATHESIS_VERSION} --checks all --max-examples ${options.maxExamples} --seed ${options.seed}; layercheck run: every check`)
    // layercheck first: its verdicts are those of a fresh stack, as in its own tests.
    const ours = await measured('layercheck', stack.logs.nginxAccess, () => runLayercheck(stack, dir))
    const theirs = await measured('schemathesis', stack.logs.nginxAccess, () => runSchemathesis(st, stack, dir, options))
    if (options.keep) keepRun(dir, stack.httpUrl, [ours, theirs])
    if (theirs.timedOut || ours.timedOut) process.exitCode = 1
    await compare(dir, ours, theirs, stack.httpUrl, log)
  } finally {
    stopOnInterrupt()
    await stack.stop()
    removeDir()
    if (options.keep) log(`kept: ${dir} (schemathesis/, layercheck/report.json, profile.json, access-*.log); print again with --from ${dir}`)
  }
}

await main()
