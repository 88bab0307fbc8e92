import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { CheckResult, Tier } from '../../harness/model/check-result.ts'
import { isWarning } from '../../harness/model/report-view.ts'
import { parseProfile } from '../../harness/profile/load-profile.ts'
import type { Profile } from '../../harness/profile/schema.ts'
import { parseJsonReport } from '../../reports/json-report.ts'
import { ALL_CHECKS } from '../../suites/all-checks.ts'
import { APPS, type AppKind } from '../../targets/matrix/apps/app-kinds.ts'
import type { FrontProduct } from '../../targets/matrix/fronts/front-definition.ts'
import { knownForCell, knownProtocolDeviations, type KnownDeviation } from '../../targets/matrix/known-deviations.ts'
import { matrixProfile } from '../../targets/matrix/matrix-profile.ts'
import { startMatrixStack, type MatrixStack } from '../../targets/matrix/matrix-stack.ts'
import { runCli } from '../support/cli.ts'

// Issue 16's acceptance on stacks layercheck has never been told about: a bare `run --target` (no profile)
// on cells of the target matrix, whose apps serve nothing at `/` (their routes start at /health). What the
// run may fail is what the stack really does wrong, documented in known-deviations.ts with its reason; what
// it may warn about is what the stack really lacks, as its matrix profile documents it. nginx → Express is
// the cell with no known deviation a bare run can see: 0 failures, exit 0.

interface Cell { front: FrontProduct; app: AppKind }

const CELLS: Cell[] = [
  { front: 'nginx', app: 'express' },
  { front: 'caddy', app: 'express' },
  { front: 'haproxy', app: 'flask' },
]

/** A whole bare run: its own process group, bounded. ~10 s alone; under load, several times that. */
const BARE_RUN = { ownGroup: true, timeoutMs: 170_000 }

const isFailure = (check: CheckResult) => (check.verdict === 'fail' && !isWarning(check)) || check.verdict === 'error'

/** The value at a dotted profile key (a check's `recommendation`). */
const valueAt = (profile: Readonly<Profile>, key: string): unknown =>
  key.split('.').reduce<unknown>((value, part) => (value as Record<string, unknown> | undefined)?.[part], profile)

/** Every product an answer was put down to that is not the stack's own for that layer (never "fastapi" behind Express). */
function contradictions(checks: readonly CheckResult[], layout: MatrixStack['layout']): string[] {
  const own: Partial<Record<Tier, string>> = { proxy: layout.proxy, 'app-server': layout.server, app: layout.app }
  const wrong: string[] = []
  for (const check of checks) {
    for (const [label, by] of [['check', check.answeredBy], ...check.evidence.map((e) => [e.label ?? e.request.method, e.answeredBy] as const)] as const) {
      if (by?.product !== undefined && by.product !== own[by.tier]) wrong.push(`${check.id} ${label}: ${by.tier} (${by.product}) — ${by.reason}`)
    }
  }
  return wrong
}

describe.each(CELLS.map((cell) => [cell.front, cell.app, cell] as const))('a bare run on the matrix cell %s → %s', (_front, _app, cell) => {
  let stack: MatrixStack | undefined
  beforeAll(async () => {
    stack = await startMatrixStack(cell)
  }, 60_000)
  afterAll(() => stack?.stop())

  test("fails only the stack's known deviations, with their layers; warns only where it lacks a recommended header; names no product it does not run", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'layercheck-first-contact-matrix-'))
    const result = await runCli(['run', '--target', stack!.baseUrl, '--report-dir', dir], BARE_RUN)
    const report = parseJsonReport(readFileSync(join(dir, 'report.json'), 'utf8'))
    expect(result.stdout).toContain('served path: /health (answered 200; / answered 404)')
    expect(result.stdout).toContain(`first hop: a proxy (${cell.front})`)

    // Failures: exactly the known deviations whose checks a bare run can apply (the rest need profile keys).
    const ran = new Set(report.checks.filter((c) => c.verdict !== 'not-applicable').map((c) => c.id))
    const known = [...knownProtocolDeviations(cell.front, cell.app), ...knownForCell(cell.front, cell.app)].filter((d) => ran.has(d.check))
    const failing = report.checks.filter(isFailure)
    const sometimes = new Set(known.filter((d) => d.sometimes).map((d) => d.check))
    const layersOf = (d: KnownDeviation): Tier[] => [d.answeredBy, ...d.orAnsweredBy ?? [], ...(d.sometimes ? ['unknown' as const] : [])]
    expect(failing.filter((c) => !sometimes.has(c.id)).map((c) => c.id).sort(), failing.map((c) => `${c.id}: ${c.actual}`).join('\n'))
      .toEqual(known.filter((d) => !d.sometimes).map((d) => d.check).sort())
    for (const check of failing) {
      expect(check.verdict, check.actual).toBe('fail')
      expect(layersOf(known.find((d) => d.check === check.id)!), `${check.id}: ${check.answeredBy?.reason}`).toContain(check.answeredBy?.tier)
    }
    expect(result.code, result.stdout).toBe(failing.length ? 1 : 0)

    // Warnings: a recommendation the matrix profile documents as not kept (no front adds nosniff; nginx names its
    // version) is a warning in a bare run, one it documents as kept passes.
    const documented = parseProfile(matrixProfile(stack!, APPS[cell.app]))
    const recommended = ALL_CHECKS.filter((c) => c.recommendation !== undefined && ran.has(c.id))
    const lacking = recommended.filter((c) => valueAt(documented, c.recommendation!) === false).map((c) => c.id)
    expect(report.checks.filter(isWarning).map((c) => c.id).sort()).toEqual(lacking.sort())
    expect(lacking).toContain('proxy.headers.nosniff')
    for (const check of report.checks.filter((c) => recommended.some((r) => r.id === c.id) && !lacking.includes(c.id))) expect(check.verdict, check.actual).toBe('pass')
    expect(report.summary.warnings).toBe(lacking.length)

    expect(contradictions(report.checks, stack!.layout)).toEqual([])
  }, 200_000)
})
