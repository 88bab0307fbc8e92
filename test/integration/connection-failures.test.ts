import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { connect, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createServer, type Server } from 'node:tls'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { runCheck } from '../../harness/check/run-check.ts'
import { CERTS_DIR, VENV_BIN } from '../../harness/paths.ts'
import { parseProfile } from '../../harness/profile/load-profile.ts'
import type { ProfileInput } from '../../harness/profile/schema.ts'
import { freePort } from '../../harness/process/free-port.ts'
import { pollUntil } from '../../harness/process/poll.ts'
import { startProcess, type ManagedProcess } from '../../harness/process/process-group.ts'
import { clientForProfile } from '../../harness/target/client-for-profile.ts'
import { findCheck } from '../../suites/all-checks.ts'
import { CONNECTION_CONTROLS, type FailingTarget } from '../support/connection-controls.ts'

// Failures with no HTTP at all (lifecycle steps 1–3), produced on loopback only,
// each attributed to its step by the checks. Every wait is bounded by
// CONNECT_MS; a control that took longer would fail on the duration.
const CONNECT_MS = 1000
const REQUEST_MS = 2000

/** A listener that never accepts (backlog 0), its accept queue filled by one held connection: further SYNs are dropped. */
async function startSilentListener(dir: string): Promise<{ port: number; process: ManagedProcess; filler: Socket }> {
  const port = await freePort()
  const script = [
    'import socket, sys, time',
    's = socket.socket(socket.AF_INET, socket.SOCK_STREAM)',
    's.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)',
    "s.bind(('127.0.0.1', int(sys.argv[1])))",
    's.listen(0)',
    'while True: time.sleep(3600)',
  ].join('\n')
  const process = startProcess({ name: 'silent listener', command: join(VENV_BIN, 'python'), args: ['-c', script, String(port)], logFile: join(dir, 'silent.log') })
  // The first connection that opens is the filler: it sits in the accept queue for good.
  const filler = await pollUntil('the silent listener to take its filler connection', () => new Promise<Socket | undefined>((resolve) => {
    const socket = connect({ host: '127.0.0.1', port })
    const timer = setTimeout(() => {
      socket.destroy()
      resolve(undefined)
    }, 1000)
    socket.once('connect', () => {
      clearTimeout(timer)
      resolve(socket)
    })
    socket.once('error', () => {
      clearTimeout(timer)
      resolve(undefined)
    })
  }), { timeoutMs: 5000 })
  return { port, process, filler }
}

/** A real TLS server for localhost (the reference certificate) that offers no ALPN protocol. */
async function startTlsWithoutAlpn(): Promise<{ port: number; server: Server }> {
  const server = createServer({
    cert: readFileSync(join(CERTS_DIR, 'server.crt')),
    key: readFileSync(join(CERTS_DIR, 'server.key')),
    minVersion: 'TLSv1.2',
  }, (socket) => socket.end())
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  return { port: typeof address === 'object' && address ? address.port : 0, server }
}

