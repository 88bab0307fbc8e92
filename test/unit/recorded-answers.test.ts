import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { attributeResponse } from '../../harness/attribution/attribute.ts'
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
const FRONTS = new Set(['nginx', 'haproxy', 'caddy', 'apache-httpd', 'varnish', 'go-net-http-reverseproxy'])

const recordings = readdirSync(ROOT, { withFileTypes: true })
  .filter((d) => d.isDirectory() && !d.name.startsWith('_'))
  .flatMap((d) => readdirSync(join(ROOT, d.name)).filter((f) => f.endsWith('.json')).map((f) => ({ dir: d.name, file: f })))
  .map(({ dir, file }) => ({ dir, file, answer: JSON.parse(readFileSync(join(ROOT, dir, file), 'utf8')) as Recorded }))
  .filter(({ answer }) => answer.status >= 400)

const viewOf = (a: Recorded) => ({
  status: a.status, body: a.body, headers: a.headers,
  header: (name: string) => {
    const values = a.headers.filter(([n]) => n.toLowerCase() === name.toLowerCase()).map(([, v]) => v)
    return values.length ? values.join(', ') : undefined
  },
})

/** Products whose own error answers are named outright by their signature. */
const NAMED: Record<string, string> = {
  nginx: 'nginx', haproxy: 'haproxy', 'apache-httpd': 'apache', varnish: 'varnish',
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

  test("the app servers' own parser refusals are named: gunicorn's page, uvicorn's text, Node's bare refusal", () => {
    const refusals = recordings.filter((r) => PARSERS[r.dir] && r.answer.tier === 'app-server')
    expect(refusals.length).toBeGreaterThan(30)
    const named = refusals.filter((r) => attributeResponse(viewOf(r.answer), { firstHop: { tier: 'app-server' } }).product === PARSERS[r.dir])
    expect(named.map((r) => `${r.dir}/${r.file}`)).toEqual(refusals.map((r) => `${r.dir}/${r.file}`))
  })
})
