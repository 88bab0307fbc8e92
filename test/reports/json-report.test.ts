import { describe, expect, test } from 'vitest'
import { parseJsonReport, renderJsonReport } from '../../reports/json-report.ts'
import { sampleReport } from './fixtures/sample-report.ts'

describe('renderJsonReport', () => {
  test('round-trips through parseJsonReport', () => {
    const report = sampleReport()
    expect(parseJsonReport(renderJsonReport(report))).toEqual(report)
  })

  test('writes keys in the model order, with a 2-space indent', () => {
    const report = sampleReport()
    const shuffled = { checks: report.checks, summary: report.summary, startedAt: report.startedAt, durationMs: report.durationMs,
      target: report.target, tool: report.tool, schemaVersion: report.schemaVersion }
    const text = renderJsonReport(shuffled)
    expect(text).toBe(renderJsonReport(report))
    expect(Object.keys(JSON.parse(text))).toEqual(['schemaVersion', 'tool', 'target', 'startedAt', 'durationMs', 'summary', 'checks'])
    expect(Object.keys(JSON.parse(text).checks[1].evidence[0]))
      .toEqual(['label', 'request', 'response', 'timing', 'requestId', 'answeredBy', 'repro'])
    expect(text.split('\n')[1]).toBe('  "schemaVersion": 1,')
  })

  test('a probe below HTTP keeps its handshake and certificate, keys in model order', () => {
    const report = sampleReport()
    const certificate = {
      fingerprint256: 'AB:CD', serialNumber: '01', daysUntilExpiry: -5, validTo: '2020-01-31T00:00:00.000Z',
      validFrom: '2020-01-01T00:00:00.000Z', issuer: 'CN=ca', subjectAltNames: ['DNS:localhost'], subject: 'CN=localhost',
    }
    report.checks[0]!.evidence.push({
      repro: 'openssl s_client …',
      answeredBy: { signals: [], reason: 'TLS', step: 3, tier: 'client', confidence: 'certain' },
      timing: { totalMs: 3, startedAt: '2026-01-01T00:00:00.000Z' },
      connection: {
        tls: {
          certificate, trustError: 'CERT_HAS_EXPIRED', trusted: false, alpnProtocol: false, protocol: 'TLSv1.3',
          offered: { alpn: ['h2'], maxVersion: 'TLSv1.3', minVersion: 'TLSv1.2' }, hostnameMatches: true, servername: 'localhost',
        },
        addresses: ['127.0.0.1'], port: 8443, host: 'localhost', step: 3,
      },
      failure: { message: 'expired', code: 'CERT_HAS_EXPIRED' },
      request: { bodyBytes: 0, headers: [], url: 'https://localhost:8443/', method: 'TLS' },
    })
    const text = renderJsonReport(report)
    expect(parseJsonReport(text)).toEqual(report)
    const written = JSON.parse(text).checks[0].evidence.at(-1)
    expect(Object.keys(written)).toEqual(['request', 'failure', 'connection', 'timing', 'answeredBy', 'repro'])
    expect(Object.keys(written.connection)).toEqual(['step', 'host', 'port', 'addresses', 'tls'])
    expect(Object.keys(written.connection.tls)).toEqual([
      'servername', 'offered', 'protocol', 'alpnProtocol', 'trusted', 'trustError', 'hostnameMatches', 'certificate',
    ])
    expect(Object.keys(written.connection.tls.offered)).toEqual(['minVersion', 'maxVersion', 'alpn'])
    expect(Object.keys(written.connection.tls.certificate)).toEqual([
      'subject', 'subjectAltNames', 'issuer', 'validFrom', 'validTo', 'daysUntilExpiry', 'serialNumber', 'fingerprint256',
    ])
  })
})

describe('parseJsonReport', () => {
  test('refuses another schema version and says which', () => {
    const text = JSON.stringify({ ...sampleReport(), schemaVersion: 2 })
    expect(() => parseJsonReport(text)).toThrow('report schemaVersion must be 1, got 2 (written by a newer layercheck; upgrade to read it)')
    expect(() => parseJsonReport('{"checks":[]}')).toThrow('report schemaVersion must be 1, got undefined')
  })

  test('refuses text that is not a report object', () => {
    expect(() => parseJsonReport('{"schemaVersion":1,')).toThrow(/^report is not valid JSON: /)
    expect(() => parseJsonReport('[1]')).toThrow('report must be a JSON object, got an array')
    expect(() => parseJsonReport('{"schemaVersion":1,"summary":{},"checks":{}}')).toThrow('report checks must be an array, got {}')
  })
})
