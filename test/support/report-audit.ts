// A global setup for the project's own tests: every report.json any test causes to be written
// (by the CLI in a child process, or in-process) is copied aside by writeReports, and when the
// tests end each copy is validated against the published schemas/report.schema.json. One that
// does not validate fails the run (vitest exits 1), naming the report and the rule it breaks.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PROJECT_ROOT } from '../../harness/paths.ts'
import { REPORT_AUDIT_ENV } from '../../reports/write-reports.ts'
import { schemaErrors } from './json-schema-check.ts'

export default function setup(): (() => void) | undefined {
  // Each project runs this setup; the first one owns the folder, and its teardown (at the very end) reads it.
  if (process.env[REPORT_AUDIT_ENV]) return undefined
  const dir = mkdtempSync(join(tmpdir(), 'layercheck-report-audit-'))
  process.env[REPORT_AUDIT_ENV] = dir
  return () => {
    delete process.env[REPORT_AUDIT_ENV]
    const schema = JSON.parse(readFileSync(join(PROJECT_ROOT, 'schemas', 'report.schema.json'), 'utf8')) as Record<string, unknown>
    const copies = readdirSync(dir)
    const invalid: string[] = []
    for (const name of copies) {
      const text = readFileSync(join(dir, name), 'utf8')
      const errors = schemaErrors(JSON.parse(text), schema)
      if (errors.length) invalid.push(`${name} (target ${(JSON.parse(text) as { target?: { baseUrl?: string } }).target?.baseUrl}):\n${errors.slice(0, 8).map((e) => `    ${e}`).join('\n')}`)
    }
    process.stdout.write(`reports: ${copies.length} report.json written by the tests, ${invalid.length} not valid against schemas/report.schema.json\n`)
    if (invalid.length) {
      // Kept for a look; the run fails.
      throw new Error(`report.json files that break schemas/report.schema.json (copies in ${dir}):\n  ${invalid.join('\n  ')}`)
    }
    rmSync(dir, { recursive: true, force: true })
  }
}
