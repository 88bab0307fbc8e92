import { z } from 'zod'
import { parseThreshold } from '../bench/threshold-expression.ts'

// The target profile: what the deployment documents. Every object is strict, so
// a misspelt key is an error that names it rather than a silently ignored line.

const path = z.string().startsWith('/', { message: 'must be a path starting with "/"' })
const envName = z.string().regex(/^[A-Z_][A-Z0-9_]*$/, { message: 'must be an environment variable name like LAYERCHECK_TOKEN' })
const method = z.string().regex(/^[A-Z]+$/, { message: 'must be an upper-case HTTP method such as GET' })

const route = z.strictObject({
  path,
  methods: z.array(method).min(1),
})

const jsonEndpoint = z.strictObject({
  /** A POST/PUT endpoint that takes a JSON body. */
  method: method.default('POST'),
  path,
  /** A body the endpoint accepts (2xx). */
  validBody: z.record(z.string(), z.unknown()),
  /** A body with several invalid fields, and the names of those fields. */
  invalidBody: z.record(z.string(), z.unknown()).optional(),
  invalidFields: z.array(z.string()).optional(),
  /** A string field that may be padded to reach a body size (for the body-size probes). */
  paddingField: z.string().optional(),
})

/** How much of a log is read, from its end (unset: 8 MiB); older bytes are skipped and checks say so. */
const tailBytes = z.number().int().min(1024, { message: 'must be at least 1024 bytes' }).optional()

/**
 * Where a layer's log can be read: a file or a glob of files (each read from its end), or a
 * command that prints it (its output's end is kept; one still running after timeoutMs is stopped).
 */
const logSource = z.union([
  z.strictObject({ file: z.string().min(1), tailBytes }),
  z.strictObject({ command: z.string().min(1), timeoutMs: z.number().int().positive().default(5000), tailBytes }),
], { message: 'must be { file: "…" } or { command: "…" }' })

/** One source, or a list of them when a layer writes to several places. */
const logSources = z.union([logSource, z.array(logSource).min(1)], { message: 'must be { file: "…" }, { command: "…" }, or a list of them' })

const httpUrl = z.url({ protocol: /^https?$/, message: 'must be an absolute http:// or https:// URL' })
const benchId = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, { message: 'must be lower-case letters, digits and dashes, e.g. workers-cpu' })

const thresholdExpression = z.string().superRefine((expression, ctx) => {
  const parsed = parseThreshold(expression)
  if (typeof parsed === 'string') ctx.addIssue({ code: 'custom', message: parsed })
})

/** What `layercheck bench` loads, and the thresholds that decide its exit code. */
const benchSection = z.strictObject({
  /** Path loaded for the client keep-alive gain, on baseUrl (and connection.httpsUrl when set). */
  path: path.default('/health'),
  connections: z.number().int().positive().max(1000).default(32),
  durationS: z.number().positive().max(60).default(3),
  /** Interleaved runs per mode: medians and [min–max] come from these (3 or more for a figure worth reporting). */
  repeats: z.number().int().positive().max(20).default(3),
  warmupS: z.number().nonnegative().max(30).default(1),
  /** The same route behind the proxy with and without upstream keep-alive, for the proxy→app gain. */
  upstreamKeepAlive: z.strictObject({ with: httpUrl, without: httpUrl }).optional(),
  /** Worker scaling on a deployment: one labelled URL per worker count. */
  scaling: z.array(z.strictObject({
    id: benchId,
    name: z.string().optional(),
    points: z.array(z.strictObject({ workers: z.number().int().positive(), url: httpUrl })).min(2),
  })).default([]),
  /** Per measurement id (keepalive-http, keepalive-tls, upstream-keepalive, workers-cpu, workers-io/2, …): expressions such as p(99)<250, rps>1000, keepAliveGain>1.5. */
  thresholds: z.record(z.string(), z.array(thresholdExpression).min(1)).default({}),
}).prefault({})

