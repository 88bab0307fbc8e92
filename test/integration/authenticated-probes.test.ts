import { describe, expect, test } from 'vitest'
import { runCheck } from '../../harness/check/run-check.ts'
import { parseProfile } from '../../harness/profile/load-profile.ts'
import type { ProfileInput } from '../../harness/profile/schema.ts'
import { clientForProfile } from '../../harness/target/client-for-profile.ts'
import { findCheck } from '../../suites/all-checks.ts'
import { useStack } from '../support/reference-stack.ts'

// A deployment whose JSON endpoint needs a token: the reference app with POST /items behind the
// user token. Probes about content type, a missing body, invalid fields and body size must reach
// the validation they are about; with `auth.sendTokenTo` they carry the token, without it they
// meet a 401 and fail for the wrong reason.

const JSON_PROBES = ['validation.content-type.mismatch', 'validation.missing-body.422', 'validation.invalid-fields.422', 'proxy.body-size.under-limit']

describe('a JSON endpoint behind a token', () => {
  const target = useStack({ name: 'items-need-token', description: 'POST /items requires the user token', appBreaks: ['items-need-token'], controls: [] })

  test('without auth.sendTokenTo the JSON probes meet the 401, and say so', async () => {
    const { profile, client, env } = target()
    for (const id of JSON_PROBES) {
      const result = await runCheck(findCheck(id), { profile, client, env })
      expect(result.verdict, `${id}: ${result.actual}`).toBe('fail')
      expect(result.actual, id).toMatch(/401 from app/)
      expect(result.diagnosis, id).toContain('auth.sendTokenTo')
    }
  })

  test('with auth.sendTokenTo they carry the token, reach validation and pass; the anonymous-token checks still send none', async () => {
    const { profile: base, env } = target()
    const profile = parseProfile({ ...structuredClone(base), auth: { ...base.auth!, sendTokenTo: ['/items*'] } } as ProfileInput)
    const client = clientForProfile(profile, env)
    try {
      for (const id of [...JSON_PROBES, 'proxy.body-size.413', 'middleware.auth.missing-token.401', 'middleware.auth.bad-token.401']) {
        const result = await runCheck(findCheck(id), { profile, client, env })
        expect(result.verdict, `${id}: ${result.actual}\n${result.diagnosis ?? ''}`).toBe('pass')
        const evidence = JSON.stringify(result)
        expect(evidence, `${id}: the token reached the evidence`).not.toContain(env[profile.auth!.tokenEnv]!)
        if (JSON_PROBES.includes(id)) expect(result.evidence.some((ex) => ex.request.headers.some(([name, value]) => name === 'authorization' && value.includes('[redacted]'))), id).toBe(true)
      }
    } finally {
      await client.close()
    }
  })
})
