// report.json is the source of truth the other formats (and baselines) are
// rendered from. Keys are written in the model's order, whatever order the
// producer built the objects in, so two runs diff cleanly.
import type {
  AnsweredBy,
  BaselineComparison,
  BaselineFinding,
  BenchRegression,
  CheckResult,
  ClientFailure,
  ConnectionProbe,
  Exchange,
  PeerCertificate,
  RecordedRequest,
  RecordedResponse,
  RunReport,
  TlsHandshake,
} from '../harness/model/check-result.ts'

// `Record<keyof T, true>` makes the compiler insist that every key of the
// model is listed, so a new field cannot be silently dropped from the file.
type KeyOrder<T> = Record<keyof T, true>
type Nested<T> = { [K in keyof T]?: (value: NonNullable<T[K]>) => unknown }

function inOrder<T extends object>(value: T, order: KeyOrder<T>, nested: Nested<T> = {}): T {
  const out: Record<string, unknown> = {}
  for (const key of Object.keys(order) as (keyof T & string)[]) {
    const field = value[key]
    if (field === undefined) continue
    const map = nested[key]
    out[key] = map ? map(field as NonNullable<T[typeof key]>) : field
  }
  return out as T
}

const answeredBy = (a: AnsweredBy) =>
  inOrder(a, { tier: true, product: true, confidence: true, candidates: true, step: true, reason: true, signals: true })

const request = (r: RecordedRequest) =>
  inOrder(r, { method: true, url: true, headers: true, bodyBytes: true, bodyExcerpt: true })

const response = (r: RecordedResponse) =>
  inOrder(r, {
    status: true, statusText: true, headers: true, bodyBytes: true, bodyTruncated: true, bodySha256: true, bodyExcerpt: true,
  })

const failure = (f: ClientFailure) => inOrder(f, { code: true, message: true })

const certificate = (c: PeerCertificate) =>
  inOrder(c, {
    subject: true, subjectAltNames: true, issuer: true, validFrom: true, validTo: true,
    daysUntilExpiry: true, serialNumber: true, fingerprint256: true,
  })

const tlsHandshake = (t: TlsHandshake) =>
  inOrder(
    t,
    {
      servername: true, offered: true, protocol: true, cipher: true, alpnProtocol: true,
      trusted: true, trustError: true, hostnameMatches: true, hostnameError: true, certificate: true,
    },
    { offered: (o) => inOrder(o, { minVersion: true, maxVersion: true, alpn: true, ciphers: true }), certificate },
  )

const connection = (c: ConnectionProbe) =>
  inOrder(c, { step: true, host: true, port: true, addresses: true, tls: true }, { tls: tlsHandshake })

const exchange = (e: Exchange) =>
  inOrder(
    e,
    {
      label: true, request: true, response: true, failure: true, connection: true, timing: true,
      requestId: true, answeredBy: true, repro: true, raw: true,
    },
    {
      request,
      response,
      failure,
      connection,
      timing: (t) => inOrder(t, { startedAt: true, totalMs: true, headersMs: true }),
      answeredBy,
      raw: (r) => inOrder(r, {
        sent: true, bytesSent: true, pieces: true, requirement: true, responses: true, statuses: true,
        bytesReceived: true, end: true, endMs: true, trailing: true,
      }),
    },
  )

const check = (c: CheckResult) =>
  inOrder(
    c,
    {
      id: true, title: true, step: true, layer: true, spec: true, severity: true, requirement: true, advisory: true,
      verdict: true, expected: true, actual: true, answeredBy: true, diagnosis: true, reason: true, needs: true,
      evidence: true, decisive: true, measurements: true, durationMs: true, waits: true, waitedMs: true, uses: true,
      startedMs: true, endedMs: true,
    },
    { answeredBy, evidence: (list) => list.map(exchange) },
  )

const baseline = (b: BaselineComparison) =>
  inOrder(b, { startedAt: true, baseUrl: true, counts: true, findings: true, benchRegressions: true }, {
    counts: (c) => inOrder(c, { new: true, existing: true, fixed: true, regressions: true }),
    findings: (list) => list.map((f: BaselineFinding) =>
      inOrder(f, { id: true, title: true, severity: true, status: true, before: true, after: true, regression: true })),
    benchRegressions: (list) => list.map((r: BenchRegression) =>
      inOrder(r, { measurement: true, metric: true, before: true, after: true, change: true })),
  })

export function renderJsonReport(report: RunReport): string {
  const ordered = inOrder(
    report,
    // `bench` is written in the order its producer (harness/bench) built it.
    { schemaVersion: true, tool: true, target: true, startedAt: true, durationMs: true, floorMs: true, summary: true, checks: true, baseline: true, bench: true },
    {
      tool: (t) => inOrder(t, { name: true, version: true }),
      target: (t) => inOrder(t, { baseUrl: true, name: true, layers: true, inferredLayers: true }),
      summary: (s) => inOrder(s, { pass: true, fail: true, warnings: true, 'not-applicable': true, error: true, total: true }),
      checks: (list) => list.map(check),
      baseline,
    },
  )
  return JSON.stringify(ordered, null, 2) + '\n'
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'an array'
  const text = JSON.stringify(value) ?? String(value)
  return text.length > 60 ? `${text.slice(0, 57)}...` : text
}

/**
 * Reads a report written by renderJsonReport (a baseline, or a report handed
 * over by CI). Checks the version and the shape the renderers rely on.
 */
export function parseJsonReport(text: string): RunReport {
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch (error) {
    throw new Error(`report is not valid JSON: ${(error as Error).message}`, { cause: error })
  }
  if (!isObject(data)) {
    throw new Error(`report must be a JSON object, got ${describe(data)}`)
  }
  if (data.schemaVersion !== 1) {
    const newer = typeof data.schemaVersion === 'number' && data.schemaVersion > 1
    throw new Error(
      `report schemaVersion must be 1, got ${describe(data.schemaVersion)}` +
        (newer ? ' (written by a newer layercheck; upgrade to read it)' : ''),
    )
  }
  if (!isObject(data.summary)) throw new Error(`report summary must be an object, got ${describe(data.summary)}`)
  if (!Array.isArray(data.checks)) throw new Error(`report checks must be an array, got ${describe(data.checks)}`)
  return data as unknown as RunReport
}
