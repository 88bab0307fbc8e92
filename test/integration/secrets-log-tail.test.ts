import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { runCheck } from '../../harness/check/run-check.ts'
import { parseProfile } from '../../harness/profile/load-profile.ts'
import type { ProfileInput } from '../../harness/profile/schema.ts'
import { clientForProfile } from '../../harness/target/client-for-profile.ts'
import { findCheck } from '../../suites/all-checks.ts'

// handler.secrets-not-logged against logs far past any buffer: an app on
// loopback that logs its login bodies at the end of a 5 MiB (or 9 MiB) log.
// The check must fail with the leaked line as evidence and say how much of
// the log it searched, never end in a harness error.

const MIB = 1024 * 1024
const FILLER_LINE = '2025-06-01T12:00:00Z INFO GET /health 200 0.4ms request_id=00000000-0000-0000-0000-000000000000\n'

/** A log of `bytes` bytes of ordinary access lines. */
function writeFillerLog(path: string, bytes: number): void {
  const line = Buffer.from(FILLER_LINE)
  const buffer = Buffer.alloc(bytes, 0x2e)
  for (let at = 0; at + line.length <= bytes; at += line.length) line.copy(buffer, at)
  buffer[bytes - 1] = 0x0a
  writeFileSync(path, buffer)
}

/** An app that logs each login's body, password included, to whichever file `logTo` names. */
function startLeakyApp(logTo: () => string): Promise<{ server: Server; port: number }> {
  const server = createServer((request, response) => {
    let body = ''
    request.on('data', (chunk: Buffer) => (body += chunk))
    request.on('end', () => {
      if (request.method === 'POST' && request.url === '/login') {
        appendFileSync(logTo(), `2025-06-01T12:00:01Z INFO login attempt body=${body}\n`)
        response.writeHead(401, { 'content-type': 'application/json' }).end('{"detail":"invalid credentials"}')
      } else if (request.url === '/health') {
        response.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}')
      } else {
        response.writeHead(404, { 'content-type': 'application/json' }).end('{"detail":"Not Found"}')
      }
    })
  })
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    const address = server.address()
    resolve({ server, port: typeof address === 'object' && address ? address.port : 0 })
  }))
}

describe('handler.secrets-not-logged reads logs of any size as a bounded tail', () => {
  const dir = mkdtempSync(join(tmpdir(), 'layercheck-secrets-log-'))
  let logFile = join(dir, 'app.log')
  let app: Awaited<ReturnType<typeof startLeakyApp>> | undefined

  beforeAll(async () => {
    app = await startLeakyApp(() => logFile)
  })
  afterAll(async () => {
    await new Promise((resolve) => (app ? app.server.close(resolve) : resolve(undefined)))
    rmSync(dir, { recursive: true, force: true })
  })

  async function runSecretsCheck(logs: ProfileInput['logs']) {
    const profile = parseProfile({ baseUrl: `http://127.0.0.1:${app!.port}`, login: { path: '/login' }, logs })
    const client = clientForProfile(profile)
    try {
      return await runCheck(findCheck('handler.secrets-not-logged'), { profile, client })
    } finally {
      await client.close()
    }
  }

  function expectLeakReported(result: Awaited<ReturnType<typeof runSecretsCheck>>, searched: string) {
    expect(result.verdict, `${result.actual}\n${result.diagnosis ?? ''}`).toBe('fail')
    // The leaked line, password masked: the report never carries the marker itself.
    expect(result.actual).toContain('): 2025-06-01T12:00:01Z INFO login attempt body={"username":"layercheck-')
    expect(result.actual).toContain('"password":"«marker password»"}')
    expect(result.actual).not.toContain('layercheck-marker-password-')
    expect(result.actual).toContain(searched)
    expect(result.diagnosis).toContain('never bodies of authentication routes')
  }

  test('a 5 MiB file with the password at its end, read from its last MiB', async () => {
    logFile = join(dir, 'app.log')
    writeFillerLog(logFile, 5 * MIB)
    const result = await runSecretsCheck({ app: { file: logFile, tailBytes: MIB } })
    expectLeakReported(result, `the app log (${logFile}): `)
    expect(result.actual).toContain(`searched the last 1 MiB of 5 MiB of ${logFile}`)
  })

  test('a command printing that 5 MiB log (past the old 4 MiB buffer): its output\'s end is kept', async () => {
    logFile = join(dir, 'cat.log')
    writeFillerLog(logFile, 5 * MIB)
    const command = `cat '${logFile}'`
    const result = await runSecretsCheck({ app: { command, tailBytes: 2 * MIB } })
    expectLeakReported(result, `the app log (${command}): `)
    expect(result.actual).toContain(`searched the last 2 MiB of 5 MiB of the output of \`${command}\``)
  })

  test('a glob of two files, the default 8 MiB tail: the leak is found in the one that holds it', async () => {
    const logs = join(dir, 'rotated')
    mkdirSync(logs)
    writeFileSync(join(logs, 'app-1.log'), FILLER_LINE.repeat(10))
    logFile = join(logs, 'app-2.log')
    writeFillerLog(logFile, 9 * MIB)
    const result = await runSecretsCheck({ app: { file: join(logs, '*.log') } })
    expectLeakReported(result, `the app log (${logFile}): `)
    expect(result.actual).toContain(`searched the last 8 MiB of 9 MiB of ${logFile}`)
    expect(result.actual).not.toContain('app-1.log')
  })
})
