import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { attributeResponse } from '../../harness/attribution/attribute.ts'
import { SIGNATURES } from '../../harness/attribution/signatures.ts'
import type { Tier } from '../../harness/model/check-result.ts'

// Answers recorded byte for byte from the real servers (test/fixtures/answers/,
// versions in each file and in its README). Attribution from signatures alone —
// no profile, no calibration — may say "unknown", but never names a wrong
// layer; and the products whose pages are unmistakable are named.

interface Recorded {
  product: string
  version: string
  tier: Tier
  case: string
  status: number
  headers: [string, string][]
  body: string
}

const ROOT = new URL('../fixtures/answers/', import.meta.url).pathname
/** Who accepts the connection in each recording: a front, or the app server itself. */
const FRONTS = new Set(['nginx', 'haproxy', 'caddy', 'apache-httpd', 'varnish', 'go-net-http-reverseproxy', 'envoy', 'traefik'])

const everyRecording = readdirSync(ROOT, { withFileTypes: true })
  .filter((d) => d.isDirectory() && !d.name.startsWith('_'))
  .flatMap((d) => readdirSync(join(ROOT, d.name)).filter((f) => f.endsWith('.json')).map((f) => ({ dir: d.name, file: f })))
  .map(({ dir, file }) => ({ dir, file, answer: JSON.parse(readFileSync(join(ROOT, dir, file), 'utf8')) as Recorded }))
const recordings = everyRecording.filter(({ answer }) => answer.status >= 400)

const viewOf = (a: Recorded) => ({
  status: a.status, body: a.body, headers: a.headers,
  header: (name: string) => {
    const values = a.headers.filter(([n]) => n.toLowerCase() === name.toLowerCase()).map(([, v]) => v)
    return values.length ? values.join(', ') : undefined
  },
})

/** Products whose own error answers are named outright by their signature. */
const NAMED: Record<string, string> = {
  nginx: 'nginx', haproxy: 'haproxy', 'apache-httpd': 'apache', varnish: 'varnish', envoy: 'envoy',
}

/** Signatures of products recorded here, and the recordings they may claim: none of another product's. */
const OWN_DIRS: Record<string, readonly string[]> = {
  envoy: ['envoy'],
  traefik: ['traefik'],
}

/** App servers whose own parser refusals are named outright (hypercorn's empty 400 and Go's are not always). */
const PARSERS: Record<string, string> = {
  'gunicorn-sync-flask': 'gunicorn', 'django-gunicorn': 'gunicorn', 'uvicorn-fastapi': 'uvicorn', 'uvicorn-httptools-fastapi': 'uvicorn',
  'gunicorn-uvicorn-fastapi': 'uvicorn', 'node-http': 'node', express: 'node', fastify: 'node',
}

describe('recorded answers of real servers', () => {
  test('there are recordings to test', () => {
    expect(recordings.length).toBeGreaterThan(100)
  })

  test.each(recordings.map((r) => [`${r.dir}/${r.file}`, r] as const))('%s: never a wrong layer', (_, { dir, answer }) => {
    const firstHop = { tier: FRONTS.has(dir) ? 'proxy' as const : 'app-server' as const }
    const by = attributeResponse(viewOf(answer), { firstHop })
    // A front's answer that came from its upstream is the app's; an app server's parser errors are its own.
    if (by.tier !== 'unknown') expect(by.tier, `${answer.case}: ${by.reason}`).toBe(answer.tier)
    if (NAMED[dir] && answer.tier === 'proxy' && by.tier !== 'unknown') expect(by.product).toBe(NAMED[dir])
  })

  test('the fronts with their own page templates are named on every refusal and error they write', () => {
    const fronts = recordings.filter((r) => NAMED[r.dir] && r.answer.tier === 'proxy' && r.answer.body.trim() !== '')
    const named = fronts.filter((r) => attributeResponse(viewOf(r.answer), { firstHop: { tier: 'proxy' } }).product === NAMED[r.dir])
    expect(named.map((r) => `${r.dir}/${r.file}`)).toEqual(fronts.map((r) => `${r.dir}/${r.file}`))
  })

  test("Traefik's own proxy and middleware answers are named; its parser refusals are Go net/http's; its Go 404 is nobody's", () => {
    const own = recordings.filter((r) => r.dir === 'traefik' && r.answer.tier === 'proxy')
    const by = Object.fromEntries(own.map((r) => [r.file, attributeResponse(viewOf(r.answer), { firstHop: { tier: 'proxy' } })]))
    for (const file of ['upstream-refused-502.json', 'upstream-closes-502.json', 'upstream-timeout-504.json', 'upstream-empty-503.json',
      'body-over-limit-content-length.json', 'body-over-limit-chunked.json']) {
      expect(by[file], file).toMatchObject({ tier: 'proxy', product: 'traefik' })
    }
    // Go's server answers before Traefik's handlers run: the same bytes as any Go server.
    for (const file of ['malformed-request-line-garbage.json', 'malformed-request-line-no-version.json', 'transfer-encoding-gzip.json', 'http-version-2.0.json']) {
      expect(by[file], file).toMatchObject({ tier: 'proxy', product: 'go net/http' })
    }
    // "404 page not found\n" is Go's http.NotFound, byte for byte what a Go app's ServeMux sends.
    expect(by['own-404.json']!.product).toBeUndefined()
  })

  test.each(Object.entries(OWN_DIRS))("%s's signatures claim no other product's recording", (product, dirs) => {
    const claimed = everyRecording.filter((r) => SIGNATURES.some((s) => s.product === product && s.match(viewOf(r.answer))))
    expect(claimed.filter((r) => !dirs.includes(r.dir)).map((r) => `${r.dir}/${r.file}`)).toEqual([])
    expect(claimed.length).toBeGreaterThan(5)
  })

  test("node:http's refusal passed on by a front is never the front's: node where its shape survives (HAProxy), else unknown", () => {
    const relayed = recordings.filter((r) => r.file.startsWith('relayed-node-'))
    expect(relayed.map((r) => r.dir).sort()).toEqual(['caddy', 'haproxy', 'nginx'])
    for (const { dir, answer } of relayed) {
      // As a profile names the layers of the matrix cell it was recorded on: the front, node, Express.
      const by = attributeResponse(viewOf(answer), { firstHop: { tier: 'proxy', product: dir }, hints: { proxy: dir, server: 'node', app: 'express' } })
      expect(by.tier === 'unknown' || (by.tier === 'app-server' && by.product === 'node'), `${dir}: ${by.tier} — ${by.reason}`).toBe(true)
    }
    const haproxy = relayed.find((r) => r.dir === 'haproxy')!
    expect(attributeResponse(viewOf(haproxy.answer), { firstHop: { tier: 'proxy' } })).toMatchObject({ tier: 'app-server', product: 'node', confidence: 'likely' })
  })

  test("the app servers' own parser refusals are named: gunicorn's page, uvicorn's text, Node's bare refusal", () => {
    const refusals = recordings.filter((r) => PARSERS[r.dir] && r.answer.tier === 'app-server')
    expect(refusals.length).toBeGreaterThan(30)
    const named = refusals.filter((r) => attributeResponse(viewOf(r.answer), { firstHop: { tier: 'app-server' } }).product === PARSERS[r.dir])
    expect(named.map((r) => `${r.dir}/${r.file}`)).toEqual(refusals.map((r) => `${r.dir}/${r.file}`))
  })
})
