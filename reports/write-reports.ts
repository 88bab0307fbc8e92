// Writes every file format of one run into a directory, for the CLI and CI.
import { randomUUID } from 'node:crypto'
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { RunReport } from '../harness/model/check-result.ts'
import { renderHtmlReport } from './html-report.ts'
import { renderJsonReport } from './json-report.ts'
import { renderJunit } from './junit.ts'
import { renderMarkdownSummary } from './markdown-summary.ts'

export interface WrittenReports {
  json: string
  html: string
  junit: string
  markdown: string
}

/**
 * Set by the project's own tests (test/support/report-audit.ts): a copy of every report.json written goes
 * there, and each is validated against the published schema when the tests end.
 */
export const REPORT_AUDIT_ENV = 'LAYERCHECK_REPORT_AUDIT_DIR'

async function auditCopy(json: string): Promise<void> {
  const dir = process.env[REPORT_AUDIT_ENV]
  if (!dir) return
  await mkdir(dir, { recursive: true })
  await writeFile(join(dir, `${process.pid}-${randomUUID()}.json`), json, 'utf8')
}

export async function writeReports(report: RunReport, dir: string): Promise<WrittenReports> {
  await mkdir(dir, { recursive: true })
  const files: [keyof WrittenReports, string, string][] = [
    ['json', 'report.json', renderJsonReport(report)],
    ['html', 'report.html', renderHtmlReport(report)],
    ['junit', 'junit.xml', renderJunit(report)],
    ['markdown', 'summary.md', renderMarkdownSummary(report)],
  ]
  const paths = {} as WrittenReports
  await Promise.all(files.map(async ([key, name, content]) => {
    paths[key] = join(dir, name)
    await writeFile(paths[key], content, 'utf8')
  }))
  await auditCopy(files[0]![2])
  return paths
}
