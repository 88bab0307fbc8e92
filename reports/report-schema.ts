// report.json as a zod schema: the source of schemas/report.schema.json
// (scripts/write-schemas.ts), and the compiler holds it to the model in
// harness/model/check-result.ts and bench-result.ts (see the assertion at the
// end), so the published contract cannot drift from what the renderers write.
// Objects are closed (additionalProperties: false): a report that validates
// has no field the contract does not name. `schemaVersion` is the compatibility promise.
import { z } from 'zod'
import { CHECK_LAYERS, type RunReport } from '../harness/model/check-result.ts'

const verdict = z.enum(['pass', 'fail', 'not-applicable', 'error'])
const severity = z.enum(['info', 'warning', 'error'])
const step = z.literal([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]).meta({ description: 'Lifecycle step: 1 DNS, 2 TCP, 3 TLS … 15 handler' })
const confidence = z.enum(['certain', 'likely', 'unknown'])
const requirement = z.enum(['MUST', 'SHOULD', 'MAY'])
const headers = z.array(z.tuple([z.string(), z.string()])).meta({ description: 'Header pairs in order, secrets redacted' })

const answeredBy = z.object({
  tier: z.enum(['client', 'proxy', 'app-server', 'app', 'unknown']),
  product: z.string().optional(),
  confidence,
  candidates: z.array(z.string()).optional(),
  step: step.optional(),
  reason: z.string(),
  signals: z.array(z.string()),
}).meta({ description: 'Who answered, as seen from outside; client = no HTTP answer (steps 1–3)' })

const certificate = z.object({
  subject: z.string(), subjectAltNames: z.array(z.string()), issuer: z.string(), validFrom: z.string(), validTo: z.string(),
  daysUntilExpiry: z.number(), serialNumber: z.string(), fingerprint256: z.string(),
})

const tlsHandshake = z.object({
  servername: z.string().optional(),
  offered: z.object({ minVersion: z.string(), maxVersion: z.string(), alpn: z.array(z.string()), ciphers: z.string().optional() }),
  protocol: z.string().optional(),
  cipher: z.string().optional(),
  alpnProtocol: z.union([z.string(), z.literal(false)]).optional(),
  trusted: z.boolean().optional(),
  trustError: z.string().optional(),
  hostnameMatches: z.boolean().optional(),
  hostnameError: z.string().optional(),
  certificate: certificate.optional(),
})

const exchange = z.object({
  label: z.string().optional(),
  request: z.object({ method: z.string(), url: z.string(), headers, bodyBytes: z.number(), bodyExcerpt: z.string().optional() }),
  response: z.object({
    status: z.number().int(), statusText: z.string().optional(), headers, bodyBytes: z.number(), bodyTruncated: z.boolean(),
    bodyExcerpt: z.string(), bodySha256: z.string().optional(),
  }).optional(),
  failure: z.object({ code: z.string(), message: z.string() }).optional(),
  connection: z.object({
    step: z.literal([1, 2, 3]), host: z.string(), port: z.number().int().optional(),
    addresses: z.array(z.string()).optional(), tls: tlsHandshake.optional(),
  }).optional(),
  timing: z.object({ startedAt: z.string(), totalMs: z.number(), headersMs: z.number().optional() }),
  requestId: z.string().optional(),
  answeredBy,
  repro: z.string(),
  raw: z.object({
    sent: z.string(), bytesSent: z.number(), pieces: z.number().optional(), requirement: requirement.optional(),
    responses: z.number(), statuses: z.array(z.number()), bytesReceived: z.number(),
    end: z.enum(['closed', 'reset', 'open', 'byte-cap', 'connect-failed']), endMs: z.number(), trailing: z.string().optional(),
  }).optional(),
})

const check = z.object({
  id: z.string(),
  title: z.string(),
  step,
  layer: z.enum(CHECK_LAYERS),
  spec: z.string(),
  severity,
  requirement: requirement.optional(),
  advisory: z.string().optional(),
  verdict,
  expected: z.string(),
  actual: z.string(),
  answeredBy: answeredBy.optional(),
  diagnosis: z.string().optional(),
  reason: z.string().optional(),
  needs: z.string().optional(),
  evidence: z.array(exchange),
  decisive: z.number().int().optional(),
  measurements: z.record(z.string(), z.number()).optional(),
  durationMs: z.number(),
  waits: z.array(z.object({ for: z.string(), ms: z.number() })).optional()
    .meta({ description: 'The waits the check had to make (a rate-limit window, a Retry-After, the target\'s documented timeouts), ms' }),
  waitedMs: z.number().optional().meta({ description: 'The sum of waits: the part of durationMs no tool could save' }),
  uses: z.object({ exclusive: z.array(z.string()), shared: z.array(z.string()) }).optional()
    .meta({ description: 'Resources held while it ran (target:upstream, quota:rate-limit:<env>): checks that conflict never overlap' }),
  startedMs: z.number().optional().meta({ description: 'When it started, ms from the run\'s startedAt' }),
  endedMs: z.number().optional().meta({ description: 'When it ended, ms from the run\'s startedAt' }),
})

