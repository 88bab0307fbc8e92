// The check and result model: plain, JSON-serialisable data shared by the
// harness, the suites and the reporters. It imports nothing else of ours, so
// reporters can depend on it without pulling in the harness.

import type { BenchReport } from './bench-result.ts'

/** Lifecycle steps of the seed's Part 1 (1 = DNS … 15 = handler). */
export type LifecycleStep = 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10 | 11 | 12 | 13 | 14 | 15

export const STEP_NAMES: Readonly<Record<LifecycleStep, string>> = {
  1: 'DNS resolution',
  2: 'TCP connection',
  3: 'TLS handshake',
  4: 'HTTP serialisation',
  5: 'Load balancer',
  6: 'Reverse proxy',
  7: 'Proxy → app hop',
  8: 'OS socket accept',
  9: 'App server (ASGI/WSGI)',
  10: 'Middleware (outer)',
  11: 'Middleware (auth, limits)',
  12: 'Routing',
  13: 'Dependencies',
  14: 'Validation',
  15: 'Handler',
}

/** The layer a check targets, named as an operator would. */
export const CHECK_LAYERS = ['connection', 'proxy', 'app-server', 'middleware', 'router', 'validation', 'handler'] as const
export type CheckLayer = typeof CHECK_LAYERS[number]

/**
 * Who answered, as seen from outside. `client` = decided before any HTTP answer:
 * a request that failed at DNS, TCP or TLS, or a probe of those steps themselves.
 */
export type Tier = 'client' | 'proxy' | 'app-server' | 'app' | 'unknown'

export type Severity = 'error' | 'warning' | 'info'
export const SEVERITIES: readonly Severity[] = ['info', 'warning', 'error']

export type Verdict = 'pass' | 'fail' | 'not-applicable' | 'error'

/**
 * How sure an attribution is. `certain`: decisive evidence (Proxy-Status, a log,
 * the connection itself) or an unmistakable product page with nothing against it;
 * `likely`: the weighed signals clearly favour one layer; `unknown`: they do not,
 * and the tier is `unknown` (a check never fails on that alone).
 */
export type Confidence = 'certain' | 'likely' | 'unknown'

export interface AnsweredBy {
  tier: Tier
  /** The product: the profile's name for that layer when it gives one, else the product whose signature matched. */
  product?: string
  confidence: Confidence
  /** Products whose shape the answer shares, when the evidence cannot tell them apart (`fastapi`, `starlette`). */
  candidates?: string[]
  /** Lifecycle step where a client-side failure happened (1 DNS, 2 TCP, 3 TLS). */
  step?: LifecycleStep
  /** One sentence: why we think so. */
  reason: string
  /** The signals used: header values, body fragments, error codes. */
  signals: string[]
}

export interface RecordedRequest {
  method: string
  url: string
  /** Header pairs as sent, secrets redacted. */
  headers: [string, string][]
  bodyBytes: number
  bodyExcerpt?: string
}

export interface RecordedResponse {
  status: number
  statusText?: string
  headers: [string, string][]
  /** Bytes read; the read stops at the client's byte cap. */
  bodyBytes: number
  /** True when the byte cap stopped the read before the body ended. */
  bodyTruncated: boolean
  bodyExcerpt: string
  /** SHA-256 of the bytes read (hex), to compare whole bodies without keeping them. */
  bodySha256?: string
}

export interface ClientFailure {
  /** Stable code: ENOTFOUND, ECONNREFUSED, UND_ERR_HEADERS_TIMEOUT, CERT_HAS_EXPIRED, … */
  code: string
  message: string
}

/** The certificate a TLS server presented, as plain data. */
export interface PeerCertificate {
  /** Distinguished name, most significant part last as OpenSSL prints it: `CN=localhost`. */
  subject: string
  /** subjectAltName entries: `DNS:localhost`, `IP Address:127.0.0.1`. */
  subjectAltNames: string[]
  issuer: string
  /** ISO 8601. */
  validFrom: string
  validTo: string
  /** Whole days from the probe until validTo; negative once expired. */
  daysUntilExpiry: number
  serialNumber: string
  fingerprint256: string
}

