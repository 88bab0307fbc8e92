import { defineCheck } from '../../harness/check/define-check.ts'
import { gotOf } from '../../harness/check/expect-response.ts'
import { fetchControlBody } from '../../harness/check/control-body.ts'
import { needsLargeRoute } from './fault-requirements.ts'
import { hasProblem, problem, type Problem } from '../../harness/check/problem.ts'
import { proxySetting } from '../../harness/products/proxy-products.ts'
import { DISTURBS_UPSTREAM } from '../../harness/check/resources.ts'

const SILENTLY_SHORT = 'silently-short'

const CUT_AFTER_BYTES = 4096

export const truncatedResponse = defineCheck({
  id: 'faults.truncated-response.no-silent-200',
  title: 'A response cut off by the app\'s connection never reaches the client as a complete-looking 200',
  step: 7, layer: 'proxy', spec: 'RFC 9112 §6.3 (incomplete messages), §8', severity: 'error',
  uses: DISTURBS_UPSTREAM,
  requires: needsLargeRoute,
  async run(context) {
    const { profile, send, faults } = context
    const path = profile.routes.large!
    const full = await fetchControlBody(context, path)
    if (full.bodyBytes <= CUT_AFTER_BYTES * 2) throw new Error(`${path} returns only ${full.bodyBytes} bytes; it must be well over ${CUT_AFTER_BYTES * 2} for this probe`)

    const exchange = await faults!.withFault({ kind: 'limit-data', bytes: CUT_AFTER_BYTES }, () =>
      send({ path, label: `connection to the app closed after ${CUT_AFTER_BYTES} bytes` }))
    const response = exchange.response
    const problems: Problem[] = []
    let actual: string
    if (!response) {
      actual = `no HTTP response (${exchange.failure?.code}): the client saw the break`
    } else if (exchange.failure) {
      actual = `${response.status} with a broken body after ${response.bodyBytes} of ${full.bodyBytes} bytes (${exchange.failure.code}): the client saw the break`
    } else if (response.status >= 500) {
      actual = `${response.status} from ${exchange.answeredBy.tier}`
    } else if (response.bodySha256 === full.bodySha256) {
      throw new Error('the limit_data fault did not take effect: the whole body arrived')
    } else {
      actual = `${response.status} with ${response.bodyBytes} of ${full.bodyBytes} bytes and a clean end: silently short`
      problems.push(problem(SILENTLY_SHORT, `a ${response.status} whose body ended cleanly after ${response.bodyBytes} of ${full.bodyBytes} bytes`))
    }
    return {
      pass: problems.length === 0,
      expected: 'a 502, or a body the client can tell is broken (connection error, short of Content-Length, no last chunk)',
      actual,
      got: gotOf(exchange, problems),
      measurements: { fullBodyBytes: full.bodyBytes, receivedBodyBytes: response?.bodyBytes ?? 0 },
    }
  },
  diagnose: (got, profile) => (hasProblem(got, SILENTLY_SHORT)
    ? 'The proxy passed a cut-off response on as complete: the app\'s response had no length of its own (HTTP/1.0 to the upstream with a streamed body, ' +
      'so the close looked like the end), and the proxy re-framed it for the client with a clean end. ' +
      `Speak HTTP/1.1 to the app (${proxySetting(profile.layers?.proxy, 'upstreamHttp11', 'HTTP/1.1 to the upstream')}), and give responses a Content-Length or chunked framing.`
    : undefined),
})