const inferredLayer = z.object({ product: z.string().optional(), confidence, signals: z.array(z.string()) })

const benchRegression = z.object({ measurement: z.string(), metric: z.string(), before: z.number(), after: z.number(), change: z.number() })

const baseline = z.object({
  startedAt: z.string(),
  baseUrl: z.string(),
  counts: z.object({ new: z.number(), existing: z.number(), fixed: z.number(), regressions: z.number() }),
  findings: z.array(z.object({
    id: z.string(), title: z.string(), severity, status: z.enum(['new', 'existing', 'fixed']),
    before: verdict.optional(), after: verdict.optional(), regression: z.boolean(),
  })),
  benchRegressions: z.array(benchRegression).optional(),
})

const spread = z.object({ median: z.number(), min: z.number(), max: z.number(), relativeSpread: z.number(), samples: z.array(z.number()) })

const mode = z.object({
  label: z.string(),
  generator: z.enum(['autocannon', 'close-loop']),
  url: z.string(),
  rps: spread, p50Ms: spread, p90Ms: spread, p99Ms: spread, p99RawMs: spread,
  latencyCorrected: z.boolean(),
  generatorCpuPercent: spread,
  serverCpuPercent: spread.optional(),
  serverCpuNotMeasured: z.string().optional(),
  errors: z.number(), non2xx: z.number(), requests: z.number(),
  connectionsOpened: z.number().optional(),
  serverConnections: z.number().optional(),
  tlsResumed: z.number().optional(),
  generatorBoundRuns: z.number(),
  runs: z.number(),
  workerSpread: z.array(z.object({ requestsByWorker: z.record(z.string(), z.number()), busiestShare: z.number() })).optional(),
})

const bench = z.object({
  machine: z.object({ cores: z.number(), serverCores: z.array(z.number()), generatorCores: z.array(z.number()), pinned: z.boolean(), note: z.string() }),
  settings: z.object({ connections: z.number(), durationMs: z.number(), repeats: z.number(), warmupMs: z.number() }),
  gains: z.array(z.object({
    id: z.string(), name: z.string(), throughputRatio: z.number(), latencyRatio: z.number(), p99Ratio: z.number(),
    better: mode, baseline: mode, caveats: z.array(z.string()),
  })),
  scaling: z.array(z.object({
    id: z.string(), name: z.string(), route: z.string(),
    points: z.array(z.object({ workers: z.number(), measurement: mode, speedup: z.number(), efficiency: z.number() })),
    serverCores: z.number(), caveats: z.array(z.string()),
  })),
  thresholds: z.array(z.object({
    measurement: z.string(), expression: z.string(), metric: z.string(), operator: z.enum(['<', '<=', '>', '>=']),
    limit: z.number(), observed: z.number().optional(), verdict: z.enum(['pass', 'fail', 'missing']),
  })),
  durationMs: z.number(),
})

export const reportSchema = z.object({
  schemaVersion: z.literal(1),
  tool: z.object({ name: z.literal('layercheck'), version: z.string() }),
  target: z.object({
    baseUrl: z.string(),
    name: z.string(),
    layers: z.record(z.string(), z.string()).optional(),
    inferredLayers: z.object({ proxy: inferredLayer.optional(), server: inferredLayer.optional(), app: inferredLayer.optional() }).optional(),
  }),
  startedAt: z.string(),
  durationMs: z.number(),
  floorMs: z.number().optional()
    .meta({ description: 'A lower bound on the time any schedule needs for the checks\' waits under their declared conflicts (ms); durationMs / floorMs is the tool\'s overhead' }),
  summary: z.object({
    pass: z.number(), fail: z.number(), 'not-applicable': z.number(), error: z.number(), total: z.number(), warnings: z.number().optional(),
  }),
  checks: z.array(check),
  baseline: baseline.optional(),
  bench: bench.optional(),
}).meta({ title: 'layercheck report.json', description: 'What `layercheck run`, `bench`, `report merge` and `report diff --json` write (schemaVersion 1).' })

// The compiler's proof that schema and model describe the same data: each assignable to the other,
// and the same keys at every depth, so a field added to the model (even an optional one) and not here fails the type check.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false
type KeysMatch<A, B> =
  [A] extends [readonly (infer X)[]] ? ([B] extends [readonly (infer Y)[]] ? KeysMatch<X, Y> : false)
  : [A] extends [object] ? ([B] extends [object]
    ? [Exclude<keyof A, keyof B> | Exclude<keyof B, keyof A>] extends [never]
      ? { [K in keyof A & keyof B]-?: KeysMatch<NonNullable<A[K]>, NonNullable<B[K]>> }[keyof A & keyof B] | true
      : false
    : false)
  : true
type Output = z.output<typeof reportSchema>
const sameShape: [Same<Output, RunReport>, false extends KeysMatch<Output, RunReport> ? false : true] = [true, true]
void sameShape