/** What one TLS handshake offered, negotiated and was shown. */
export interface TlsHandshake {
  /** SNI sent (RFC 6066 §3: never for an IP literal). */
  servername?: string
  offered: { minVersion: string; maxVersion: string; alpn: string[]; ciphers?: string }
  /** Negotiated version: `TLSv1.3`, `TLSv1.2`, … */
  protocol?: string
  cipher?: string
  /** ALPN protocol the server selected; false when it selected none (RFC 7301). */
  alpnProtocol?: string | false
  /** Whether the chain leads to a trusted CA (the profile's tls.caFile and the system store). */
  trusted?: boolean
  /** OpenSSL's verification code when it does not: CERT_HAS_EXPIRED, UNABLE_TO_VERIFY_LEAF_SIGNATURE, … */
  trustError?: string
  /** Whether the certificate names the host (tls.checkServerIdentity, RFC 9525). */
  hostnameMatches?: boolean
  hostnameError?: string
  certificate?: PeerCertificate
}

/**
 * What a probe below HTTP saw (lifecycle steps 1–3): a DNS lookup, a TCP
 * connect or a TLS handshake. Its exchange has no response; the request's
 * method names the probe (DNS, TCP, TLS) and its url the address probed.
 */
export interface ConnectionProbe {
  step: 1 | 2 | 3
  host: string
  port?: number
  /** The addresses the host name resolved to (step 1), or the one connected to. */
  addresses?: string[]
  tls?: TlsHandshake
}

/** RFC 2119 keyword of the requirement a probe tests. */
export type Requirement = 'MUST' | 'SHOULD' | 'MAY'

/** What a raw-bytes probe (harness/raw) sent and saw of its own connection. */
export interface RawEvidence {
  /** The exact bytes sent, escaped (\r \n \t \xNN); long ones cut with a count. */
  sent: string
  bytesSent: number
  /** Timed pieces the bytes were sent in (slow-client probes), when more than one. */
  pieces?: number
  /** The RFC requirement this probe tests, and what it allows. */
  requirement?: Requirement
  /** Responses parsed from the bytes received, interim (1xx) ones included. */
  responses: number
  /** Status codes of those responses, in order. */
  statuses: number[]
  bytesReceived: number
  /** How the connection ended: closed (FIN), reset, still open when reading stopped, or the byte cap. */
  end: 'closed' | 'reset' | 'open' | 'byte-cap' | 'connect-failed'
  /** Milliseconds from the start until the connection ended or reading stopped. */
  endMs: number
  /** Received bytes that do not parse as HTTP, escaped. */
  trailing?: string
}

/** One request and whatever came back: the evidence behind a verdict. */
export interface Exchange {
  label?: string
  request: RecordedRequest
  response?: RecordedResponse
  failure?: ClientFailure
  /** Set for probes below HTTP (DNS, TCP, TLS): what they saw. */
  connection?: ConnectionProbe
  timing: { startedAt: string; totalMs: number; headersMs?: number }
  /** X-Request-ID (or the profile's header) seen on the response. */
  requestId?: string
  answeredBy: AnsweredBy
  /** A command that replays the request (secrets replaced by env references). */
  repro: string
  /** Set for raw-bytes probes: the exact bytes and what became of the connection. */
  raw?: RawEvidence
}

export interface CheckMeta {
  id: string
  title: string
  step: LifecycleStep
  layer: CheckLayer
  spec: string
  severity: Severity
  /** The strongest RFC requirement level among the check's probes (protocol checks). */
  requirement?: Requirement
}

