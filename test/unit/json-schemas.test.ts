import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { PROJECT_ROOT } from '../../harness/paths.ts'
import { parseProfile } from '../../harness/profile/load-profile.ts'
import { ProfileError } from '../../harness/profile/profile-error.ts'
import { compareWithBaseline } from '../../reports/baseline-diff.ts'
import { renderJsonReport } from '../../reports/json-report.ts'
import { jsonSchemaFiles, SCHEMAS_DIR } from '../../scripts/write-schemas.ts'
import { schemaErrors } from '../support/json-schema-check.ts'
import { benchRunReport } from '../reports/fixtures/bench-report.ts'
import { sampleReport } from '../reports/fixtures/sample-report.ts'
import { withVerdicts } from '../reports/fixtures/with-verdicts.ts'

const committed = (name: string) => JSON.parse(readFileSync(join(SCHEMAS_DIR, name), 'utf8')) as Record<string, unknown>
const profileSchema = committed('profile.schema.json')
const reportSchema = committed('report.schema.json')

// What a user's layercheck.config.json may say, editor completion pointer included.
const PROFILE = {
  $schema: './node_modules/layercheck/schemas/profile.schema.json',
  name: 'orders API',
  baseUrl: 'https://orders.example.com',
  layers: { proxy: 'nginx', app: 'fastapi' },
  routes: { openapi: '/openapi.json', slow: '/slow?ms={ms}', list: [{ path: '/orders', methods: ['GET', 'POST'] }] },
  probes: { healthPath: '/health', jsonEndpoint: { path: '/orders', validBody: { item: 'pen' }, invalidBody: { item: '' }, invalidFields: ['item'] } },
  auth: { protectedPath: '/me', tokenEnv: 'LAYERCHECK_TOKEN' },
  limits: { maxBodyBytes: 1_048_576 },
  logs: { app: [{ file: '/var/log/app/*.log' }, { command: 'journalctl -u app', timeoutMs: 2000 }] },
  bench: { thresholds: { 'keepalive-http': ['p(99)<250'] } },
  checks: { 'middleware.request-id.echoed': { skip: 'our gateway re-issues IDs' } },
}

describe('the published JSON Schemas', () => {
  test('the committed schemas/*.json are what scripts/write-schemas.ts generates now (run `npm run schemas`)', () => {
    for (const [name, text] of Object.entries(jsonSchemaFiles())) {
      expect(readFileSync(join(SCHEMAS_DIR, name), 'utf8'), name).toBe(text)
    }
  })

  test('the package ships them', () => {
    const pkg = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { files: string[] }
    expect(pkg.files).toContain('schemas')
  })
})

describe('profile.schema.json and the profile loader agree', () => {
  test('a JSON profile may carry "$schema": the loader ignores it, the schema accepts it', () => {
    expect(schemaErrors(PROFILE, profileSchema)).toEqual([])
    const profile = parseProfile(PROFILE, 'layercheck.config.json')
    expect(profile.baseUrl).toBe('https://orders.example.com')
    expect(profile).not.toHaveProperty('$schema')
  })

  test('"$schema" must be a string, like any other key', () => {
    expect(() => parseProfile({ ...PROFILE, $schema: 1 }, 'p.json')).toThrow(ProfileError)
    expect(schemaErrors({ ...PROFILE, $schema: 1 }, profileSchema)).toEqual(['$.$schema: expected string, got integer'])
  })

  test('what the loader refuses, the schema refuses: a misspelt key, a wrong type, no baseUrl', () => {
    const { baseUrl: _baseUrl, ...withoutBaseUrl } = PROFILE
    expect(schemaErrors({ ...PROFILE, baseUrll: 'x' }, profileSchema)).toEqual(['$.baseUrll: not allowed here'])
    expect(schemaErrors({ ...PROFILE, limits: { maxBodyBytes: 'big' } }, profileSchema)).toEqual(['$.limits.maxBodyBytes: expected integer, got string'])
    expect(schemaErrors(withoutBaseUrl, profileSchema)).toEqual(['$: missing required "baseUrl"'])
    expect(schemaErrors({ ...PROFILE, routes: { slow: '/slow' } }, profileSchema)).toEqual([expect.stringMatching(/^\$\.routes\.slow: must match /)])
  })
})

describe('report.schema.json describes what the renderer writes', () => {
  // Through renderJsonReport and JSON, as a consumer reads report.json.
  const written = (report: Parameters<typeof renderJsonReport>[0]) => JSON.parse(renderJsonReport(report)) as unknown

  test('a run report, one with a baseline block, and a bench report validate', () => {
    const before = withVerdicts({}, '2026-11-25T13:00:00.000Z')
    const after = withVerdicts({ [sampleReport().checks[0]!.id]: 'fail' })
    for (const report of [sampleReport(), { ...after, baseline: compareWithBaseline(before, after) }, benchRunReport()]) {
      expect(schemaErrors(written(report), reportSchema)).toEqual([])
    }
  })

  test('a field the contract does not name, a verdict it does not know, or another schemaVersion is refused', () => {
    const report = written(sampleReport()) as { checks: Record<string, unknown>[]; [key: string]: unknown }
    expect(schemaErrors({ ...report, extra: 1 }, reportSchema)).toEqual(['$.extra: not allowed here'])
    expect(schemaErrors({ ...report, schemaVersion: 2 }, reportSchema)).toEqual(['$.schemaVersion: must be 1'])
    const checks = [{ ...report.checks[0], verdict: 'skipped' }, ...report.checks.slice(1)]
    expect(schemaErrors({ ...report, checks }, reportSchema)).toEqual([expect.stringMatching(/^\$\.checks\[0\]\.verdict: must be one of/)])
  })
})