describe('checks fail with no HTTP at all, placed at their lifecycle step', () => {
  const dir = mkdtempSync(join(tmpdir(), 'layercheck-connection-'))
  let refusedPort = 0
  let silent: Awaited<ReturnType<typeof startSilentListener>> | undefined
  let noAlpn: Awaited<ReturnType<typeof startTlsWithoutAlpn>> | undefined

  beforeAll(async () => {
    refusedPort = await freePort()
    silent = await startSilentListener(dir)
    noAlpn = await startTlsWithoutAlpn()
  })
  afterAll(async () => {
    silent?.filler.destroy()
    await silent?.process.stop()
    await new Promise((resolve) => (noAlpn ? noAlpn.server.close(resolve) : resolve(undefined)))
    rmSync(dir, { recursive: true, force: true })
  })

  const hostPort = (target: FailingTarget) =>
    target === 'no-such-host' ? 'no-such-host.invalid'
      : target === 'refused' ? `127.0.0.1:${refusedPort}`
        : target === 'silent' ? `127.0.0.1:${silent!.port}`
          : `localhost:${noAlpn!.port}`

  const profileFor = (target: FailingTarget, scheme: 'http' | 'https'): ProfileInput => ({
    baseUrl: `${scheme}://${hostPort(target)}`,
    tls: { caFile: join(CERTS_DIR, 'ca.crt') },
    timeouts: { connectMs: CONNECT_MS, requestMs: REQUEST_MS },
  })

  test('the silent listener really drops connection attempts (the TCP timeout is produced, not assumed)', async () => {
    const started = performance.now()
    const outcome = await new Promise<string>((resolve) => {
      const socket = connect({ host: '127.0.0.1', port: silent!.port })
      const timer = setTimeout(() => {
        socket.destroy()
        resolve('no answer')
      }, CONNECT_MS)
      socket.once('connect', () => resolve('connected'))
      socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'))
      socket.once('close', () => clearTimeout(timer))
    })
    expect(outcome).toBe('no answer')
    expect(performance.now() - started).toBeGreaterThanOrEqual(CONNECT_MS - 50)
  })

  test.each(CONNECTION_CONTROLS.map((c) => [`${c.check} on ${c.target} (${c.scheme})`, c] as const))('%s fails at step', async (_name, control) => {
    const profile = parseProfile(profileFor(control.target, control.scheme))
    const client = clientForProfile(profile)
    try {
      const started = performance.now()
      const result = await runCheck(findCheck(control.check), { profile, client })
      const elapsedMs = performance.now() - started
      expect(result.verdict, `${result.actual}\n${result.diagnosis ?? ''}`).toBe('fail')
      expect(result.answeredBy?.tier, result.actual).toBe('client')
      expect(result.answeredBy?.step, result.actual).toBe(control.step)
      expect(result.diagnosis).toContain(control.diagnosisMentions)
      // Evidence: a probe below HTTP, with no response.
      const decisive = result.evidence[result.decisive ?? 0]!
      expect(decisive.response).toBeUndefined()
      expect(decisive.connection?.step).toBeGreaterThanOrEqual(control.step)
      // Bounded: a timeout costs connectMs per probe (two for min-version), never more.
      expect(elapsedMs).toBeLessThan(2 * CONNECT_MS + 1500)
    } finally {
      await client.close()
    }
  })

  test('the server without ALPN is otherwise sound: its certificate and versions pass', async () => {
    const profile = parseProfile(profileFor('tls-without-alpn', 'https'))
    const client = clientForProfile(profile)
    try {
      for (const id of ['connection.tls.certificate-valid', 'connection.tls.min-version', 'connection.tls.expiry-window']) {
        const result = await runCheck(findCheck(id), { profile, client })
        expect(result.verdict, `${id}: ${result.actual}\n${result.diagnosis ?? ''}`).toBe('pass')
      }
    } finally {
      await client.close()
    }
  })

  test('a refused TCP connection and a timed-out one are told apart', async () => {
    const results = await Promise.all((['refused', 'silent'] as const).map(async (target) => {
      const profile = parseProfile(profileFor(target, 'http'))
      const client = clientForProfile(profile)
      try {
        return await runCheck(findCheck('connection.tcp.connects'), { profile, client })
      } finally {
        await client.close()
      }
    }))
    expect(results.map((r) => r.evidence[0]!.failure?.code)).toEqual(['ECONNREFUSED', 'ETIMEDOUT'])
    expect(results[0]!.durationMs).toBeLessThan(CONNECT_MS)
    expect(results[1]!.durationMs).toBeGreaterThanOrEqual(CONNECT_MS - 50)
  })

  test('IP literals only: the DNS check is not applicable, with the reason', async () => {
    const profile = parseProfile(profileFor('refused', 'http'))
    const client = clientForProfile(profile)
    try {
      const result = await runCheck(findCheck('connection.dns.resolves'), { profile, client })
      expect(result.verdict).toBe('not-applicable')
      expect(result.reason).toContain('IP literals')
    } finally {
      await client.close()
    }
  })
})
