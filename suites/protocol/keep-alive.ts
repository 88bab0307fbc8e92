import { defineCheck } from '../../harness/check/define-check.ts'
import { proxySetting } from '../../harness/products/proxy-products.ts'
import { expectResponse, gotOf } from '../../harness/check/expect-response.ts'
import { connectionFailure, healthPath, STAYED_OPEN, hostOf, message, parserDiagnosis, rawTargetFor, runCases, servedStatus } from './raw-probes.ts'
import { problem } from '../../harness/check/problem.ts'

// RFC 9112 §9.3: HTTP/1.1 connections persist unless a side says close; §9.6:
// "close" means the server closes after its response and processes nothing more.
const GAP_MS = 300

function twoRequests(profile: Parameters<typeof hostOf>[0], firstLines: string[] = []) {
  const host = `Host: ${hostOf(profile)}`
  const path = healthPath(profile)
  return [
    { bytes: Buffer.from(message(`GET ${path} HTTP/1.1`, [host, ...firstLines]), 'latin1') },
    { bytes: Buffer.from(message(`GET ${path} HTTP/1.1`, [host]), 'latin1'), delayMs: GAP_MS },
  ]
}

export const keepAliveReuse = defineCheck({
  id: 'protocol.keep-alive.reuse',
  title: 'A connection is kept open: a second request on it, sent after the first answer, is served',
  step: 6, layer: 'proxy', spec: 'RFC 9112 §9.3', severity: 'warning', requirement: 'SHOULD',
  run: (context) => runCases(context, [{
    probe: { label: `two requests ${GAP_MS} ms apart on one connection`, requirement: 'SHOULD', bytes: twoRequests(context.profile), requests: 2 },
    judge: (outcome, profile) => {
      const first = expectResponse(outcome.exchange, { status: servedStatus(profile), describe: 'then the second request served on the same connection' })
      if (!first.pass) return first
      if (outcome.finals.length < 2) {
        const found = problem('not-kept-alive', `the connection was ${outcome.raw.end === 'closed' ? 'closed' : outcome.raw.end} after the first response; the second request got no answer`)
        return connectionFailure(outcome.exchange, profile, found, { expected: first.expected })
      }
      return { ...first, got: gotOf(outcome.exchangeOf(1, 'second request'), []) }
    },
  }]),
  diagnose: (got, profile) => parserDiagnosis(got, profile,
    `Without keep-alive every request pays a new TCP (and TLS) handshake: ${proxySetting(profile.layers?.proxy, 'keepAlive', 'the client keep-alive timeout')} above 0.`),
})

export const connectionCloseHonoured = defineCheck({
  id: 'protocol.keep-alive.connection-close',
  title: 'After a request with Connection: close the server answers it, closes, and serves nothing more',
  step: 6, layer: 'proxy', spec: 'RFC 9112 §9.6', severity: 'error', requirement: 'MUST',
  run: (context) => runCases(context, [{
    probe: { label: `Connection: close, then another request ${GAP_MS} ms later`, requirement: 'MUST', bytes: twoRequests(context.profile, ['Connection: close']), requests: 2 },
    judge: (outcome, profile) => {
      const first = expectResponse(outcome.exchange, { status: servedStatus(profile), describe: 'then the connection closed' })
      if (!first.pass) return first
      const found = outcome.finals.length > 1 ? problem('answered-after-close', 'the request sent after Connection: close was answered too')
        : outcome.raw.end !== 'closed' ? problem(STAYED_OPEN, `the connection was still ${outcome.raw.end} after the response`) : undefined
      if (!found) return first
      return connectionFailure(outcome.exchange, profile, found, { expected: first.expected })
    },
  }]),
  diagnose: (got, profile) => parserDiagnosis(got, profile,
    'A server that ignores "close" keeps sockets the client has given up on, and answers requests the client did not mean to send on that connection.'),
})

export const keepAliveIdleTimeout = defineCheck({
  id: 'protocol.keep-alive.idle-timeout',
  title: 'An idle keep-alive connection is closed after the documented idle timeout, not much earlier or later',
  step: 6, layer: 'proxy', spec: 'RFC 9112 §9.8; deployment documentation (protocol.keepAliveIdleMs)', severity: 'warning', requirement: 'SHOULD',
  requires: (p) => (p.protocol.keepAliveIdleMs ? undefined : 'protocol.keepAliveIdleMs is not set: document how long idle connections are kept'),
  plannedWaitMs: (p) => p.protocol.keepAliveIdleMs!,
  run: (context) => {
    const { keepAliveIdleMs, timingMarginMs } = context.profile.protocol
    const idle = keepAliveIdleMs!
    const host = `Host: ${hostOf(context.profile)}`
    // Keep reading, silently, until the server closes or the window has passed.
    const watchMs = idle + timingMarginMs + 500
    const target = rawTargetFor(context.profile, { idleMs: watchMs, settleMs: watchMs, totalMs: context.profile.timeouts.connectMs + watchMs + 2000 })
    return runCases(context, [{
      probe: { label: `one request, then ${watchMs} ms of silence`, requirement: 'SHOULD', bytes: message(`GET ${healthPath(context.profile)} HTTP/1.1`, [host]) },
      judge: (outcome, profile) => {
        const first = expectResponse(outcome.exchange, { status: servedStatus(profile), describe: `then closed after ${idle} ms ± ${timingMarginMs} ms of silence` })
        if (!first.pass) return first
        const idleFor = outcome.raw.endMs - (outcome.raw.firstByteMs ?? 0)
        context.waited(idleFor, 'an idle connection until the server closed it (protocol.keepAliveIdleMs)')
        const found = outcome.raw.end !== 'closed' ? problem(STAYED_OPEN, `the connection was still open after ${Math.round(idleFor)} ms of silence`)
          : idleFor < idle - timingMarginMs ? problem('idle-close-early', `closed after ${Math.round(idleFor)} ms, well before the documented ${idle} ms`)
            : idleFor > idle + timingMarginMs ? problem('idle-close-late', `closed after ${Math.round(idleFor)} ms, well after the documented ${idle} ms`) : undefined
        const measurements = { idleClosedAfterMs: Math.round(idleFor) }
        if (!found) return { ...first, measurements }
        return connectionFailure(outcome.exchange, profile, found, { expected: first.expected, measurements })
      },
    }], target)
  },
  diagnose: (got, profile) => parserDiagnosis(got, profile,
    `Idle connections should last the documented ${profile.protocol.keepAliveIdleMs} ms (${proxySetting(profile.layers?.proxy, 'keepAlive', 'the client keep-alive timeout')}): longer ties up sockets and workers, shorter makes clients race a close they cannot see (the keep-alive race, a source of sporadic 502s behind load balancers).`),
})
