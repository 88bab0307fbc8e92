// `layercheck run --dry-run`: what each check would send, and which profile
// keys it reads, without a single packet leaving the machine (DESIGN §6).
//
// A dry run executes each check's own code through the same gate and the same
// context interface as the run, with a context that lists what would go out
// instead of sending it: `send` records the request and answers a synthetic 200,
// `raw` records the bytes' destination and ends the listing (a raw probe's
// judgment needs a real answer), `getJson` records the fetch. So the plan is
// what the check's code does, not a second description that could drift from
// it. Checks below HTTP (DNS, TCP, TLS: their sockets are their probe) and
// fault toggles are described, never run.
import type { CheckContext, CheckDefinition } from '../../harness/check/define-check.ts'
import { gateOf, NotApplicable } from '../../harness/check/run-check.ts'
import type { RawProbe, RawTarget } from '../../harness/raw/raw-exchange.ts'
import { piecesOf } from '../../harness/raw/raw-connection.ts'
import { withProbeCredentials } from '../../harness/target/probe-credentials.ts'
import type { CheckMeta, Exchange } from '../../harness/model/check-result.ts'
import { mergeRoutes } from '../../harness/profile/openapi-routes.ts'
import type { Profile } from '../../harness/profile/schema.ts'
import type { FaultInjector } from '../../harness/toxiproxy/fault-injector.ts'
import { ALL_CHECKS, isBelowHttp } from '../../suites/all-checks.ts'
import { targetEndpoints, tlsUrlOf } from '../../suites/connection/endpoints.ts'
import { EXIT } from '../exit-codes.ts'
import { UsageError } from '../usage-error.ts'
import { parseProfile } from '../../harness/profile/load-profile.ts'
import type { ProfileInput } from '../../harness/profile/schema.ts'

export interface PlannedProbe {
  /** HTTP method, or DNS / TCP / TLS for a probe below HTTP, or FAULT for a Toxiproxy toggle. */
  method: string
  /** Path and query (HTTP), host:port (DNS, TCP, TLS), or the fault and its links. */
  target: string
  label?: string
  /** Header names only: values may be tokens. */
  headers?: string[]
  bodyBytes?: number
}

export interface CheckPlan extends CheckMeta {
  applicable: boolean
  /** Why the check would not apply. */
  reason?: string
  /** Profile keys the check reads, as dotted paths. */
  profileKeys: string[]
  probes: PlannedProbe[]
  /** True when the listing stopped at MAX_PROBES (a polling loop, say); the real run is bounded by its own deadlines. */
  truncated?: boolean
}

export interface DryRunPlan {
  dryRun: true
  target: { baseUrl: string; name: string }
  checks: CheckPlan[]
}

const MAX_PROBES = 40
const MAX_LIST_MS = 2000

class ListingDone extends Error {}

/** A raw probe ends its check's listing: what the check does next depends on an answer a dry run never gets. */
class RawNotSent extends Error {}

/** Records which keys of the profile are read: the proxy wraps a mutable copy (a frozen object's proxy must return its own values). */
function recordingProfile(profile: Readonly<Profile>, used: Set<string>): Readonly<Profile> {
  const copy = structuredClone(profile) as Profile
  // A log source may be a command (ssh, journalctl on another host): never run it in a dry run.
  if (copy.logs?.app) copy.logs.app = { file: '/dev/null' }
  const wrap = (value: object, prefix: string[]): object => new Proxy(value, {
    get(target, key, receiver) {
      const inner = Reflect.get(target, key, receiver)
      if (typeof key !== 'string' || Array.isArray(target)) return inner
      const path = [...prefix, key]
      used.add(path.join('.'))
      // Depth 2 is the deepest a profile key goes (routes.crash.path); below is data (validBody).
      return inner && typeof inner === 'object' && !Array.isArray(inner) && path.length < 3 ? wrap(inner, path) : inner
    },
  })
  return wrap(copy, []) as Readonly<Profile>
}

/** Keeps the most specific keys: `probes.jsonEndpoint.path` makes `probes.jsonEndpoint` and `probes` redundant. */
function leafKeys(used: Set<string>): string[] {
  const keys = [...used].filter((key) => key !== 'checks' && !key.startsWith('checks.'))
  return keys.filter((key) => !keys.some((other) => other.startsWith(`${key}.`))).sort()
}

