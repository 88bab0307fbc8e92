import type { AnsweredBy, ClientFailure, LifecycleStep } from '../model/check-result.ts'
import { SIGNATURES, type ResponseView } from './signatures.ts'

/** The deployment's own words about its layers, used to name a generic match. */
export interface LayerHints {
  proxy?: string
  server?: string
  app?: string
}

/** RFC 9209: `Proxy-Status: <proxy name>; error=<type>` is an intermediary speaking for itself. */
function fromProxyStatus(view: ResponseView): AnsweredBy | undefined {
  const value = view.header('proxy-status')
  if (!value) return undefined
  const first = value.split(',')[0]!.trim()
  const name = first.split(';')[0]!.trim().replace(/^"|"$/g, '')
  const error = /;\s*error=("?)([\w-]+)\1/.exec(first)?.[2]
  return {
    tier: 'proxy',
    product: name,
    reason: `the response carries Proxy-Status from ${name}${error ? ` (error=${error})` : ''} (RFC 9209)`,
    signals: [`Proxy-Status: ${value}`],
  }
}

export function attributeResponse(view: ResponseView, hints: LayerHints = {}): AnsweredBy {
  const stated = fromProxyStatus(view)
  if (stated) return stated
  for (const signature of SIGNATURES) {
    const signals = signature.match(view)
    if (!signals) continue
    const product = signature.product === 'json app' && hints.app ? hints.app : signature.product
    return { tier: signature.tier, product, reason: `${signature.describe} (${signals.join('; ')})`, signals }
  }
  const serverHeader = view.header('server')
  const type = view.header('content-type')
  return {
    tier: 'unknown',
    reason: `no known signature matched: status ${view.status}, ${type ? `Content-Type ${type}` : 'no Content-Type'}, ${view.body ? `${view.body.length} body characters` : 'empty body'}`,
    signals: [serverHeader && `Server: ${serverHeader}`, type && `Content-Type: ${type}`].filter((s): s is string => Boolean(s)),
  }
}

const DNS = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EAI_FAIL', 'EAI_NODATA'])
const TCP_REFUSED = new Set(['ECONNREFUSED'])
const TCP_TIMEOUT = new Set(['UND_ERR_CONNECT_TIMEOUT', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL'])
const isTls = (code: string) =>
  /^(CERT_|ERR_TLS_|ERR_SSL_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|HOSTNAME_MISMATCH)/.test(code) || code === 'EPROTO'

/** A failure with no HTTP answer at all: which of steps 1–3 it was, or a dropped connection. */
export function attributeFailure(failure: ClientFailure): AnsweredBy {
  const at = (step: LifecycleStep | undefined, reason: string): AnsweredBy => ({
    tier: step ? 'client' : 'unknown', step, reason, signals: [`error code ${failure.code}`],
  })
  const { code } = failure
  if (DNS.has(code)) return at(1, 'DNS: the host name does not resolve; no packet reached the target')
  if (TCP_REFUSED.has(code)) return at(2, 'TCP: connection refused; nothing listens on that address and port')
  if (TCP_TIMEOUT.has(code)) return at(2, 'TCP: the connection was not established in time (filtered port, wrong address, or a host that is down)')
  if (isTls(code)) return at(3, `TLS: the handshake failed (${code}): the certificate is not trusted, has expired, or does not match the host`)
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'ABORT_ERR' || code === 'UND_ERR_ABORTED' || code === 'TimeoutError' || code === 'AbortError')
    return at(undefined, 'the connection opened but no response headers arrived in time: a stalled hop (proxy or app)')
  if (code === 'UND_ERR_BODY_TIMEOUT') return at(undefined, 'the response started but its body stalled')
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE')
    return at(undefined, 'the connection was closed or reset without a complete HTTP response')
  return at(undefined, `the request failed without an HTTP answer (${code})`)
}

const STEP_FAILURES: Record<1 | 2 | 3, (code: string) => string> = {
  1: (code) => `DNS: the host name could not be resolved (${code}); no packet reached the target`,
  2: (code) => `TCP: the connection could not be opened (${code})`,
  3: (code) => `TLS: the handshake failed (${code}) after the TCP connection opened`,
}

/**
 * A failure whose step is known for certain, because the probe watched lookup,
 * connect and handshake happen: the step decides, the code explains. (A reset
 * during a TLS handshake is step 3, though ECONNRESET alone could be anything.)
 */
export function attributeFailureAt(failure: ClientFailure, step: 1 | 2 | 3): AnsweredBy {
  const byCode = attributeFailure(failure)
  if (byCode.step === step) return byCode
  return { tier: 'client', step, reason: STEP_FAILURES[step](failure.code), signals: [`error code ${failure.code}`] }
}
