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

  test('secret field values come from $LAYERCHECK_SECRET_<FIELD>, and the shell rebuilds the body sent, inline or padded', () => {
    const password = 'pw "quoted" $HOME `id` !'
    const name = "O'Brien $HOME `id` !"
    // A curl that prints the body it is given (read from the file when it is @<(…)).
    const printBody = 'curl() { while [ $# -gt 0 ]; do [ "$1" = --data-binary ] && case "$2" in @*) cat "${2#@}";; *) printf %s "$2";; esac; shift; done; }'
    for (const text of [JSON.stringify({ name, password }), paddedJsonBody({ name, password }, 'note', 4096)]) {
      const command = curlRepro({ method: 'POST', url: 'http://127.0.0.1:9/items', headers: [['content-type', 'application/json']], body: new TextEncoder().encode(text), envReferences })
      expect(command).not.toContain('pw \\"quoted')
      expect(command).toContain('$LAYERCHECK_SECRET_PASSWORD')
      expect(command).toMatch(/ {2}# set LAYERCHECK_SECRET_PASSWORD: the secret field values sent, masked in this report$/)
      // The variable holds the value as it sits in the body (JSON-escaped here).
      const env = { ...process.env, LAYERCHECK_SECRET_PASSWORD: JSON.stringify(password).slice(1, -1) }
      expect(execFileSync('bash', ['-c', `${printBody}\n${command}`], { env, maxBuffer: 1 << 20 }).toString()).toBe(text)
    }
  })

  test('hostile header values are single-quoted, so the shell runs nothing', () => {
    const command = curlRepro({ method: 'GET', url: 'http://127.0.0.1:9/', headers: [['x-id', "$(touch /tmp/pwned)'; rm -rf /"]], envReferences })
    expect(command).toContain(`-H 'x-id: $(touch /tmp/pwned)'\\''; rm -rf /'`)
  })
})
