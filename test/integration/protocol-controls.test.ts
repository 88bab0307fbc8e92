import { createServer, type Server, type Socket } from 'node:net'
import { afterAll, describe, expect, test } from 'vitest'
import { runCheck } from '../../harness/check/run-check.ts'
import { renderFailureBlock } from '../../harness/model/failure-text.ts'
import { parseProfile } from '../../harness/profile/load-profile.ts'
import { clientForProfile } from '../../harness/target/client-for-profile.ts'
import { findCheck } from '../../suites/all-checks.ts'
import { PROTOCOL_VARIANTS } from '../../targets/nginx-fastapi/variants.ts'
import { PROTOCOL_SERVER_CONTROLS } from '../support/protocol-controls.ts'
import { describeVariantControls } from '../support/variant-controls.ts'

// The protocol checks proven failing: aimed past nginx at uvicorn (h11), with
// nginx's default client timeouts, and (where nothing in the stack can fail them)
// against a small server that misbehaves in one way.
describeVariantControls(PROTOCOL_VARIANTS)

describe('protocol checks against a misbehaving first hop on loopback', () => {
  const servers: Server[] = []
  const sockets = new Set<Socket>()
  afterAll(async () => {
    for (const socket of sockets) socket.destroy()
    for (const server of servers) await new Promise((resolve) => server.close(resolve))
  })

  for (const control of PROTOCOL_SERVER_CONTROLS) {
    test(`${control.check} fails against ${control.description}, answered by ${control.answeredBy}`, async () => {
      const server = createServer((socket) => {
        sockets.add(socket)
        socket.on('error', () => {})
        socket.once('data', () => control.serve(socket))
      })
      servers.push(server)
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
      const profile = parseProfile({ baseUrl: `http://127.0.0.1:${(server.address() as { port: number }).port}`, layers: control.layers })
      const client = clientForProfile(profile)
      try {
        const result = await runCheck(findCheck(control.check), { profile, client })
        expect(result.verdict, `${result.actual}\n${result.diagnosis ?? ''}`).toBe('fail')
        expect(result.answeredBy?.tier, result.actual).toBe(control.answeredBy)
        expect(result.diagnosis).toContain(control.diagnosisMentions)
        // The failure block shows the bytes of the probe that failed, and a repro that resends them.
        const decisive = result.evidence[result.decisive!]!
        // The check blames the layer at fault; an answer that came back keeps its own attribution, unless the fault is the connection's.
        if (decisive.answeredBy.tier !== result.answeredBy?.tier) expect(result.answeredBy?.reason).toContain('connection')
        expect(renderFailureBlock(result)).toContain(`sent:     ${decisive.raw!.sent}`)
        expect(decisive.repro).toMatch(/^printf '.*' \| nc -q 3 127\.0\.0\.1 \d+$/)
      } finally {
        await client.close()
      }
    })
  }
})
