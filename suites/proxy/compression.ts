import { defineCheck } from '../../harness/check/define-check.ts'
import { proxySetting } from '../../harness/products/proxy-products.ts'
import { allOf, expectResponse, header, listHas } from '../../harness/check/expect-response.ts'
import { hasProblem, problem } from '../../harness/check/problem.ts'

const CODES = { notCompressed: 'not-compressed', noVary: 'no-vary-accept-encoding', compressedAnyway: 'compressed-although-refused' } as const

export const gzipCompression = defineCheck({
  id: 'proxy.compression.gzip',
  title: 'Large bodies are gzip-compressed when the client accepts it, with Vary: Accept-Encoding, and never when it does not',
  step: 6, layer: 'proxy', spec: 'RFC 9110 §8.4, §12.5.3; §12.5.5 (Vary)', severity: 'warning',
  requires: (p) => (!p.responseHeaders.compressionMinBytes ? 'responseHeaders.compressionMinBytes is not set'
    : !p.routes.large && !p.routes.openapi ? 'no large body to fetch: set routes.large or routes.openapi' : undefined),
  async run({ send, profile }) {
    // The OpenAPI document is large and public on most FastAPI deployments.
    const path = profile.routes.large ?? (profile.routes.openapi as string)
    const accepted = await send({ path, headers: { 'accept-encoding': 'gzip' }, label: 'Accept-Encoding: gzip' })
    const refused = await send({ path, headers: { 'accept-encoding': 'identity' }, label: 'Accept-Encoding: identity' })
    return allOf([
      expectResponse(accepted, {
        status: 200, describe: 'Content-Encoding: gzip, Vary: Accept-Encoding',
        rules: [
          (ex) => (listHas(header(ex, 'content-encoding'), 'gzip') ? undefined : problem(CODES.notCompressed, `Content-Encoding: ${header(ex, 'content-encoding') ?? 'absent'}`)),
          (ex) => (listHas(header(ex, 'vary'), 'accept-encoding') ? undefined : problem(CODES.noVary, `no Vary: Accept-Encoding (Vary: ${header(ex, 'vary') ?? 'absent'})`)),
        ],
      }),
      expectResponse(refused, {
        status: 200, describe: 'no Content-Encoding',
        rules: [(ex) => (header(ex, 'content-encoding') ? problem(CODES.compressedAnyway, `Content-Encoding: ${header(ex, 'content-encoding')} although the client refused it`) : undefined)],
      }),
    ])
  },
  diagnose: (got, profile) => {
    if (hasProblem(got, CODES.notCompressed)) {
      return `Large JSON bodies go out uncompressed: ${proxySetting(profile.layers?.proxy, 'gzip', 'compression of application/json')} (nginx compresses proxied responses only with gzip_proxied).`
    }
    if (hasProblem(got, CODES.compressedAnyway)) return 'A compressed body went to a client that refused it: the compression layer ignores Accept-Encoding.'
    if (hasProblem(got, CODES.noVary)) {
      return 'Compressed without Vary: Accept-Encoding: a shared cache can hand gzip to clients that cannot read it. ' +
        `Add Vary: Accept-Encoding wherever bodies are compressed: ${proxySetting(profile.layers?.proxy, 'gzipVary', 'Vary on compressed answers')}.`
    }
    return undefined
  },
})
