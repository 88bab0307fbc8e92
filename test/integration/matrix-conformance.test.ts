import { METHODS } from 'node:http'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { CheckResult, Exchange } from '../../harness/model/check-result.ts'
import { runCheck } from '../../harness/check/run-check.ts'
import type { HttpClient } from '../../harness/http/http-client.ts'
import { parseProfile } from '../../harness/profile/load-profile.ts'
import type { Profile } from '../../harness/profile/schema.ts'
import { ensureCalibrated } from '../../harness/target/calibrate.ts'
import { clientForProfile } from '../../harness/target/client-for-profile.ts'
import { ALL_CHECKS, findCheck, regionOf } from '../../suites/all-checks.ts'
import { PROTOCOL_CHECKS } from '../../suites/protocol/protocol-checks.ts'
import { APPS, type AppKind } from '../../targets/matrix/apps/app-kinds.ts'
import type { ErrorPages, FrontProduct } from '../../targets/matrix/fronts/front-definition.ts'
import { KNOWN_CELL_DEVIATIONS, knownForCell, knownProtocolDeviations, type KnownDeviation } from '../../targets/matrix/known-deviations.ts'
import { matrixProfile } from '../../targets/matrix/matrix-profile.ts'
import { MATRIX_FRONT_TUNING, matrixStackName, startMatrixStack, type MatrixStack } from '../../targets/matrix/matrix-stack.ts'
import { MATRIX_VARIANTS } from '../../targets/matrix/matrix-variants.ts'

// Every compliant front × app of the target matrix passes every applicable check
// (faults are the reference stack's), and every answer is put
// down to the layer that really gave it. The oracle is the stack's known layout,
// independent of attribution: every app answers with X-Request-ID on every
// response, and no front adds one (matrixProfile: proxyAddsOnErrors false).

interface Cell { front: FrontProduct; app: AppKind; errorPages: ErrorPages }

const CELLS: Cell[] = [
  ...(['nginx', 'haproxy', 'caddy'] as const).flatMap((front) => (['fastapi', 'flask', 'express'] as const).map((app) => ({ front, app, errorPages: 'json' as const }))),
  { front: 'nginx', app: 'flask', errorPages: 'stock' },
  { front: 'haproxy', app: 'express', errorPages: 'stock' },
  { front: 'caddy', app: 'fastapi', errorPages: 'stock' },
]

// Faults are the reference stack's: behind the matrix's fronts, their JSON 502/504 pages (shaped like
// the app's errors, with nothing else to tell them apart) are still put down to "unknown", and HAProxy
// closes the client's connection without a 502 when the worker dies. The raw protocol checks judge the
// front's own parser, whatever the app behind it: they run once per front (below), where fronts differ.
const CHECKS = ALL_CHECKS.filter((check) => regionOf(check) !== 'faults' && regionOf(check) !== 'protocol')

/**
 * Who really answered, from the layout: the app's answers carry its request ID, the front's never do; behind
 * a front that passes a request on, uvicorn's own refusal is its fixed text (test/fixtures/answers/uvicorn-fastapi),
 * and node:http refuses a method outside its fixed list (http.METHODS) with 400 itself, before the app runs
 * (every matrix front passes such a method on: test/fixtures/answers/<front>/relayed-node-unknown-method-400.json).
 */
function truthOf(exchange: Exchange, layout: MatrixStack['layout']): { tier: 'app' | 'proxy' | 'app-server'; product: string } {
  const response = exchange.response!
  if (response.headers.some(([name]) => name.toLowerCase() === 'x-request-id')) return { tier: 'app', product: layout.app }
  if (response.bodyExcerpt.startsWith('Invalid HTTP request received.')) return { tier: 'app-server', product: layout.server }
  if (layout.server === 'node' && response.status === 400 && !METHODS.includes(exchange.request.method)) return { tier: 'app-server', product: layout.server }
  return { tier: 'proxy', product: layout.proxy }
}

/** Checks whose failing answer a known deviation documents as honestly unknown: nothing in it is left to name its layer. */
const honestlyUnknown = (known: readonly KnownDeviation[]) =>
  new Set(known.filter((d) => d.answeredBy === 'unknown' || d.orAnsweredBy?.includes('unknown')).map((d) => d.check))

/** Misattributions, less the "unknown"s a known deviation documents for its check. */
const misattributedBut = (results: readonly CheckResult[], layout: MatrixStack['layout'], unknownFor: ReadonlySet<string>) =>
  misattributed(results, layout).filter((line) => !(unknownFor.has(line.split(' ')[0]!) && line.includes(': unknown (')))

function misattributed(results: readonly CheckResult[], layout: MatrixStack['layout']): string[] {
  const wrong: string[] = []
  for (const result of results) {
    for (const exchange of result.evidence) {
      if (!exchange.response || exchange.response.status < 200) continue
      const truth = truthOf(exchange, layout)
      const by = exchange.answeredBy
      if (by.tier !== truth.tier || by.product !== truth.product) {
        wrong.push(`${result.id} ${exchange.label ?? exchange.request.method} → ${exchange.response.status}: ${by.tier} (${by.product}), expected ${truth.tier} (${truth.product}) — ${by.reason}`)
      }
    }
  }
  return wrong
}

