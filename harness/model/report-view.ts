// Presentation helpers shared by every renderer, so the terminal, Markdown,
// JUnit and HTML outputs name verdicts, steps and layers the same way.
import {
  STEP_NAMES,
  type AnsweredBy,
  type CheckResult,
  type ConnectionProbe,
  type Exchange,
  type LifecycleStep,
  type RunReport,
  type Verdict,
} from './check-result.ts'

export const VERDICT_LABELS: Readonly<Record<Verdict, string>> = {
  pass: 'PASS',
  fail: 'FAIL',
  'not-applicable': 'N/A',
  error: 'ERROR',
}

export const VERDICT_MARKS: Readonly<Record<Verdict, string>> = {
  pass: '✓',
  fail: '✗',
  'not-applicable': '–',
  error: '!',
}

/** The mark of a warning: a failed check resting on a recommendation the profile does not document. */
export const WARNING_MARK = '⚠'

/** The verdict order used in counts and filters. */
export const VERDICTS: readonly Verdict[] = ['pass', 'fail', 'not-applicable', 'error']

export const LIFECYCLE_STEPS = Object.keys(STEP_NAMES).map(Number) as LifecycleStep[]

export type OverallVerdict = 'pass' | 'fail' | 'error'

/** A failing check outweighs a broken harness; only a clean run passes. */
export function overallVerdict(summary: RunReport['summary']): OverallVerdict {
  if (summary.fail > 0) return 'fail'
  if (summary.error > 0) return 'error'
  return 'pass'
}

export interface StepGroup {
  step: LifecycleStep
  name: string
  checks: CheckResult[]
}

/** Checks grouped by lifecycle step, in step order; steps without checks are left out. */
export function groupByStep(checks: readonly CheckResult[]): StepGroup[] {
  return LIFECYCLE_STEPS.map((step) => ({
    step,
    name: STEP_NAMES[step],
    checks: checks.filter((check) => check.step === step),
  })).filter((group) => group.checks.length > 0)
}

/**
 * A warning: a failed check that rests on a recommendation the profile does not document (`advisory`).
 * It is shown and counted apart from failures, and fails a run only under --fail-on info.
 */
export const isWarning = (check: Pick<CheckResult, 'verdict' | 'advisory'>): boolean => check.verdict === 'fail' && check.advisory !== undefined

/** The label of a check's verdict, a warning told apart from a failure. */
export const verdictLabelOf = (check: Pick<CheckResult, 'verdict' | 'advisory'>): string => (isWarning(check) ? 'WARNING' : VERDICT_LABELS[check.verdict])

/** A verdict as reports group it: a warning apart from the failures (counts, filters, colours). */
export type VerdictGroup = Verdict | 'warning'

/** The order verdict groups are counted and filtered in: what fails the run before what is advice. */
export const VERDICT_GROUPS: readonly VerdictGroup[] = ['pass', 'fail', 'warning', 'not-applicable', 'error']

export const verdictGroupOf = (check: Pick<CheckResult, 'verdict' | 'advisory'>): VerdictGroup => (isWarning(check) ? 'warning' : check.verdict)

/** What a warning's reader can do about it: the one wording of the advice every report shows beside it. */
export const adviceOf = (check: Pick<CheckResult, 'advisory'>): string | undefined => check.advisory &&
  `a recommendation the profile does not document: ${check.advisory}: true makes it a requirement, false turns it off; --fail-on info fails the run on it`

/** Verdict counts, warnings apart from failures (`warnings` only when there are some). */
export function countVerdicts(checks: readonly CheckResult[]): Record<Verdict, number> & { warnings?: number } {
  const counts: Record<Verdict, number> & { warnings?: number } = { pass: 0, fail: 0, 'not-applicable': 0, error: 0 }
  for (const check of checks) {
    if (isWarning(check)) counts.warnings = (counts.warnings ?? 0) + 1
    else counts[check.verdict] += 1
  }
  return counts
}

/** A report's summary: the counts and the total. The one way build, merge and the renderers count. */
export function summarize(checks: readonly CheckResult[]): RunReport['summary'] {
  const { warnings, ...counts } = countVerdicts(checks)
  return { pass: counts.pass, fail: counts.fail, ...(warnings && { warnings }), 'not-applicable': counts['not-applicable'], error: counts.error, total: checks.length }
}

export const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`

/** `10 passed, 1 failed, 0 not applicable, 0 errors`; `…, 1 failed, 2 warnings, …` when there are warnings. */
export function formatCounts(counts: Record<Verdict, number> & { warnings?: number }): string {
  const warnings = counts.warnings ? `${plural(counts.warnings, 'warning')}, ` : ''
  return `${counts.pass} passed, ${counts.fail} failed, ${warnings}${counts['not-applicable']} not applicable, ${plural(counts.error, 'error')}`
}

/** Milliseconds under a second, else seconds with one decimal: `12 ms`, `3.2 s`. */
export function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`
}

