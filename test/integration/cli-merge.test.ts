import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { runCli } from '../support/cli.ts'

// Two shards merged against the reference stack: cli-workflows.test.ts.
describe('run --shard and report merge: bad usage', () => {
  test('bad usage: a malformed --shard, or reports of different targets', async () => {
    expect((await runCli(['run', '--shard', '3/2'])).code).toBe(2)
    const dir = mkdtempSync(join(tmpdir(), 'layercheck-merge-'))
    const report = { schemaVersion: 1, tool: { name: 'layercheck', version: '0' }, startedAt: '2025-01-01T00:00:00.000Z', durationMs: 1, summary: {}, checks: [] }
    writeFileSync(join(dir, 'a.json'), JSON.stringify({ ...report, target: { baseUrl: 'http://a', name: 'a' } }))
    writeFileSync(join(dir, 'b.json'), JSON.stringify({ ...report, target: { baseUrl: 'http://b', name: 'b' } }))
    const result = await runCli(['report', 'merge', join(dir, 'a.json'), join(dir, 'b.json'), '--out', join(dir, 'out')])
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('reports of different targets cannot be merged: http://a and http://b')
  })
})
