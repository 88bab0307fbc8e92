import type { AnsweredBy, ClientFailure, Exchange, RecordedResponse, Requirement, Tier } from '../model/check-result.ts'
import { attributeFailure, attributeResponse, type AttributionContext, type DocumentedAnswer } from '../attribution/attribute.ts'
import { excerpt } from '../http/excerpt.ts'
import { viewOf } from '../http/http-client.ts'
import { endpointOf } from '../net/endpoint.ts'
import { escapeBytes } from './escape-bytes.ts'
import { completeFinalResponses, parseResponses, type ParsedResponse } from './parse-responses.ts'
import { piecesOf, sendRaw, type RawPiece, type RawResult } from './raw-connection.ts'

/** One raw probe: exact bytes, the requirement they test, and how many answers a conformant server gives. */
export interface RawProbe {
  label: string
  requirement: Requirement
  /** The bytes (a latin1 string: every char one byte), or timed pieces. */
  bytes: string | readonly RawPiece[]
  /** Final responses a server that accepts everything would send (pipelined requests); 1 by default. */
  requests?: number
  /** Which of those requests are HEAD (their responses have no body). */
  head?: readonly boolean[]
  /** A shell expression that prints the bytes, when printf of the escaped bytes would be unwieldy. */
  reproBytes?: string
  /** The layer the profile documents as giving a status to this probe, weighed with the answer's own evidence. */
  documented?: DocumentedAnswer
}

/** Where and how raw probes connect, and whom a silent close is put down to. */
export interface RawTarget {
  url: string
  connectMs: number
  /** How long the server may stay silent after the last byte sent before we stop reading. */
  idleMs: number
  /** How long to wait, once every expected answer is in, for the server to close. */
  settleMs: number
  totalMs: number
  maxBytes: number
  tls?: { ca?: Buffer | string; insecure?: boolean }
  /** The profile's layer names and the run's calibration (its origin is this target's url). */
  attribution?: AttributionContext
  requestIdHeader?: string
  /** The layer that accepts connections at `url` (from the profile): answers with no HTTP are its doing. */
  firstHop?: { tier: Tier; product?: string }
  /** Masks secrets (a token the bytes carry, secret fields) in every text the evidence keeps. */
  redact?: (text: string) => string
}

export interface RawOutcome {
  probe: RawProbe
  raw: RawResult
  /** Final (non-1xx) responses in order. */
  finals: ParsedResponse[]
  /** Every response, 1xx included. */
  all: ParsedResponse[]
  /** The probe's evidence: its first final response, or why there was none. */
  exchange: Exchange
  /** A later final response of the same connection as its own exchange (a pipelined canary's answer). */
  exchangeOf(finalIndex: number, label: string): Exchange
}