export interface CheckResult extends CheckMeta {
  verdict: Verdict
  expected: string
  actual: string
  answeredBy?: AnsweredBy
  /** Why it failed and what to check next; present on fail and error. */
  diagnosis?: string
  /** Why the check could not apply (not-applicable) */
  reason?: string
  /** The profile key whose absence made the check not applicable (`auth`, `limits.maxBodyBytes`): what to document to run it. */
  needs?: string
  /**
   * Set when the check rests on a recommendation the profile does not document: the key that would document it
   * (`responseHeaders.nosniff`). Its severity is then `info`, and a failure is a warning, not a failed check.
   */
  advisory?: string
  evidence: Exchange[]
  /** Index in `evidence` of the exchange that decided the verdict. */
  decisive?: number
  /** What the check measured, units in the names: `recoveryMs`, `answeredAfterMs`, `failedRequests`. */
  measurements?: Record<string, number>
  durationMs: number
  /**
   * The waits the check had to make (a rate-limit window, a Retry-After, the target's documented timeouts),
   * in the order made; their sum is `waitedMs`. Absent when it made none.
   */
  waits?: CheckWait[]
  /** The sum of `waits` (ms): the part of `durationMs` no tool could save. */
  waitedMs?: number
  /** The resources the check held while it ran (harness/check/resources.ts): checks that conflict never overlap. */
  uses?: { exclusive: string[]; shared: string[] }
  /** When the check started and ended, in ms from the run's start (`startedAt`): who ran beside whom. */
  startedMs?: number
  endedMs?: number
}

/** One deliberate wait: what it was for, and how long (ms). */
export interface CheckWait {
  for: string
  ms: number
}

/** A layer the run inferred from the target's own answers (calibration), with how sure it is. */
export interface InferredLayer {
  product?: string
  confidence: Confidence
  signals: string[]
}

export interface RunReport {
  schemaVersion: 1
  tool: { name: 'layercheck'; version: string }
  target: {
    baseUrl: string
    name: string
    layers?: Record<string, string>
    /** What the calibration at the start of the run saw of each layer; the profile's names win where it gives them. */
    inferredLayers?: Partial<Record<'proxy' | 'server' | 'app', InferredLayer>>
  }
  startedAt: string
  durationMs: number
  /**
   * The run's floor (ms): the least time any schedule needs for the waits the checks had to make, given which
   * checks may not overlap (harness/model/floor.ts). `durationMs / floorMs` is the tool's overhead.
   */
  floorMs?: number
  /** Verdict counts; `fail` leaves out advisory failures, which `warnings` counts (present when there are any). */
  summary: Record<Verdict, number> & { total: number; warnings?: number }
  checks: CheckResult[]
  /** Present when the run was compared with a baseline report (`--baseline`, `report diff`). */
  baseline?: BaselineComparison
  /** Present in the report of `layercheck bench`: every measurement, as plain data. */
  bench?: BenchReport
}

/** A finding is a check that failed: new in this run, still there, or gone since the baseline. */
export type FindingStatus = 'new' | 'existing' | 'fixed'

export interface BaselineFinding {
  id: string
  title: string
  severity: Severity
  status: FindingStatus
  /** Verdict in the baseline; absent when the baseline did not have the check. */
  before?: Verdict
  /** Verdict in this run; absent when this run did not have the check. */
  after?: Verdict
  /** Passed in the baseline and fails now. */
  regression: boolean
}

export interface BaselineComparison {
  /** The baseline run compared against. */
  startedAt: string
  baseUrl: string
  counts: { new: number; existing: number; fixed: number; regressions: number }
  /** New findings first, then existing, then fixed; lifecycle order within each. */
  findings: BaselineFinding[]
  /** Present when both runs have benchmarks: medians that got worse beyond the tolerance and the baseline's spread. */
  benchRegressions?: BenchRegression[]
}

/** A benchmark median worse than the baseline's: `keepalive-tls` `rps` 2200 → 1500 (change −0.32). */
export interface BenchRegression {
  /** A gain's or scaling's id, `workers-cpu/2` for one point. */
  measurement: string
  /** `rps`, `throughputRatio` (higher is better) or `p99Ms` (lower is better). */
  metric: string
  before: number
  after: number
  /** (after − before) ÷ before, as a fraction. */
  change: number
}
