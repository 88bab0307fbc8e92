import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, expect, test } from 'vitest'
import { parseJsonReport, renderJunit, renderMarkdownSummary, writeReports } from '../../reports/index.ts'
import { sampleReport } from './fixtures/sample-report.ts'

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
