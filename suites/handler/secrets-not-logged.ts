import { defineCheck } from '../../harness/check/define-check.ts'
import { gotOf } from '../../harness/check/expect-response.ts'
import type { Profile } from '../../harness/profile/schema.ts'
import { readLog } from '../../harness/target/log-reader.ts'
import { pollUntil } from '../../harness/process/poll.ts'

const needsLogin = (p: Readonly<Profile>) =>
  !p.login ? 'login is not set: name a route whose body carries a password'
    : !p.logs?.app && !p.logs?.proxy ? 'logs is not set: name how to read the app (and proxy) logs' : undefined

export const secretsNotLogged = defineCheck({
  id: 'handler.secrets-not-logged',
  title: 'A password sent to the login route appears in no log line',
  step: 15, layer: 'handler', spec: 'seed Part 9 (never log request bodies that may hold passwords); OWASP ASVS V7.1.1', severity: 'error',
  requires: needsLogin,
  async run({ send, profile, nonce }) {
    const { path, method, usernameField, passwordField } = profile.login!
    const marker = `layercheck-marker-password-${nonce()}`
    const user = `layercheck-${nonce()}`
    const exchange = await send({
      method, path, headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ [usernameField]: user, [passwordField]: marker }),
    })
    const sources = Object.entries(profile.logs ?? {}).filter((entry): entry is [string, NonNullable<typeof entry[1]>] => Boolean(entry[1]))
    // The username is logged on purpose by well-behaved apps, or not at all: wait
    // for the app log to show the attempt (or a bounded while), then search.
    await pollUntil('the login attempt to reach the logs', async () => {
      for (const [, source] of sources) if ((await readLog(source)).includes(user)) return true
      return undefined
    }, { timeoutMs: 2000, intervalMs: 100 }).catch(() => undefined)
    const leaks: string[] = []
    for (const [name, source] of sources) {
      const log = await readLog(source)
      const line = log.split('\n').find((l) => l.includes(marker))
      if (line) leaks.push(`the ${name} log: ${line.replace(marker, '«marker password»').slice(0, 200)}`)
    }
    return {
      pass: leaks.length === 0,
      expected: `the marker password in none of: ${sources.map(([name]) => `${name} log`).join(', ')}`,
      actual: leaks.length ? `found in ${leaks.join(' | ')}` : `not found in ${sources.length} log(s); the login answered ${exchange.response?.status ?? exchange.failure?.code}`,
      got: gotOf(exchange, leaks),
    }
  },
  diagnose: (got) => (got.problems.length
    ? 'A password reached a log: the login handler (or a logging middleware) writes request bodies. Log only safe fields — method, path, status, duration, request ID, user ID — and never bodies of authentication routes.'
    : undefined),
})
