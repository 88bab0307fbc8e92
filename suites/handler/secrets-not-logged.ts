import { defineCheck } from '../../harness/check/define-check.ts'
import { gotOf } from '../../harness/check/expect-response.ts'
import type { Profile } from '../../harness/profile/schema.ts'
import { readLog } from '../../harness/target/log-reader.ts'
import { describeReach, findLine, type LogTail } from '../../harness/target/log-tail.ts'
import { pollUntil } from '../../harness/process/poll.ts'
import { hasProblem, problem } from '../../harness/check/problem.ts'

const SECRET_LOGGED = 'secret-logged'
const MASK = '«marker password»'

/** The leaked line, masked, cut to about 200 characters around the mask so a long line still shows it. */
function excerpt(line: string, marker: string): string {
  const masked = line.replaceAll(marker, MASK)
  if (masked.length <= 200) return masked
  const at = masked.indexOf(MASK)
  const start = Math.max(0, at - 80)
  return `${start > 0 ? '…' : ''}${masked.slice(start, start + 200)}${start + 200 < masked.length ? '…' : ''}`
}

const needsLogin = (p: Readonly<Profile>) =>
  !p.login ? 'login is not set: name a route whose body carries a password'
    : !p.logs?.app && !p.logs?.proxy ? 'logs is not set: name how to read the app (and proxy) logs' : undefined

export const secretsNotLogged = defineCheck({
  id: 'handler.secrets-not-logged',
  title: 'A password sent to the login route appears in no log line',
  step: 15, layer: 'handler', spec: 'seed Part 9 (never log request bodies that may hold passwords); OWASP ASVS V7.1.1', severity: 'error',
  requires: needsLogin,
  async run({ send, profile, nonce, redact }) {
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
      for (const [, source] of sources) if (findLine(await readLog(source), user)) return true
      return undefined
    }, { timeoutMs: 2000, intervalMs: 100 }).catch(() => undefined)
    // Each log is read as a bounded tail (harness/target/log-tail.ts): a fresh marker is at its end.
    const leaks: string[] = []
    const tails: LogTail[] = []
    for (const [name, source] of sources) {
      const read = await readLog(source)
      tails.push(...read)
      const found = findLine(read, marker)
      if (found) {
        // The rest of the line may hold other secrets (a token, a password): masked around the marker, which stays in view.
        const line = found.line.split(marker).map(redact).join(marker)
        leaks.push(`the ${name} log (${found.tail.origin}): ${excerpt(line, marker)}`)
      }
    }
    const reach = describeReach(tails)
    const searched = reach ? ` (${reach})` : ''
    return {
      pass: leaks.length === 0,
      expected: `the marker password in none of: ${sources.map(([name]) => `${name} log`).join(', ')}`,
      actual: leaks.length ? `found in ${leaks.join(' | ')}${searched}`
        : `not found in ${tails.length} log(s)${searched}; the login answered ${exchange.response?.status ?? exchange.failure?.code}`,
      got: gotOf(exchange, leaks.map((leak) => problem(SECRET_LOGGED, leak))),
    }
  },
  diagnose: (got) => (hasProblem(got, SECRET_LOGGED)
    ? 'A password reached a log: the login handler (or a logging middleware) writes request bodies. Log only safe fields — method, path, status, duration, request ID, user ID — and never bodies of authentication routes.'
    : undefined),
})