export const profileSchema = z.strictObject({
  /** A JSON profile's pointer to its JSON Schema, for editors (`./node_modules/layercheck/schemas/profile.schema.json`); not read. */
  $schema: z.string().optional(),
  name: z.string().optional(),
  baseUrl: z.url({ protocol: /^https?$/, message: 'must be an absolute http:// or https:// URL' }),
  tls: z.strictObject({
    caFile: z.string().optional(),
    insecure: z.boolean().default(false),
  }).optional(),
  /** What the connection checks (lifecycle steps 1–3) probe and accept. */
  connection: z.strictObject({
    /** The TLS endpoint to inspect; by default baseUrl when it is https://. */
    httpsUrl: z.url({ protocol: /^https$/, message: 'must be an absolute https:// URL: the TLS endpoint to inspect' }).optional(),
    /** A certificate with fewer days left than this fails connection.tls.expiry-window (a warning). */
    certExpiryWarnDays: z.number().int().nonnegative({ message: 'must be 0 or more days' }).default(30),
  }).prefault({}),
  layers: z.strictObject({
    loadBalancer: z.string().optional(),
    /**
     * The front's product: any name (`nginx`, `haproxy`, `caddy`, `apache`, `envoy`, `traefik`, `varnish`, or your own), or
     * `none`. A known one brings its settings' names to diagnoses and its stock RFC choices; an unknown one, the RFC alone.
     */
    proxy: z.string().trim().min(1, { message: 'name the product (e.g. nginx, haproxy, caddy) or "none"' }).optional(),
    server: z.string().optional(),
    app: z.string().optional(),
  }).optional(),
  timeouts: z.strictObject({
    connectMs: z.number().int().positive().default(3000),
    requestMs: z.number().int().positive().default(10000),
    maxResponseBytes: z.number().int().positive().default(1_048_576),
  }).prefault({}),
  routes: z.strictObject({
    /** Path of the target's OpenAPI document (FastAPI serves /openapi.json); false to skip. */
    openapi: z.union([path, z.literal(false)]).default(false),
    list: z.array(route).default([]),
    /**
     * A GET route that takes as long as asked: `{ms}` or `{s}` (whole seconds) where the duration goes,
     * e.g. `/slow?ms={ms}` or `/slow?seconds={s}`. Times the 504 and the answers under the timeout (see `upstream`).
     */
    slow: path.regex(/\{(ms|s)\}/, { message: 'must contain {ms} or {s} where the duration goes, e.g. /slow?seconds={s}' }).optional(),
    /** A GET route with a large, deterministic body (compression; truncation and trickle faults). */
    large: path.optional(),
    /** A request that crashes the worker serving it, and how soon requests must succeed again. */
    crash: z.strictObject({ method: method.default('POST'), path, recoveryMs: z.number().int().positive().default(5000) }).optional(),
  }).prefault({}),
  /** Every method on every route (suites/routing/every-method.ts). */
  methods: z.strictObject({
    /** Path templates probed with every method; beyond this many, a sample spread evenly over the list. */
    maxPaths: z.number().int().positive().max(500, { message: 'at most 500: each path gets about ten probes' }).default(24),
    /** RFC 9110 §9.1: an unrecognised method SHOULD get 501; a 405 with Allow is also seen. The documented answer; unset: either. */
    unknownMethodStatus: z.union([z.literal(501), z.literal(405)]).optional(),
  }).prefault({}),
  /**
   * Negative cases generated from the OpenAPI document's schemas (suites/validation/schema-every-operation.ts): per
   * operation, a missing required field, a wrong type, a value just outside each declared bound, an unknown field,
   * the wrong media type, no body; path and query parameters of the wrong type. Needs routes.openapi.
   */
  schemaCases: z.strictObject({
    /** Picks the values and the samples: the same seed sends the same cases every run (`--seed` overrides it). */
    seed: z.number().int().nonnegative({ message: 'must be a whole number of 0 or more' }).max(4_294_967_295, { message: 'must fit in 32 bits' }).default(1),
    /** Cases per operation at most; beyond, a seeded sample (the report says how many were left out). */
    maxPerOperation: z.number().int().positive().max(200, { message: 'at most 200 cases per operation' }).default(16),
    /** Cases in all at most, one request each; beyond, a seeded sample. */
    maxTotal: z.number().int().positive().max(5000, { message: 'at most 5000 cases' }).default(300),
    /** Send only these case ids (`POST /items body.name maxLength+1`), whatever the sampling: a replay. `--case` sets it. */
    replay: z.array(z.string().min(1)).default([]),
    /** Operations never probed: path templates as the document writes them (a trailing `*` matches a prefix), and methods. routes.crash is never probed. */
    exclude: z.strictObject({
      paths: z.array(z.string().regex(/^\//, { message: 'must be a path template starting with /, e.g. /admin/*' })).default([]),
      methods: z.array(method).default([]),
    }).prefault({}),
    /**
     * Whether the document declares every status its operations answer (suites/validation/documented-statuses.ts):
     * true, an undocumented status from the app fails the run; unset, it is reported as a warning; false, not checked.
     */
    statusesDocumented: z.boolean().optional(),
  }).prefault({}),
  probes: z.strictObject({
    /** A path the app does not serve (a random suffix is added). */
    unknownPath: path.default('/layercheck-no-such-route'),
    /** A cheap path that answers 2xx without credentials. Unset, a run looks for one (`/`, common health paths, the OpenAPI document's open GETs). */
    healthPath: path.default('/'),
    /**
     * What healthPath answers: `2xx` (what it documents), or the 4xx status the app gives there when a run found no
     * open path answering 2xx (its router's 404; a 401 where every path needs a token). Checks that need only an
     * answer from the app take that one; checks that need a 2xx are then not applicable. Set by the run, not by hand.
     */
    healthAnswers: z.union([z.literal('2xx'), z.number().int().min(400).max(499)]).default('2xx'),
    jsonEndpoint: jsonEndpoint.optional(),
    /** A path whose handler raises, where the deployment has one. */
    errorPath: path.optional(),
  }).prefault({}),
  auth: z.strictObject({
    scheme: z.literal('bearer').default('bearer'),
    /** A path that needs a valid token. */
    protectedPath: path,
    method: method.default('GET'),
    /** The environment variable holding a valid token; tokens never live in the file. */
    tokenEnv: envName,
    /** A path the token of `forbidden.tokenEnv` may not use: must give 403. */
    forbidden: z.strictObject({ path, tokenEnv: envName }).optional(),
    /**
     * Paths behind authentication that other checks probe (the JSON endpoint, a probe path): their
     * probes carry the token of `tokenEnv`, so they reach what they are about instead of a 401. A
     * trailing `*` matches a prefix (`/api/*`). The checks about missing and bad tokens still send
     * none or a bad one.
     */
    sendTokenTo: z.array(z.string().regex(/^\//, { message: 'must start with /' })).default([]),
  }).optional(),
  limits: z.strictObject({
    maxBodyBytes: z.number().int().positive().optional(),
    /** The layer documented to enforce maxBodyBytes. */
    bodyLimitLayer: z.enum(['proxy', 'app']).default('proxy'),
  }).prefault({}),
  contentType: z.strictObject({
    /** RFC 9110 allows 415 or 422 (or a plain 400) for a body of the wrong type: the documented one. Unset: any of them. */
    mismatchStatus: z.union([z.literal(415), z.literal(422), z.literal(400)]).optional(),
    /** Whether a JSON body with no Content-Type at all is documented as accepted (RFC 9110 §8.3 lets a server sniff). */
    acceptsMissing: z.boolean().default(false),
  }).prefault({}),
  /** How the app refuses a body that does not validate: RFC 9110 allows 422 (§15.5.21) or 400 (§15.5.1). Unset: either. */
  validation: z.strictObject({
    invalidStatus: z.union([z.literal(422), z.literal(400)]).optional(),
    missingBodyStatus: z.union([z.literal(422), z.literal(400), z.literal(415)]).optional(),
  }).prefault({}),
  requestId: z.strictObject({
    header: z.string().default('X-Request-ID'),
    /** What a generated ID looks like. */
    generated: z.enum(['uuid', 'hex32', 'any']).default('uuid'),
    /** Longest client ID the deployment documents as accepted (and echoed). */
    maxLength: z.number().int().positive().default(200),
    /** Whether the proxy adds the ID to its own error pages (413, 502, 504). */
    proxyAddsOnErrors: z.boolean().default(false),
  }).optional(),
  /** What the proxy documents about waiting on the app: the slow-route and fault checks time their answers by it. */
  upstream: z.strictObject({
    /** The proxy's read timeout for one app instance: a slow instance is given up on after this (nginx proxy_read_timeout). */
    readTimeoutMs: z.number().int().positive(),
    /** When the proxy answers 504 for an app that never answers, retries included (e.g. proxy_read_timeout × tries). */
    gatewayTimeoutMs: z.number().int().positive(),
    /** Slack around documented timings: scheduling, loopback, the client. */
    marginMs: z.number().int().nonnegative().default(500),
    /** How many app instances the proxy balances over: the crash check crashes each, so no healthy one hides a missing respawn. */
    instances: z.number().int().positive().max(16).default(1),
  }).optional(),
  faults: z.strictObject({
    /** The Toxiproxy API that sits between the proxy and the app. */
    toxiproxyApi: z.url({ protocol: /^https?$/, message: 'must be the http:// URL of the Toxiproxy API' }),
    /** Toxiproxy proxy names of every proxy → app link (one per app instance the proxy balances over). */
    links: z.array(z.string().min(1)).min(1),
    /** A 502 for an upstream that refuses connections must come at least this fast. */
    fastFailMs: z.number().int().positive().default(1000),
    /** How long errors may persist after a fault clears (0: the very first request must succeed). */
    recoveryMs: z.number().int().nonnegative().default(0),
    /** What clients see while one of several upstreams is slow: retried on another (200) or 504. */
    onSlowUpstream: z.enum(['retry', '504']).default('retry'),
  }).optional(),
  propagation: z.strictObject({
    /** A path whose handler calls a downstream service. */
    path,
    /** Where that downstream call can be observed: a capture server listing what reached it at GET {captureUrl}/__captured. */
    captureUrl: z.url({ protocol: /^https?$/ }),
  }).optional(),
  rateLimit: z.strictObject({
    /** A path under the documented quota; requests need the token in tokenEnv. */
    path,
    method: method.default('GET'),
    tokenEnv: envName,
    /**
     * A second token with a quota of its own (another client): the after-auth check spends it, so it runs beside
     * the 429 check instead of after it. Unset: both use tokenEnv, one after the other.
     */
    secondTokenEnv: envName.optional(),
    /** The quota: this many requests per window, per token. */
    requests: z.number().int().positive().max(100, { message: 'at most 100: the probe sends quota + 1 requests' }),
    windowS: z.number().positive().max(10, { message: 'at most 10 s: the check waits one window for the quota to recover' }),
  }).optional(),
  login: z.strictObject({
    /** A login route whose body carries a password (a marker password is sent; it must appear in no log). */
    path,
    method: method.default('POST'),
    usernameField: z.string().default('username'),
    passwordField: z.string().default('password'),
  }).optional(),
  cors: z.strictObject({
    /** Browser origins allowed to call the API (exact scheme://host[:port]). */
    allowedOrigins: z.array(z.url({ message: 'must be an origin such as https://app.example.com' })).min(1),
    /** Whether credentialed requests (cookies, Authorization) are allowed from those origins. */
    credentials: z.boolean().default(false),
    /** A method and a request header a preflight from an allowed origin must be granted. */
    preflightMethod: method.default('POST'),
    preflightHeader: z.string().default('content-type'),
  }).optional(),
  trustedHosts: z.strictObject({
    /** The status a Host outside the allowlist gets, and from which layer. */
    status: z.number().int().min(400).max(499).default(400),
    layer: z.enum(['proxy', 'app']).default('app'),
  }).optional(),
  forwarded: z.strictObject({
    /** A path that echoes what the app saw: JSON with the client address and the request headers. */
    echoPath: path,
    /** JSON field with the client address the app believes in. */
    clientField: z.string().default('client'),
    /** JSON field with the headers as [name, value] pairs or an object. */
    headersField: z.string().default('headers'),
    /** JSON field with the HTTP version the request reached the app in ("1.1"), for the proxy→app hop check. */
    httpVersionField: z.string().default('http_version'),
    /** JSON field with the port of the peer the app saw (one per connection), for the proxy→app hop check. */
    peerPortField: z.string().default('client_port'),
  }).optional(),
  responseHeaders: z.strictObject({
    /** Bodies at least this large are gzip-compressed when the client accepts it. */
    compressionMinBytes: z.number().int().positive().optional(),
    /** HSTS on TLS responses with at least this max-age (seconds). */
    hstsMinAgeS: z.number().int().positive().optional(),
    /**
     * X-Content-Type-Options: nosniff on every answer. A recommendation (WHATWG Fetch), not an RFC requirement: unset, it is
     * still checked, but a missing header is a warning that fails the run only with --fail-on info; true makes it a requirement.
     */
    nosniff: z.boolean().optional(),
    /** No version in Server or error pages (RFC 9110 §10.2.4: SHOULD NOT). Unset: checked as a recommendation, as nosniff is. */
    hideServerVersion: z.boolean().optional(),
  }).prefault({}),
  /**
   * Raw HTTP/1.1 probes (suites/protocol). Where RFC 9110/9112 let a server choose,
   * the deployment's choice: unset, every permitted answer passes (or the known
   * first-hop product's stock choice, harness/products/protocol-choices.ts).
   * Size limits are enforced only when documented here.
   */
  protocol: z.strictObject({
    /** Where the raw probes connect; baseUrl by default. */
    url: z.url({ protocol: /^https?$/, message: 'must be an absolute http:// or https:// URL' }).optional(),
    /** The layer that accepts connections there (parse errors are its to refuse); the proxy when layers.proxy names one. */
    firstHop: z.enum(['proxy', 'app-server']).optional(),
    /** Longest request-target served (nginx: large_client_header_buffers 8k); RFC 9112 §3 asks for at least 8000 octets. Unset: no limit is enforced. */
    maxUriBytes: z.number().int().min(8000, { message: 'must be at least 8000 bytes (RFC 9112 §3)' }).optional(),
    /** Longest header field line served (nginx: large_client_header_buffers 8k). Unset: no limit is enforced. */
    maxHeaderFieldBytes: z.number().int().min(1024, { message: 'must be at least 1024 bytes' }).optional(),
    /** RFC 9110 §5.4 asks for a 4xx; RFC 6585 §5 names 431; nginx sends 400 "Request Header Or Cookie Too Large". */
    headerTooLargeStatus: z.union([z.literal(400), z.literal(431)]).optional(),
    /** RFC 9112 §5.2: a server rejects obs-fold with 400 or replaces it with SP. */
    obsFold: z.enum(['reject', 'unfold']).optional(),
    /** RFC 9110 §15.6.6: a server MAY refuse a major version it does not support with 505. */
    unsupportedVersionStatus: z.union([z.literal(505), z.literal(400)]).optional(),
    /** RFC 9112 §6.1: 501 SHOULD; §6.3(4): 400 when chunked is not final. */
    unknownTransferCodingStatus: z.union([z.literal(501), z.literal(400)]).optional(),
    /** How long an incomplete header section may take before the connection is closed (nginx client_header_timeout). */
    clientHeaderTimeoutMs: z.number().int().positive().optional(),
    /** How long a stalled body may wait before the connection is closed (nginx client_body_timeout). */
    clientBodyTimeoutMs: z.number().int().positive().optional(),
    /** Slack around those timeouts: scheduling, loopback. */
    timingMarginMs: z.number().int().nonnegative().default(1000),
    /** How long a probe waits for an answer after its last byte before calling the server silent. */
    readTimeoutMs: z.number().int().positive().default(1500),
    /** How long an idle keep-alive connection is kept before the server closes it (nginx keepalive_timeout). */
    keepAliveIdleMs: z.number().int().positive().optional(),
  }).prefault({}),
  logs: z.strictObject({
    /** The app's log, where each request's ID appears: lets checks prove a request never reached the app. */
    app: logSources.optional(),
    /** The proxy's access and error logs, where they can be read. */
    proxy: logSources.optional(),
  }).optional(),
  /** What evidence masks besides tokens: values of secret fields in bodies, query strings and log lines. */
  redact: z.strictObject({
    /**
     * Field names whose values are secrets, on top of the defaults (password, token, api_key, client_secret, …;
     * harness/http/secret-fields.ts). Matched case-insensitively, with or without `-`/`_`, and as a longer name's last words.
     */
    fields: z.array(z.string().min(1, { message: 'must be a field name' })).default([]),
  }).prefault({}),
  bench: benchSection,
  /** How a run paces itself against this target. */
  run: z.strictObject({
    /**
     * At most this many checks at once (checks that conflict never overlap, whatever this says). Unset: 8 on
     * loopback, 4 elsewhere — a few requests in flight, as from one browser, while the long waits overlap.
     */
    concurrency: z.number().int().min(1, { message: 'at least 1 (1 runs the checks one at a time)' }).max(32, { message: 'at most 32: more would flood the target, not save time' }).optional(),
  }).prefault({}),
  /**
   * Your own checks, and what to do with any check: `include` lists files of checks written with
   * `defineCheck` (globs, relative to this profile's file: `['./checks/*.ts']`); every other key is a
   * check id (built-in or yours) with what to do with it.
   */
  checks: z.object({
    /** Files of your own checks (globs, relative to the profile's file); each exports checks made with defineCheck. */
    include: z.array(z.string().min(1, { message: 'must be a file or a glob' })).optional(),
  }).catchall(z.strictObject({
    /** Skip this check, with the reason printed in every report. */
    skip: z.string().min(1, { message: 'give the reason for skipping' }),
  })).default({}),
})

/**
 * `checks` as TypeScript sees it: `include` beside the check ids. The schema says "every key but include is a
 * check id"; an index signature cannot, so each entry's type admits both and `checkSetting` reads an id's.
 */
export type ChecksSection = { include?: string[] } & { [id: string]: { skip: string } | string[] | undefined }
export type ProfileInput = Omit<z.input<typeof profileSchema>, 'checks'> & { checks?: ChecksSection }
export type Profile = Omit<z.output<typeof profileSchema>, 'checks'> & { checks: ChecksSection }

/** What the profile says about one check (`checks.<id>`), never `include`'s list. */
export function checkSetting(profile: Readonly<Profile>, id: string): { skip: string } | undefined {
  const entry = profile.checks[id]
  return entry && !Array.isArray(entry) ? entry : undefined
}

export type LogSource = z.output<typeof logSource>