/**
 * `app (fastapi), likely`; `unknown (proxy or app)`; for a client-side failure
 * `client (step 2 · TCP connection), certain`. The one rendering of an
 * attribution: terminal, JSON-derived text, HTML and JUnit all use it.
 */
export function formatAnsweredBy(answeredBy: AnsweredBy): string {
  const candidates = answeredBy.candidates?.length ? answeredBy.candidates.join(' or ') : undefined
  const detail = answeredBy.product
    ?? (candidates && (answeredBy.tier === 'unknown' ? candidates : `one of ${candidates}`))
    ?? (answeredBy.step ? `step ${answeredBy.step} · ${STEP_NAMES[answeredBy.step]}` : undefined)
  const who = detail ? `${answeredBy.tier} (${detail})` : answeredBy.tier
  // Reports written before attribution carried a confidence have none.
  return answeredBy.confidence && answeredBy.confidence !== 'unknown' ? `${who}, ${answeredBy.confidence}` : who
}

/** The exchange that decided the verdict (the first failing probe), else the first. */
export function decisiveExchange(check: CheckResult): Exchange | undefined {
  return check.evidence[check.decisive ?? 0] ?? check.evidence[0]
}

/** Who answered a check: its own attribution, else that of its first exchange. */
export function answeredByOf(check: CheckResult): AnsweredBy | undefined {
  return check.answeredBy ?? check.evidence[0]?.answeredBy
}

/** Path and query of a recorded URL; the URL as given when it does not parse. */
export function requestTarget(url: string): string {
  try {
    const parsed = new URL(url)
    return parsed.pathname + parsed.search
  } catch {
    return url
  }
}

const hostPort = (probe: ConnectionProbe) =>
  probe.port === undefined ? probe.host : `${probe.host.includes(':') ? `[${probe.host}]` : probe.host}:${probe.port}`

/** What a probe below HTTP sent, in words: `TLS handshake with localhost:8443 (SNI localhost; TLSv1.2–TLSv1.3; ALPN h2, http/1.1)`. */
export function describeProbe(probe: ConnectionProbe): string {
  if (probe.step === 1) return `DNS lookup of ${probe.host}`
  if (probe.step === 2) return `TCP connect to ${hostPort(probe)}`
  const offered = probe.tls?.offered
  const details = [
    probe.tls?.servername ? `SNI ${probe.tls.servername}` : 'no SNI',
    offered && (offered.minVersion === offered.maxVersion ? offered.minVersion : `${offered.minVersion}–${offered.maxVersion}`),
    offered?.alpn.length ? `ALPN ${offered.alpn.join(', ')}` : 'no ALPN',
  ].filter(Boolean)
  return `TLS handshake with ${hostPort(probe)} (${details.join('; ')})`
}

/** What a probe below HTTP saw, one fact a line, for the evidence section of a report. */
export function probeFacts(probe: ConnectionProbe): string[] {
  const facts: string[] = []
  if (probe.addresses?.length) facts.push(`${probe.step === 1 ? 'resolved to' : 'connected to'}: ${probe.addresses.join(', ')}`)
  const tls = probe.tls
  if (!tls) return facts
  if (tls.protocol) facts.push(`negotiated: ${tls.protocol}${tls.cipher ? `, ${tls.cipher}` : ''}`)
  if (tls.alpnProtocol !== undefined) facts.push(`ALPN: ${tls.alpnProtocol === false ? 'none selected' : tls.alpnProtocol}`)
  const cert = tls.certificate
  if (cert) {
    facts.push(`certificate: ${cert.subject}; issued by ${cert.issuer}`)
    if (cert.subjectAltNames.length) facts.push(`names: ${cert.subjectAltNames.join(', ')}`)
    facts.push(`valid: ${cert.validFrom} to ${cert.validTo} (${cert.daysUntilExpiry < 0 ? 'expired' : `${cert.daysUntilExpiry} days left`})`)
  }
  if (tls.trusted !== undefined) facts.push(`chain: ${tls.trusted ? 'trusted' : `not trusted (${tls.trustError ?? 'unknown reason'})`}`)
  if (tls.hostnameMatches !== undefined) facts.push(`host name: ${tls.hostnameMatches ? 'matches' : `does not match (${tls.hostnameError ?? 'no reason given'})`}`)
  return facts
}

const LAYER_NAMES = { proxy: 'proxy', server: 'app server', app: 'app' } as const

/**
 * `proxy nginx (profile) · app server uvicorn (seen, likely) · app not seen`: each layer as the profile names
 * it, else as the run's calibration saw it, with how sure it is.
 */
export function formatLayers(target: RunReport['target']): string {
  return (['proxy', 'server', 'app'] as const).map((key) => {
    const stated = target.layers?.[key]
    if (stated) return `${LAYER_NAMES[key]} ${stated} (profile)`
    const seen = target.inferredLayers?.[key]
    return seen ? `${LAYER_NAMES[key]} ${seen.product ?? 'present, product unknown'} (seen, ${seen.confidence})` : `${LAYER_NAMES[key]} not seen`
  }).join(' · ')
}
