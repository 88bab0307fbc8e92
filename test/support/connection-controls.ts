import type { LifecycleStep } from '../../harness/model/check-result.ts'

/**
 * Negative controls that need no stack variant: a name that cannot resolve,
 * a port that refuses, a listener that never answers, a TLS server without
 * ALPN. Each row is proven by test/integration/connection-failures.test.ts.
 */
export type FailingTarget = 'no-such-host' | 'refused' | 'silent' | 'tls-without-alpn'

export interface ConnectionControl {
  check: string
  target: FailingTarget
  /** http or https at that target (the TLS checks need https). */
  scheme: 'http' | 'https'
  step: LifecycleStep
  diagnosisMentions: string
}

export const CONNECTION_CONTROLS: readonly ConnectionControl[] = [
  { check: 'connection.dns.resolves', target: 'no-such-host', scheme: 'http', step: 1, diagnosisMentions: 'DNS (step 1): no-such-host.invalid does not resolve' },
  { check: 'connection.tcp.connects', target: 'no-such-host', scheme: 'http', step: 1, diagnosisMentions: 'DNS (step 1)' },
  { check: 'connection.tls.certificate-valid', target: 'no-such-host', scheme: 'https', step: 1, diagnosisMentions: 'DNS (step 1)' },
  { check: 'connection.tcp.connects', target: 'refused', scheme: 'http', step: 2, diagnosisMentions: 'refused the connection (ECONNREFUSED)' },
  { check: 'connection.tls.min-version', target: 'refused', scheme: 'https', step: 2, diagnosisMentions: 'TCP (step 2)' },
  { check: 'connection.tcp.connects', target: 'silent', scheme: 'http', step: 2, diagnosisMentions: 'timed out' },
  { check: 'connection.tls.expiry-window', target: 'silent', scheme: 'https', step: 2, diagnosisMentions: 'TCP (step 2)' },
  // nginx selects http/1.1 by ALPN on every TLS listener and has no setting to stop it,
  // so the ALPN check's negative control is a node:tls server started without ALPNProtocols.
  { check: 'connection.tls.alpn', target: 'tls-without-alpn', scheme: 'https', step: 3, diagnosisMentions: 'selected no ALPN protocol' },
]