describe.each(CELLS.map((cell) => [matrixStackName(cell.front, cell.app, cell.errorPages), cell] as const))('%s', (_, cell) => {
  let stack: MatrixStack | undefined
  let profile: Readonly<Profile>
  let client: HttpClient
  const results: CheckResult[] = []

  beforeAll(async () => {
    stack = await startMatrixStack(cell)
    profile = parseProfile(matrixProfile(stack, APPS[cell.app]))
    client = clientForProfile(profile, stack.env)
    for (const check of CHECKS) results.push(await runCheck(check, { profile, client, env: stack.env }))
  }, 180_000)
  afterAll(async () => {
    await client?.close()
    await stack?.stop()
  })

  test("every applicable check passes but the front's known deviations, which fail with their layer; none fails on an unknown attribution", () => {
    const known = knownForCell(cell.front, cell.app)
    const sometimes = new Set(known.filter((d) => d.sometimes).map((d) => d.check))
    const failing = results.filter((r) => r.verdict === 'fail' || r.verdict === 'error')
    expect(failing.filter((r) => !sometimes.has(r.id)).map((r) => [r.id, r.verdict, r.answeredBy?.tier]), failing.map((r) => `${r.id}: ${r.actual} — ${r.diagnosis}`).join('\n'))
      .toEqual(known.filter((d) => !d.sometimes).map((d) => [d.check, 'fail', d.answeredBy]))
    // A deviation that shows only in some runs, when it shows, is a failure put down to its layer.
    for (const result of failing.filter((r) => sometimes.has(r.id))) {
      const deviation = known.find((d) => d.check === result.id)!
      expect(result.verdict).toBe('fail')
      expect([deviation.answeredBy, ...deviation.orAnsweredBy ?? []], result.actual).toContain(result.answeredBy?.tier)
    }
    expect(results.filter((r) => r.verdict === 'pass').length).toBeGreaterThan(20)
  })

  test('every answer is attributed to the layer that gave it, named as the profile names it', () => {
    // A relayed answer that keeps nothing of who wrote it (a known deviation's answeredBy 'unknown') may say so.
    expect(misattributedBut(results, stack!.layout, honestlyUnknown(knownForCell(cell.front, cell.app)))).toEqual([])
  })

  // Where the app echoes what it saw of the hop (FastAPI: http_version, client_port), every front must speak
  // HTTP/1.1 to it and keep its connections; the broken side is the reference's upstream-http10 / keepalive-off.
  test.runIf(cell.app === 'fastapi')('the proxy→app hop is HTTP/1.1 with reused connections, as the app saw it', () => {
    const result = results.find((r) => r.id === 'proxy.upstream.http11-keep-alive')!
    expect(result.verdict, `${result.actual} ${result.reason ?? ''}`).toBe('pass')
    expect(result.measurements!.upstreamConnections).toBeLessThanOrEqual(result.measurements!.requests! / 2)
  })

  test("the front's own 413 is the proxy's, in every framing, with the signals that decided it", () => {
    const result = results.find((r) => r.id === 'proxy.body-size.413')!
    const deviates = KNOWN_CELL_DEVIATIONS[cell.front].some((d) => d.check === result.id)
    if (!deviates) expect(result.verdict).toBe('pass')
    const answers = result.evidence.filter((ex) => ex.response?.status === 413)
    // Where the front streams a chunked body on (a known deviation), the app it reached may answer that framing first.
    if (deviates) expect(answers.length).toBeGreaterThanOrEqual(2)
    else expect(answers.length).toBe(3)
    for (const answer of answers) expect(answer.answeredBy, answer.label).toMatchObject({ tier: 'proxy', product: cell.front })
    const answer = result.evidence[0]!
    expect(answer.answeredBy).toMatchObject({ tier: 'proxy', product: cell.front, confidence: 'certain' })
    expect(answer.answeredBy.signals.length).toBeGreaterThan(0)
  })
})