function syntheticExchange(method: string, url: string): Exchange {
  return {
    request: { method, url, headers: [], bodyBytes: 0 },
    response: { status: 200, headers: [['content-type', 'application/json']], bodyBytes: 2, bodyTruncated: false, bodyExcerpt: '{}' },
    timing: { startedAt: new Date(0).toISOString(), totalMs: 0 },
    answeredBy: { tier: 'unknown', confidence: 'unknown', reason: 'dry run: nothing was sent', signals: [] },
    repro: '',
  }
}

function connectionProbes(check: CheckDefinition, profile: Readonly<Profile>, used: Set<string>): PlannedProbe[] {
  if (check.step === 3) {
    used.add(profile.connection.httpsUrl ? 'connection.httpsUrl' : 'baseUrl')
    if (profile.tls?.caFile) used.add('tls.caFile')
    const url = new URL(tlsUrlOf(profile)!)
    return [{ method: 'TLS', target: `${url.hostname}:${url.port || 443}`, label: check.title }]
  }
  return targetEndpoints(profile).map((endpoint) => {
    used.add(endpoint.key)
    return check.step === 1
      ? { method: 'DNS', target: endpoint.host }
      : { method: 'TCP', target: `${endpoint.host}:${endpoint.port}` }
  })
}

async function planCheck(check: CheckDefinition, profile: Readonly<Profile>, env: NodeJS.ProcessEnv): Promise<CheckPlan> {
  const meta: CheckMeta = { id: check.id, title: check.title, step: check.step, layer: check.layer, spec: check.spec, severity: check.severity }
  const used = new Set<string>()
  const watched = recordingProfile(profile, used)
  const plan = (rest: Omit<CheckPlan, keyof CheckMeta | 'profileKeys'>): CheckPlan => ({ ...meta, ...rest, profileKeys: leafKeys(used) })

  const gate = gateOf(check, watched)
  if (gate) return plan({ applicable: false, reason: gate, probes: [] })
  // The connection checks open sockets themselves (DNS, TCP, TLS), not through `send`: described, never run.
  if (isBelowHttp(check)) return plan({ applicable: true, probes: connectionProbes(check, profile, used) })

  const probes: PlannedProbe[] = []
  let truncated = false
  let closed = false
  const note = (probe: PlannedProbe) => {
    // A check still waiting when the listing timed out must not add to a plan already returned.
    if (closed) throw new ListingDone()
    if (probes.length >= MAX_PROBES) {
      truncated = true
      throw new ListingDone()
    }
    probes.push(probe)
  }
  // Presence only: the value is never needed to list a probe.
  const secret = (name: string) => (env[name] ? 'dry-run-token' : undefined)
  // Read from the plain profile: only a probe that does carry the token lists the keys that put it there.
  const credentials = withProbeCredentials(profile, secret)
  const send: CheckContext['send'] = async (sent) => {
    const options = credentials(sent)
    if (options !== sent) for (const key of ['auth.sendTokenTo', 'auth.tokenEnv']) used.add(key)
    const method = options.method ?? 'GET'
    const body = options.body
    note({
      method, target: options.path, ...(options.label && { label: options.label }),
      ...(options.headers && { headers: Object.keys(options.headers) }),
      ...(body !== undefined && { bodyBytes: typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength }),
    })
    return syntheticExchange(method, new URL(options.path, profile.baseUrl).href)
  }
  const faults = {
    async withFault(fault: { kind: string }, fn: (active: { clear(): Promise<void> }) => Promise<unknown>, links?: readonly string[]) {
      note({ method: 'FAULT', target: `${fault.kind} on ${(links ?? profile.faults?.links ?? []).join(', ')}`, label: 'Toxiproxy toxic, removed afterwards' })
      return fn({ clear: async () => {} })
    },
  } as unknown as FaultInjector
  const context: CheckContext = {
    profile: watched,
    send,
    sendUnrecorded: send,
    async raw(probe: RawProbe, target: RawTarget) {
      const url = new URL(target.url)
      note({ method: 'RAW', target: `${url.hostname}:${url.port || (url.protocol === 'https:' ? 443 : 80)}`, label: `${probe.label} (raw bytes, on a connection of their own)`, bodyBytes: piecesOf(probe.bytes).reduce((n, p) => n + p.bytes.length, 0) })
      throw new RawNotSent()
    },
    async getJson(url) {
      note({ method: 'GET', target: url, label: 'read, not kept as evidence' })
      return { exchange: syntheticExchange('GET', new URL(url, profile.baseUrl).href) }
    },
    record: (exchange) => exchange,
    // A dry run sends nothing, so it has nothing to wait for.
    pause: async () => {},
    waited: () => {},
    secret,
    // Nothing is read from the target, so nothing needs masking.
    redact: (text) => text,
    nonce: () => 'dryrun',
    async routes() {
      if (profile.routes.openapi !== false) {
        used.add('routes.openapi')
        note({ method: 'GET', target: profile.routes.openapi, label: 'routes from the OpenAPI document (read once per run)' })
      }
      return mergeRoutes(profile.routes.list, [])
    },
    faults: profile.faults ? faults : undefined,
  }
  let timer: NodeJS.Timeout | undefined
  try {
    await Promise.race([
      check.run(context),
      new Promise((resolve) => { timer = setTimeout(() => { truncated = true; resolve(undefined) }, MAX_LIST_MS) }),
    ])
  } catch (error) {
    // ListingDone, RawNotSent, a NotApplicable raised at run time, or a check
    // confused by the synthetic answers: the probes recorded so far are still the plan.
    if (error instanceof NotApplicable) {
      const reason = (error as Error).message
      const fromOpenApi = used.has('routes.openapi') ? ' (in a dry run only routes.list is known; the OpenAPI routes are read at run time)' : ''
      return plan({ applicable: false, reason: reason + fromOpenApi, probes })
    }
  } finally {
    clearTimeout(timer)
    closed = true
  }
  return plan({ applicable: true, probes, ...(truncated as boolean ? { truncated: true } : {}) })
}

