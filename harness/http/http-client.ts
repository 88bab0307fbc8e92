import { Readable } from 'node:stream'
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { checkServerIdentity, type PeerCertificate } from 'node:tls'
import { Agent, request } from 'undici'
import type { Exchange, RecordedResponse } from '../model/check-result.ts'
import { attributeFailure, attributeResponse, type AttributionContext, type DocumentedAnswer } from '../attribution/attribute.ts'
import type { ResponseView } from '../attribution/clue.ts'
import { toClientFailure } from './client-failure.ts'
import { excerpt } from './excerpt.ts'
import { curlRepro } from './repro.ts'
import type { Redactor } from './redactor.ts'

export interface HttpClientOptions {
  baseUrl: string
  connectMs: number
  requestMs: number
  /** Reading stops here: a hostile target cannot make us buffer an endless body. */
  maxResponseBytes: number
  caFile?: string
  insecure?: boolean
  redactor: Redactor
  requestIdHeader: string
  /** The profile's layer names and, once the run has calibrated, this target's own fingerprints. */
  attribution?: AttributionContext
}

export interface SendOptions {
  method?: string
  /** Path (and query) relative to the base URL, or an absolute URL. */
  path: string
  headers?: Record<string, string>
  body?: string | Uint8Array
  label?: string
  /** Tighter bound for this request than the profile's requestMs (fault probes wait just past the documented time). */
  timeoutMs?: number
  /** The layer the profile documents as giving a status to this probe: weighed with the answer's own evidence. */
  documented?: DocumentedAnswer
  /** Sent without the credentials `auth.sendTokenTo` adds (a probe about missing credentials, a preflight). */
  anonymous?: true
  /** How the body is framed: by Content-Length (default), or chunked with no length announced (RFC 9112 §7.1). */
  framing?: 'content-length' | 'chunked'
}

const CHUNK_BYTES = 64 * 1024

/** The body as a stream of pieces: undici frames a stream it has no length for as chunked. */
function chunksOf(body: Uint8Array): Readable {
  const pieces: Uint8Array[] = []
  for (let at = 0; at < body.length; at += CHUNK_BYTES) pieces.push(body.subarray(at, at + CHUNK_BYTES))
  return Readable.from(pieces, { objectMode: false })
}

const USER_AGENT = 'layercheck/0.1 (+conformance probe)'

/**
 * The undici-based client every check uses. It never throws for what a target
 * does: a refused connection, a timeout or garbage all become an Exchange with
 * a failure and an attribution, bounded in time and in bytes read.
 */
export class HttpClient {
  readonly options: HttpClientOptions
  readonly #agent: Agent
  /** Agents pinned to a TLS server name, for probes whose Host header is not the target's (see #dispatcherFor). */
  readonly #pinned = new Map<string, Agent>()

  constructor(options: HttpClientOptions) {
    this.options = options
    this.#agent = this.#newAgent()
  }

