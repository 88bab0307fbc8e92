import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { buildReport } from '../../bin/run/build-report.ts'
import { runCheck } from '../../harness/check/run-check.ts'
import { parseProfile } from '../../harness/profile/load-profile.ts'
import { clientForProfile } from '../../harness/target/client-for-profile.ts'
import { renderTerminalSummary, writeReports } from '../../reports/index.ts'
import { findCheck } from '../../suites/all-checks.ts'

// Every output file of a run, and its terminal summary, against an app that
// does everything wrong with secrets: it echoes each body and each header back
// and logs every body. The password and API key of validBody, the profile's own
// secret field, the login probe's marker password and the token must show
// nowhere; the checks fail, so failure blocks and repros are rendered too.

const TOKEN = 'tok-redaction-4f9c2e71'
const PASSWORD = 'pw-validbody-8c1d5a'
const API_KEY = 'ak-nested-39b7e0f2'
const PIN = 'pin-profile-6620'

const CHECKS = [
  'validation.content-type.mismatch', 'validation.invalid-fields.422', 'proxy.body-size.413',
  'middleware.auth.insufficient-scope.403', 'handler.secrets-not-logged',
]

/** Answers 200 to everything with the body and headers it got; logs each request, body included, with its ID. */
function startLeakyApp(logFile: string, received: string[]): Promise<{ server: Server; port: number }> {
  const server = createServer((request, response) => {
    let body = ''
    request.on('data', (chunk: Buffer) => (body += chunk))
    request.on('end', () => {
      received.push(body)
      appendFileSync(logFile, `INFO ${request.method} ${request.url} request_id=${request.headers['x-request-id'] ?? '-'} body=${body}\n`)
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ received: body, headers: request.headers }))
    })
  })
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.address() as { port: number }).port })))
}

describe('no secret in any output of a run', () => {
  const dir = mkdtempSync(join(tmpdir(), 'layercheck-redaction-'))
  const logFile = join(dir, 'app.log')
  const received: string[] = []
  let app: Awaited<ReturnType<typeof startLeakyApp>>

  beforeAll(async () => { app = await startLeakyApp(logFile, received) })
  afterAll(async () => {
    await new Promise((resolve) => app.server.close(resolve))
    rmSync(dir, { recursive: true, force: true })
  })

  test('report.json, report.html, junit.xml, summary.md and the terminal summary hold no token or password', async () => {
    const profile = parseProfile({
      baseUrl: `http://127.0.0.1:${app.port}`,
      probes: {
        jsonEndpoint: {
          path: '/items',
          validBody: { name: 'Alice', password: PASSWORD, account: { api_key: API_KEY, memberPin: PIN } },
          invalidBody: { name: '', password: PASSWORD }, invalidFields: ['name'], paddingField: 'note',
        },
      },
      // Over the repro's inline limit: the padded body is rebuilt in the shell, around the secrets.
      limits: { maxBodyBytes: 4096 },
      auth: { protectedPath: '/me', tokenEnv: 'LAYERCHECK_TOKEN', forbidden: { path: '/admin', tokenEnv: 'LAYERCHECK_TOKEN' } },
      login: { path: '/login' },
      logs: { app: { file: logFile } },
      redact: { fields: ['member_pin'] },
    })
    const env = { ...process.env, LAYERCHECK_TOKEN: TOKEN }
    const client = clientForProfile(profile, env)
    const startedAt = new Date()
    const results = []
    try {
      for (const id of CHECKS) results.push(await runCheck(findCheck(id), { profile, client, env }))
    } finally {
      await client.close()
    }
    expect(results.map((r) => [r.id, r.verdict])).toEqual(CHECKS.map((id) => [id, 'fail']))

    const report = buildReport(profile, results, startedAt, 1)
    const reportDir = join(dir, 'report')
    await writeReports(report, reportDir)
    const outputs: [string, string][] = [
      ...readdirSync(reportDir).map((name): [string, string] => [name, readFileSync(join(reportDir, name), 'utf8')]),
      ['terminal', renderTerminalSummary(report, { color: false })],
    ]
    expect(outputs.map(([name]) => name).sort()).toEqual(['junit.xml', 'report.html', 'report.json', 'summary.md', 'terminal'])

    // The secrets did go out, and came back in answers and the log: the outputs had them to leak.
    const marker = /layercheck-marker-password-[0-9a-f]+/.exec(received.join('\n'))?.[0]
    expect(marker).toBeDefined()
    expect(readFileSync(logFile, 'utf8')).toContain(PASSWORD)
    for (const [name, text] of outputs) {
      for (const secret of [TOKEN, PASSWORD, API_KEY, PIN, marker!]) expect(text.includes(secret), `${name} holds ${secret}`).toBe(false)
    }

    // What is shown instead: masks in the evidence, variables in the repros, the marker's place in the log line.
    const json = outputs.find(([name]) => name === 'report.json')![1]
    expect(json).toContain('\\"password\\":\\"[redacted]\\"')
    expect(json).toContain('$LAYERCHECK_SECRET_PASSWORD')
    expect(json).toContain('$LAYERCHECK_TOKEN')
    expect(json).toContain('«marker password»')
  })
})
