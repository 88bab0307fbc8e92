import { defineCheck, type CheckDefinition } from '../../harness/check/define-check.ts'
import { expectResponse, gotOf } from '../../harness/check/expect-response.ts'
import type { Outcome } from '../../harness/check/define-check.ts'
import type { Exchange } from '../../harness/model/check-result.ts'
import type { Profile } from '../../harness/profile/schema.ts'
import type { RawOutcome } from '../../harness/raw/raw-exchange.ts'
import { connectionFailure, healthPath, needsServedPath, STAYED_OPEN, hostOf, parserDiagnosis, runCases, type ProbeCase } from './raw-probes.ts'
import { failWith, problem, type Problem } from '../../harness/check/problem.ts'

// Request smuggling, one hop at a time: an ambiguous request and a pipelined
// canary on a connection of our own. A hop that frames the body one way and a
// hop behind it that frames it the other would disagree where the canary starts.
// Pass: refused (400/501) and closed, or each request answered once, in order,
// the canary as the plain request it is, and the connection closed when both
// Content-Length and Transfer-Encoding were sent (RFC 9112 §6.1: MUST close).

interface Vector {
  label: string
  /** Header lines that make the framing ambiguous; {CL} is replaced by the body's length. */
  lines: string[]
  /** The body: framed one way it ends early and the rest is read as a new request. */
  body: (smuggledLine: string, host: string) => string
}

const clTeBody = (smuggled: string) => `0\r\n\r\n${smuggled}\r\nX-Ignore: `
const teClBody = (smuggled: string, host: string) => {
  const inner = `${smuggled}\r\nHost: ${host}\r\nContent-Length: 0\r\n\r\n`
  return `${inner.length.toString(16)}\r\n${inner}\r\n0\r\n\r\n`
}

function smugglingCase(profile: Readonly<Profile>, vector: Vector, nonce: string): ProbeCase {
  const host = hostOf(profile)
  const path = healthPath(profile)
  const smuggled = `GET ${profile.probes.unknownPath}-smuggled-${nonce} HTTP/1.1`
  const body = vector.body(smuggled, host)
  const lines = vector.lines.map((l) => l.replace('{CL4}', '4').replace('{CL}', String(body.length)))
  const ambiguous = `POST ${path} HTTP/1.1\r\nHost: ${host}\r\n${lines.map((l) => `${l}\r\n`).join('')}\r\n${body}`
  const canary = `GET ${path} HTTP/1.1\r\nHost: ${host}\r\n\r\n`
  return {
    probe: { label: vector.label, requirement: 'MUST', bytes: ambiguous + canary, requests: 2 },
    judge: (outcome, p) => judgeSmuggling(outcome, p),
  }
}

function judgeSmuggling(outcome: RawOutcome, profile: Readonly<Profile>): Outcome {
  const first = outcome.finals[0]
  const expected = '400/501 then a close, or each request answered once in order with the connection closed after them'
  const fail = (found: Problem, exchange?: Exchange): Outcome => {
    const base = { expected, actual: `${outcome.finals.map((r) => r.status).join(', ') || 'no response'}; connection ${outcome.raw.end}` }
    return exchange ? failWith(found, gotOf(exchange, []), base) : connectionFailure(outcome.exchange, profile, found, base)
  }
  if (!first) return expectResponse(outcome.exchange, { status: [400, 501], describe: expected })
  if (outcome.finals.length > 2) {
    return fail(problem('smuggled-answered', `${outcome.finals.length} responses to 2 requests: a smuggled request was answered`), outcome.exchangeOf(1, `${outcome.probe.label}: smuggled request's answer`))
  }
  const canary = outcome.finals[1]
  if (canary && canary.status !== 200) {
    return fail(problem('canary-desynced', `the pipelined canary got ${canary.status}, not 200: the ambiguous body was read as the start of another request`), outcome.exchangeOf(1, `${outcome.probe.label}: canary`))
  }
  if (outcome.raw.end === 'open') return fail(problem(STAYED_OPEN, 'the connection stayed open after a request with both Content-Length and Transfer-Encoding (RFC 9112 §6.1: MUST close)'))
  return { pass: true, expected, actual: `${outcome.finals.map((r) => r.status).join(', ')}; connection ${outcome.raw.end}`, got: gotOf(outcome.exchange, []) }
}

const VECTORS: Record<'cl-te' | 'te-cl' | 'te-te', Vector[]> = {
  'cl-te': [{ label: 'CL.TE: Content-Length covers a body whose chunked reading ends early', lines: ['Content-Length: {CL}', 'Transfer-Encoding: chunked'], body: clTeBody }],
  'te-cl': [{ label: 'TE.CL: chunked body with a short Content-Length', lines: ['Content-Length: {CL4}', 'Transfer-Encoding: chunked'], body: teClBody }],
  'te-te': [
    { label: 'TE.TE: duplicated Transfer-Encoding (chunked, then x)', lines: ['Content-Length: {CL}', 'Transfer-Encoding: chunked', 'Transfer-Encoding: x'], body: clTeBody },
    { label: 'TE.TE: "Transfer-Encoding :" with a space', lines: ['Content-Length: {CL}', 'Transfer-Encoding : chunked'], body: clTeBody },
    { label: 'TE.TE: Transfer-Encoding folded onto a second line', lines: ['Content-Length: {CL}', 'Transfer-Encoding:', ' chunked'], body: clTeBody },
    { label: 'TE.TE: Transfer-Encoding "xchunked"', lines: ['Content-Length: {CL}', 'Transfer-Encoding: xchunked'], body: clTeBody },
  ],
}

function smugglingCheck(vector: keyof typeof VECTORS, title: string): CheckDefinition {
  return defineCheck({
    id: `protocol.smuggling.${vector}`,
    title,
    step: 6, layer: 'proxy', spec: 'RFC 9112 §6.1, §6.3, §11.2', severity: 'error', requirement: 'MUST',
    // The canary's 2xx is what tells it apart from the smuggled request's 404: without one, a desync could pass unseen.
    requires: needsServedPath,
    async run(context) {
      const nonce = context.nonce()
      return runCases(context, VECTORS[vector].map((v) => smugglingCase(context.profile, v, nonce)))
    },
    diagnose: (got, profile) => parserDiagnosis(got, profile,
      'Content-Length with Transfer-Encoding must be refused, or chunked used and the connection closed after the response (RFC 9112 §6.1); a hop that keeps the connection open lets the next request be read from the leftover bytes.'),
  })
}

export const smugglingClTe = smugglingCheck('cl-te', 'CL.TE: a request with Content-Length and chunked cannot desynchronise a pipelined request')
export const smugglingTeCl = smugglingCheck('te-cl', 'TE.CL: a chunked request with a short Content-Length cannot smuggle a request')
export const smugglingTeTe = smugglingCheck('te-te', 'TE.TE: obfuscated Transfer-Encoding headers cannot desynchronise a pipelined request')