const round = (ms: number) => Math.round(ms)
const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`

function recorded(response: ParsedResponse, redact: (text: string) => string): RecordedResponse {
  return {
    status: response.status,
    statusText: response.statusText || undefined,
    headers: response.headers.map(([name, value]) => [name, redact(value)]),
    bodyBytes: response.body.length,
    bodyTruncated: response.incomplete,
    bodyExcerpt: redact(excerpt(response.body)),
  }
}

const asIs = (text: string) => text

/** Why there was no HTTP answer, as a failure with a stable code. */
function failureOf(raw: RawResult, trailing: Buffer): ClientFailure {
  if (raw.end === 'connect-failed') return raw.failure ?? { code: 'ECONNREFUSED', message: 'connection failed' }
  if (trailing.length) return { code: 'RAW_NOT_HTTP', message: `${trailing.length} bytes came back that do not parse as an HTTP response` }
  if (raw.end === 'reset') return { code: 'ECONNRESET', message: `the server reset the connection after ${raw.endMs} ms without an answer` }
  if (raw.end === 'closed') return { code: 'RAW_CLOSED', message: `the server closed the connection after ${raw.endMs} ms without an answer` }
  return { code: 'RAW_NO_ANSWER', message: `no answer, and the connection still open, ${raw.endMs} ms after connecting` }
}

function attributeSilence(failure: ClientFailure, target: RawTarget): AnsweredBy {
  const byCode = attributeFailure(failure)
  if (byCode.tier === 'client' || !target.firstHop) return byCode
  const hop = target.firstHop
  return {
    tier: hop.tier,
    product: hop.product,
    confidence: 'certain',
    reason: `no HTTP answer (${failure.message}); the connection was with ${endpointOf(target.url).url}, which the profile names the ${hop.tier}${hop.product ? ` (${hop.product})` : ''}`,
    signals: [`error code ${failure.code}`, `connected to ${endpointOf(target.url).url}`],
  }
}

/** A command that sends the same bytes; slow pieces are replayed as one write. */
function reproOf(probe: RawProbe, sent: Buffer, target: RawTarget): string {
  const { host, port, tls } = endpointOf(target.url)
  const bytes = probe.reproBytes ?? `printf ${shellQuote(escapeBytes(sent, Infinity).replace(/%/g, '%%'))}`
  const conn = tls ? `openssl s_client -quiet -connect ${host}:${port}` : `nc -q 3 ${host} ${port}`
  return `${bytes} | ${conn}`
}

export async function runRawProbe(probe: RawProbe, target: RawTarget): Promise<RawOutcome> {
  const pieces = piecesOf(probe.bytes)
  const sent = Buffer.concat(pieces.map((p) => p.bytes))
  const noBody = (i: number) => probe.head?.[i] ?? false
  const raw = await sendRaw({
    url: target.url, bytes: pieces, connectMs: target.connectMs, idleMs: target.idleMs, totalMs: target.totalMs,
    maxBytes: target.maxBytes, tls: target.tls,
    settle: { responses: probe.requests ?? 1, settleMs: target.settleMs, complete: (b) => completeFinalResponses(b, noBody) },
  })
  const parsed = parseResponses(raw.received, { closed: raw.end !== 'open', noBody })
  const finals = parsed.responses.filter((r) => r.status >= 200)
  const requestIdHeader = (target.requestIdHeader ?? 'x-request-id').toLowerCase()
  const firstLine = sent.subarray(0, Math.max(0, sent.indexOf('\r\n')) || Math.min(sent.length, 200))
  const [method = '', requestTarget = ''] = firstLine.toString('latin1').split(' ')
  const redact = target.redact ?? asIs
  const evidence = {
    sent: redact(escapeBytes(sent)),
    bytesSent: raw.bytesSent,
    pieces: pieces.length > 1 ? pieces.length : undefined,
    requirement: probe.requirement,
    responses: parsed.responses.length,
    statuses: parsed.responses.map((r) => r.status),
    bytesReceived: raw.received.length,
    end: raw.end,
    endMs: raw.endMs,
    trailing: parsed.trailing.length ? redact(escapeBytes(parsed.trailing, 512)) : undefined,
  }
  const base = {
    request: {
      method: escapeBytes(Buffer.from(method, 'latin1'), 40),
      url: `${endpointOf(target.url).url.replace(/\/$/, '')}${escapeBytes(Buffer.from(requestTarget, 'latin1'), 200)}`,
      headers: [] as [string, string][],
      bodyBytes: sent.length,
      bodyExcerpt: evidence.sent,
    },
    timing: { startedAt: raw.startedAt, totalMs: round(raw.endMs), headersMs: raw.firstByteMs },
    repro: redact(reproOf(probe, sent, target)),
    raw: evidence,
  }
  const exchangeOf = (finalIndex: number, label: string): Exchange => {
    // With no final response, an interim one (100 Continue) is still the answer to show.
    const response = finals[finalIndex] ?? (finalIndex === 0 ? parsed.responses[0] : undefined)
    if (response) {
      const rec = recorded(response, redact)
      let answeredBy = attributeResponse(viewOf(rec), { ...target.attribution, firstHop: target.firstHop, origin: new URL(target.url).origin }, probe.documented)
      if (answeredBy.tier === 'unknown' && response.status < 200 && target.firstHop) {
        const hop = target.firstHop
        answeredBy = {
          tier: hop.tier, product: hop.product, confidence: 'certain', signals: [`interim ${response.status} with no body`],
          reason: `an interim ${response.status} comes from the hop reading the request: the ${hop.tier}${hop.product ? ` (${hop.product})` : ''} at ${endpointOf(target.url).url}, per the profile`,
        }
      }
      return {
        label, ...base, response: rec,
        requestId: response.headers.find(([n]) => n.toLowerCase() === requestIdHeader)?.[1],
        answeredBy,
      }
    }
    const failure = finalIndex === 0 ? failureOf(raw, parsed.trailing) : {
      code: raw.end === 'open' ? 'RAW_NO_ANSWER' : 'RAW_CLOSED',
      message: `no response #${finalIndex + 1} on this connection (${finals.length} received; connection ${raw.end})`,
    }
    return { label, ...base, failure, answeredBy: attributeSilence(failure, target) }
  }
  return { probe, raw, finals, all: parsed.responses, exchange: exchangeOf(0, probe.label), exchangeOf }
}