  #newAgent(servername?: string): Agent {
    return new Agent({
      connect: {
        timeout: this.options.connectMs,
        ca: this.options.caFile ? readFileSync(this.options.caFile) : undefined,
        rejectUnauthorized: !this.options.insecure,
        servername,
        // The certificate is checked against the host we connect to, not the Host header's.
        ...(servername && { checkServerIdentity: (_host: string, cert: PeerCertificate) => checkServerIdentity(servername, cert) }),
      },
      headersTimeout: this.options.requestMs,
      bodyTimeout: this.options.requestMs,
      keepAliveTimeout: 2000,
    })
  }

  /**
   * undici takes the TLS server name from a Host header when one is given, so a
   * probe that sends a foreign Host (trusted-host checks) would fail the
   * handshake instead of reaching the layer it tests: keep SNI on the URL's host.
   */
  #dispatcherFor(url: string, headers: Record<string, string>): Agent {
    const parsed = new URL(url)
    if (parsed.protocol !== 'https:' || !Object.keys(headers).some((name) => name.toLowerCase() === 'host')) return this.#agent
    let agent = this.#pinned.get(parsed.hostname)
    if (!agent) {
      agent = this.#newAgent(parsed.hostname)
      this.#pinned.set(parsed.hostname, agent)
    }
    return agent
  }

  url(path: string): string {
    return /^https?:\/\//.test(path) ? path : new URL(path, this.options.baseUrl).href
  }

  async send(options: SendOptions): Promise<Exchange> {
    return (await this.#exchange(options)).exchange
  }

  /** GETs a JSON document whole (up to the byte cap); for the harness's own reads, such as OpenAPI. */
  async getJson(path: string): Promise<{ exchange: Exchange; json?: unknown }> {
    const { exchange, bytes } = await this.#exchange({ path, headers: { accept: 'application/json' } })
    try {
      return { exchange, json: bytes && !exchange.response?.bodyTruncated ? JSON.parse(bytes.toString('utf8')) : undefined }
    } catch {
      return { exchange }
    }
  }

  async #exchange(options: SendOptions): Promise<{ exchange: Exchange; bytes?: Buffer }> {
    let bodyBytes: Buffer | undefined
    const method = options.method ?? 'GET'
    const url = this.url(options.path)
    const body = typeof options.body === 'string' ? new TextEncoder().encode(options.body) : options.body
    const headers: Record<string, string> = { 'user-agent': USER_AGENT, ...options.headers }
    const chunked = body !== undefined && options.framing === 'chunked'
    if (body && !chunked) headers['content-length'] = String(body.length)
    // undici writes Transfer-Encoding itself (it refuses one set by hand): recorded here for the evidence and the repro.
    const sentHeaders = Object.entries(chunked ? { ...headers, 'transfer-encoding': 'chunked' } : headers) as [string, string][]
    const redactor = this.options.redactor
    // Before anything is recorded: the answer, or a log line, may echo a secret field's value.
    if (body?.length) redactor.learnSecretsFrom(new TextDecoder().decode(body))
    const startedAt = new Date()
    const started = performance.now()
    let headersMs: number | undefined
    let response: RecordedResponse | undefined
    let failure: Exchange['failure']

    try {
      const res = await request(url, {
        dispatcher: this.#dispatcherFor(url, headers),
        method,
        headers,
        body: chunked ? chunksOf(body) : body && Buffer.from(body.buffer, body.byteOffset, body.byteLength),
        responseHeaders: 'raw',
        headersTimeout: options.timeoutMs ?? this.options.requestMs,
        bodyTimeout: options.timeoutMs ?? this.options.requestMs,
        // A hard cap over connect + headers + body, behind undici's own finer timeouts.
        signal: AbortSignal.timeout(this.options.connectMs + (options.timeoutMs ?? this.options.requestMs)),
      })
      headersMs = performance.now() - started
      const raw = res.headers as unknown as Buffer[]
      const pairs: [string, string][] = []
      for (let i = 0; i + 1 < raw.length; i += 2) pairs.push([raw[i]!.toString('latin1'), raw[i + 1]!.toString('latin1')])
      const read = await readCapped(res.body, this.options.maxResponseBytes)
      // A body that broke off mid-way keeps its status and headers as evidence.
      if (read.error) failure = toClientFailure(read.error)
      bodyBytes = read.bytes
      response = {
        status: res.statusCode,
        headers: redactor.headers(pairs),
        bodyBytes: read.total,
        bodyTruncated: read.truncated,
        bodyExcerpt: redactor.text(excerpt(read.bytes)),
        bodySha256: createHash('sha256').update(read.bytes).digest('hex'),
      }
    } catch (error) {
      failure = toClientFailure(error)
    }
    if (failure) failure = { code: failure.code, message: redactor.text(failure.message) }

    const requestIdHeader = this.options.requestIdHeader.toLowerCase()
    const requestId = response?.headers.find(([name]) => name.toLowerCase() === requestIdHeader)?.[1]
    const exchange: Exchange = {
      label: options.label,
      request: {
        method,
        url: redactor.text(url),
        headers: redactor.headers(sentHeaders),
        bodyBytes: body?.length ?? 0,
        bodyExcerpt: body && body.length ? redactor.text(excerpt(body, 512)) : undefined,
      },
      response,
      failure,
      timing: { startedAt: startedAt.toISOString(), totalMs: round(performance.now() - started), headersMs: headersMs && round(headersMs) },
      requestId,
      answeredBy: response
        ? attributeResponse(viewOf(response), { ...this.options.attribution, origin: new URL(url).origin }, options.documented)
        : attributeFailure(failure!),
      repro: curlRepro({
        method, url, headers: sentHeaders, body,
        envReferences: (value) => redactor.asEnvReferences(value), caFile: this.options.caFile, insecure: this.options.insecure,
      }),
    }
    return { exchange, bytes: bodyBytes }
  }

  async close(): Promise<void> {
    await Promise.all([this.#agent, ...this.#pinned.values()].map((agent) => agent.close()))
  }
}

const round = (ms: number) => Math.round(ms * 10) / 10

export function viewOf(response: RecordedResponse): ResponseView {
  return {
    status: response.status,
    header: (name: string) => headerValue(response, name),
    headers: response.headers,
    body: response.bodyExcerpt,
  }
}

/** All values of a header, joined as RFC 9110 §5.3 allows for list-valued fields. */
export function headerValue(response: RecordedResponse, name: string): string | undefined {
  const values = response.headers.filter(([n]) => n.toLowerCase() === name.toLowerCase()).map(([, v]) => v)
  return values.length ? values.join(', ') : undefined
}

async function readCapped(stream: AsyncIterable<Buffer> & { destroy(): void }, cap: number) {
  const chunks: Buffer[] = []
  let total = 0
  let truncated = false
  let error: unknown
  try {
    for await (const chunk of stream) {
      total += chunk.length
      if (total > cap) {
        chunks.push(chunk.subarray(0, chunk.length - (total - cap)))
        truncated = true
        stream.destroy()
        break
      }
      chunks.push(chunk)
    }
  } catch (caught) {
    error = caught
  }
  const bytes = Buffer.concat(chunks)
  return { bytes, truncated, total: truncated ? bytes.length : total, error }
}
