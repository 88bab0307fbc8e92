import { execFileSync } from 'node:child_process'
import { describe, expect, test } from 'vitest'
import { paddedJsonBody } from '../../harness/check/bodies.ts'
import { curlRepro } from '../../harness/http/repro.ts'
import { Redactor } from '../../harness/http/redactor.ts'

const redactor = new Redactor({ LAYERCHECK_TOKEN: 'tok-secret-value-42' })
const envReferences = (value: string) => redactor.asEnvReferences(value)

describe('curl repro commands', () => {
  test('a padded body is rebuilt byte for byte by the shell', () => {
    const text = paddedJsonBody({ name: "O'Brien", quantity: 2 }, 'note', 1_048_577)
    const command = curlRepro({ method: 'POST', url: 'http://127.0.0.1:9/items', headers: [], body: new TextEncoder().encode(text), envReferences })
    const substitution = command.slice(command.indexOf('@<(') + 3, -1)
    expect(execFileSync('bash', ['-c', substitution], { maxBuffer: 4 << 20 }).toString()).toBe(text)
    expect(command.length).toBeLessThan(300)
  })

  test('secrets become env references, never values', () => {
    const command = curlRepro({
      method: 'GET', url: 'http://127.0.0.1:9/me?token=tok-secret-value-42',
      headers: [['authorization', 'Bearer tok-secret-value-42']], envReferences,
    })
    expect(command).not.toContain('tok-secret-value-42')
    expect(command).toContain('-H "authorization: Bearer $LAYERCHECK_TOKEN"')
    expect(command).toContain('"http://127.0.0.1:9/me?token=$LAYERCHECK_TOKEN"')
  })

  test('hostile header values are single-quoted, so the shell runs nothing', () => {
    const command = curlRepro({ method: 'GET', url: 'http://127.0.0.1:9/', headers: [['x-id', "$(touch /tmp/pwned)'; rm -rf /"]], envReferences })
    expect(command).toContain(`-H 'x-id: $(touch /tmp/pwned)'\\''; rm -rf /'`)
  })
})
