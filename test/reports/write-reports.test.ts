import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, expect, test } from 'vitest'
import { parseJsonReport, renderJunit, renderMarkdownSummary, writeReports } from '../../reports/index.ts'
import { sampleReport } from './fixtures/sample-report.ts'
import { REPORT_AUDIT_ENV } from '../../reports/write-reports.ts'

let base: string
beforeEach(async () => { base = await mkdtemp(join(tmpdir(), 'layercheck-reports-')) })
afterEach(async () => { await rm(base, { recursive: true, force: true }) })

test('writes the four reports into a directory it creates', async () => {
  const dir = join(base, 'nested', 'out')
  const paths = await writeReports(sampleReport(), dir)
  expect(paths).toEqual({
    json: join(dir, 'report.json'),
    html: join(dir, 'report.html'),
    junit: join(dir, 'junit.xml'),
    markdown: join(dir, 'summary.md'),
  })
  expect(parseJsonReport(await readFile(paths.json, 'utf8'))).toEqual(sampleReport())
  expect(await readFile(paths.junit, 'utf8')).toBe(renderJunit(sampleReport()))
  expect(await readFile(paths.markdown, 'utf8')).toBe(renderMarkdownSummary(sampleReport()))
  expect(await readFile(paths.html, 'utf8')).toMatch(/^<!doctype html>/)
})

// The project's tests validate every report.json they cause to be written (test/support/report-audit.ts):
// that rests on this copy being made, byte for byte, wherever the audit folder is named.
test('with LAYERCHECK_REPORT_AUDIT_DIR set, a copy of report.json goes there as written', async () => {
  const audit = join(base, 'audit')
  const before = process.env[REPORT_AUDIT_ENV]
  process.env[REPORT_AUDIT_ENV] = audit
  try {
    const paths = await writeReports(sampleReport(), join(base, 'out'))
    const copies = await readdir(audit)
    expect(copies).toHaveLength(1)
    expect(await readFile(join(audit, copies[0]!), 'utf8')).toBe(await readFile(paths.json, 'utf8'))
  } finally {
    if (before === undefined) delete process.env[REPORT_AUDIT_ENV]
    else process.env[REPORT_AUDIT_ENV] = before
  }
})
