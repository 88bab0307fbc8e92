import { defineCheck } from '../../harness/check/define-check.ts'
import { appFix } from '../../harness/products/app-products.ts'
import { documentedAppError } from '../../harness/check/bodies.ts'
import { proxySetting } from '../../harness/products/proxy-products.ts'
import { expectResponse, header, type ResponseRule } from '../../harness/check/expect-response.ts'
import { hasProblem, problem } from '../../harness/check/problem.ts'
import { ID_MISSING, idPresent } from '../middleware/request-id-rules.ts'

const EXPOSES = 'internals-exposed'

// What must never reach a client from a crashed handler (OWASP: improper error handling).
const LEAKS: [RegExp, string][] = [
  [/Traceback \(most recent call last\)/, 'a Python traceback'],
  [/File "[^"]+", line \d+/, 'a source file and line'],
  [/\bat [\w.<>$]+ \((?:\/|[A-Za-z]:\\)[^)]+:\d+:\d+\)/, 'a JavaScript stack frame'],
  [/(?:^|[\s"'(=])(?:\/[\w.-]+){2,}\.(?:py|js|ts|rb|go|java|php|db|sqlite)\b/, 'a server file path'],
  [/\b[A-Z]\w*(?:Error|Exception)\b(?::|\(| at )/, 'an exception class name'],
  [/\b(?:SQLALCHEMY|DATABASE_URL|SECRET_KEY|PASSWORD)\w*\s*[=:]/i, 'a configuration setting'],
]

const noInternals: ResponseRule = (exchange) => {
  const body = exchange.response?.bodyExcerpt ?? ''
  const found = LEAKS.filter(([pattern]) => pattern.test(body)).map(([, what]) => what)
  return found.length ? problem(EXPOSES, `the body exposes ${found.join(', ')}`) : undefined
}

export const unhandledException = defineCheck({
  id: 'handler.unhandled-exception.500',
  title: 'A handler that raises gives 500 with no stack trace or internals, and with the request ID',
  step: 15, layer: 'handler', spec: 'RFC 9110 §15.6.1; OWASP ASVS V7.4', severity: 'error',
  requires: (p) => (p.probes.errorPath ? undefined : 'probes.errorPath is not set: name a path whose handler raises (a test-only route)'),
  async run({ send, profile }) {
    const idHeader = profile.requestId?.header
    const exchange = await send({ path: profile.probes.errorPath!, headers: { accept: 'application/json' }, documented: documentedAppError(profile) })
    const rules: ResponseRule[] = [noInternals]
    if (idHeader) rules.push(idPresent(idHeader))
    return expectResponse(exchange, {
      status: 500, from: 'app', rules,
      describe: `no internals in the body${idHeader ? `, ${idHeader} present` : ''}`,
    })
  },
  diagnose: (got, profile) => {
    if (hasProblem(got, EXPOSES)) {
      return 'The 500 body exposes internals (traceback, file paths, exception names): debug mode is on, or an error handler returns str(exc). ' +
        `Log the details server-side and ${appFix(profile.layers?.app ?? got.product, 'debugOff', 'turn debug mode off and return a generic message with the request ID')}.`
    }
    if (hasProblem(got, ID_MISSING)) {
      return `The 500 has no ${profile.requestId!.header}: the error path bypasses the middleware that sets it, so users cannot quote it. ${appFix(profile.layers?.app ?? got.product, 'requestIdOnErrors', 'set the ID in the 500 handler too')}.`
    }
    if (got.tier === 'proxy') return `The proxy (${got.product ?? 'unknown'}) replaced the app's 500 with its own page: check ${proxySetting(profile.layers?.proxy, 'interceptErrors', 'the rule that replaces upstream errors')}.`
    return undefined
  },
})