describe.each((['nginx', 'haproxy', 'caddy'] as const).map((front) => [front] as const))('raw HTTP/1.1 probes of %s (→ fastapi)', (front) => {
  let stack: MatrixStack | undefined
  let client: HttpClient
  const results: CheckResult[] = []

  beforeAll(async () => {
    stack = await startMatrixStack({ front, app: 'fastapi' })
    const profile = parseProfile(matrixProfile(stack, APPS.fastapi))
    client = clientForProfile(profile, stack.env)
    for (const check of PROTOCOL_CHECKS) results.push(await runCheck(check, { profile, client, env: stack.env }))
  }, 180_000)
  afterAll(async () => {
    await client?.close()
    await stack?.stop()
  })

  test("exactly the stock product's known deviations fail, each put down to the layer that gave it", () => {
    const known = knownProtocolDeviations(front, 'fastapi')
    const sometimes = new Set(known.filter((d) => d.sometimes).map((d) => d.check))
    const failing = results.filter((r) => r.verdict !== 'pass' && r.verdict !== 'not-applicable')
    const layerOf = (r: CheckResult) => {
      const deviation = known.find((d) => d.check === r.id)
      // Where which layer answers is a race, any of the documented ones stands for the expected one.
      return deviation?.orAnsweredBy?.includes(r.answeredBy!.tier) ? deviation.answeredBy : r.answeredBy?.tier
    }
    expect(failing.filter((r) => !sometimes.has(r.id)).map((r) => [r.id, r.verdict, layerOf(r)]).sort(), failing.map((r) => `${r.id}: ${r.actual}`).join('\n'))
      .toEqual(known.filter((d) => !d.sometimes).map((d) => [d.check, 'fail', d.answeredBy]).sort())
    // A deviation that shows only in some runs, when it shows, is put down to its layer.
    for (const result of failing.filter((r) => sometimes.has(r.id))) {
      expect(result.verdict).toBe('fail')
      expect([known.find((d) => d.check === result.id)!.answeredBy, 'unknown']).toContain(result.answeredBy?.tier)
    }
  })

  test('every answer is attributed to the layer that gave it', () => {
    // A racy deviation (known-deviations.ts `sometimes`) may lose the evidence on the way: unknown is then the honest answer.
    const racy = new Set(knownProtocolDeviations(front, 'fastapi').filter((d) => d.sometimes).map((d) => d.check))
    expect(misattributedBut(results, stack!.layout, racy)).toEqual([])
  })
})

// Proven both ways off the reference stack: each variant changes one front setting or breaks the app, and
// the checks it controls fail with the right layer and a diagnosis in that product's own terms.
describe.each(MATRIX_VARIANTS.map((variant) => [variant.name, variant] as const))('broken matrix variant %s', (_, variant) => {
  let stack: MatrixStack | undefined
  let client: HttpClient
  const results = new Map<string, CheckResult>()

  beforeAll(async () => {
    stack = await startMatrixStack({ front: variant.front, app: variant.app, broken: variant.broken, frontOverrides: variant.frontOverrides })
    // The profile documents the compliant cell: the 1 MiB limit, whatever the variant changed.
    const documented = matrixProfile(stack, APPS[variant.app])
    const profile = parseProfile({ ...documented, limits: { ...documented.limits, maxBodyBytes: MATRIX_FRONT_TUNING.maxBodyBytes } })
    client = clientForProfile(profile, stack.env)
    for (const control of variant.controls) results.set(control.check, await runCheck(findCheck(control.check), { profile, client, env: stack.env }))
  }, 120_000)
  afterAll(async () => {
    await client?.close()
    await stack?.stop()
  })

  test.each(variant.controls.map((control) => [control.check, control] as const))('%s fails, put down to the right layer, with a fix in the product\'s terms', (_, control) => {
    const result = results.get(control.check)!
    expect(result.verdict, `${result.actual}\n${result.diagnosis ?? ''}`).toBe('fail')
    expect(result.answeredBy?.tier, result.answeredBy?.reason).toBe(control.answeredBy)
    expect(result.diagnosis).toContain(control.diagnosisMentions)
  })
})

// A profile that names no layer: calibration infers them from the target's own answers, and the front's
// own 413 is still the proxy's.
describe.each((['nginx', 'haproxy', 'caddy'] as const).map((front) => [front] as const))('%s → fastapi with no layers declared', (front) => {
  let stack: MatrixStack | undefined
  afterAll(async () => {
    await stack?.stop()
  })

  test('the layers are inferred, named and rated; the proxy\'s 413 is put down to the proxy', async () => {
    stack = await startMatrixStack({ front, app: 'fastapi' })
    const { layers: _, ...unnamed } = matrixProfile(stack, APPS.fastapi)
    const profile = parseProfile(unnamed)
    const client = clientForProfile(profile, stack.env)
    try {
      const calibration = await ensureCalibrated(profile, client)
      expect(calibration.inferred.proxy, JSON.stringify(calibration.inferred)).toMatchObject({ product: front })
      // nginx replaces the app's Server header with its own: the app server is then not seen, and not guessed.
      expect(calibration.inferred.server?.product).toBe(front === 'nginx' ? undefined : 'uvicorn')
      expect(calibration.inferred.app?.signals.join(' ')).toContain('fastapi')
      const result = await runCheck(findCheck('proxy.body-size.413'), { profile, client, env: stack.env })
      if (!KNOWN_CELL_DEVIATIONS[front].some((d) => d.check === result.id)) expect(result.verdict).toBe('pass')
      for (const answer of result.evidence.filter((ex) => ex.response?.status === 413)) {
        expect(answer.answeredBy, answer.label).toMatchObject({ tier: 'proxy', product: front })
      }
    } finally {
      await client.close()
    }
  })
})