export async function planRun(profile: Readonly<Profile>, env: NodeJS.ProcessEnv = process.env, selected: readonly CheckDefinition[] = ALL_CHECKS): Promise<DryRunPlan> {
  const checks: CheckPlan[] = []
  for (const check of selected) checks.push(await planCheck(check, profile, env))
  return { dryRun: true, target: { baseUrl: profile.baseUrl, name: profile.name ?? profile.baseUrl }, checks }
}

export function renderDryRun(plan: DryRunPlan): string {
  const lines = [`dry run: nothing is sent to ${plan.target.baseUrl}`, '']
  for (const check of plan.checks) {
    lines.push(`${check.applicable ? '•' : '–'} ${check.id}  ${check.title}`)
    if (!check.applicable) {
      lines.push(`    not applicable: ${check.reason}`)
      continue
    }
    if (check.profileKeys.length) lines.push(`    uses:  ${check.profileKeys.join(', ')}`)
    for (const probe of check.probes) {
      const details = [
        probe.bodyBytes !== undefined ? `body ${probe.bodyBytes} bytes` : '',
        probe.headers?.length ? `headers: ${probe.headers.join(', ')}` : '',
        probe.label ?? '',
      ].filter(Boolean).join('; ')
      lines.push(`    ${probe.method.padEnd(6)} ${probe.target}${details ? `  (${details})` : ''}`)
    }
    if (check.truncated) lines.push('    … listing stopped here: at run time the check waits or polls, within its own deadline')
  }
  const applicable = plan.checks.filter((c) => c.applicable)
  lines.push('', `${applicable.length} checks would run (${applicable.reduce((n, c) => n + c.probes.length, 0)} probes listed), ${plan.checks.length - applicable.length} not applicable`)
  return lines.join('\n') + '\n'
}

export interface DryRunOptions {
  config?: string
  target?: string
  json?: boolean
  /** The profile --config named, already loaded and vetted (its ids, its own checks). */
  loaded?: Readonly<Profile>
  /** The checks to list: the selection, or every one (built-in and the profile's own). */
  checks?: readonly CheckDefinition[]
}

/** Resolves the profile without starting anything, lists the plan, exits 0. */
export async function dryRunCommand(options: DryRunOptions, log: (line: string) => void, out: (text: string) => void): Promise<number> {
  if (!options.config && !options.target) {
    throw new UsageError('--dry-run needs --config or --target (or a layercheck.config.* in the working directory): without them `run` starts the embedded stack, which a dry run does not do')
  }
  const { loaded } = options
  const profile = loaded
    ? options.target ? parseProfile({ ...structuredClone(loaded), baseUrl: options.target } as ProfileInput, `${options.config} with --target`) : loaded
    : parseProfile({ baseUrl: options.target }, '--target')
  const plan = await planRun(profile, process.env, options.checks)
  if (options.json) {
    out(JSON.stringify(plan, null, 2) + '\n')
    log(`dry run: ${plan.checks.filter((c) => c.applicable).length} checks listed, nothing sent`)
  } else {
    out(renderDryRun(plan))
  }
  return EXIT.conformant
}
