import { header, type ResponseRule } from '../../harness/check/expect-response.ts'
import { problem } from '../../harness/check/problem.ts'

/** The code of an answer without the request-ID header. */
export const ID_MISSING = 'request-id-missing'

/** The answer must carry the request-ID header `name` (any value). */
export const idPresent = (name: string): ResponseRule => (exchange) =>
  (header(exchange, name) ? undefined : problem(ID_MISSING, `no ${name} header`))
