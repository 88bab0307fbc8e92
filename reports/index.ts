// The reporters: each a pure function of a RunReport, plus the file writer.
export { renderFailureBlock } from '../harness/model/failure-text.ts'
export { renderHtmlReport } from './html-report.ts'
export { parseJsonReport, renderJsonReport } from './json-report.ts'
export { renderJunit } from './junit.ts'
export { renderMarkdownSummary } from './markdown-summary.ts'
export { overallVerdict, type OverallVerdict } from '../harness/model/report-view.ts'
export { renderTerminalSummary, type TerminalOptions } from './terminal-summary.ts'
export { writeReports, type WrittenReports } from './write-reports.ts'
