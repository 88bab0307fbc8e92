import { defineCheck } from '../../harness/check/define-check.ts'
import { appFix } from '../../harness/products/app-products.ts'
import { allOf, expectResponse, header, listHas, type ResponseRule } from '../../harness/check/expect-response.ts'
import type { Profile } from '../../harness/profile/schema.ts'
import { hasProblem, problem, problemText } from '../../harness/check/problem.ts'

// WHATWG Fetch, "CORS protocol": the server decides per Origin; the browser enforces.
const SPEC = 'WHATWG Fetch §3.2 (CORS protocol)'
const EVIL_ORIGIN = 'https://layercheck-evil.example'
const needsCors = (p: Readonly<Profile>) => (p.cors ? undefined : 'cors is not set: name the allowed origins')
const CODES = { notGranted: 'origin-not-granted', vary: 'no-vary-origin', credentials: 'credentials-not-granted', granted: 'foreign-origin-granted', preflight: 'preflight-not-granted' } as const

const varyOrigin: ResponseRule = (ex) => (listHas(header(ex, 'vary'), 'origin') ? undefined : problem(CODES.vary, `no Vary: Origin (Vary: ${header(ex, 'vary') ?? 'absent'})`))

/** Never `*` with credentials, never an arbitrary Origin echoed back. */
const notGranted = (origin: string): ResponseRule => (ex) => {
  const allowOrigin = header(ex, 'access-control-allow-origin')
  if (allowOrigin === undefined) return undefined
  const credentials = header(ex, 'access-control-allow-credentials') === 'true'
  if (allowOrigin === origin) return problem(CODES.granted, `Access-Control-Allow-Origin reflects the foreign origin ${origin}${credentials ? ' with credentials' : ''}`)
  if (allowOrigin === '*' && credentials) return problem(CODES.granted, 'Access-Control-Allow-Origin: * together with Access-Control-Allow-Credentials: true')
  return undefined
}

export const corsAllowedOrigin = defineCheck({
  id: 'middleware.cors.allowed-origin',
  title: 'An allowed origin gets Access-Control-Allow-Origin for itself, with Vary: Origin',
  step: 11, layer: 'middleware', spec: SPEC, severity: 'error',
  requires: needsCors,
  async run({ send, profile }) {
    const origin = profile.cors!.allowedOrigins[0]!
    const exchange = await send({ path: profile.probes.healthPath, headers: { origin } })
    return expectResponse(exchange, {
      status: [200, 204], describe: `Access-Control-Allow-Origin: ${origin}, Vary: Origin`,
      rules: [
        (ex) => (header(ex, 'access-control-allow-origin') === origin ? undefined : problem(CODES.notGranted, `Access-Control-Allow-Origin: ${header(ex, 'access-control-allow-origin') ?? 'absent'}`)),
        varyOrigin,
        (ex) => (profile.cors!.credentials && header(ex, 'access-control-allow-credentials') !== 'true' ? problem(CODES.credentials, 'no Access-Control-Allow-Credentials: true although credentials are documented') : undefined),
      ],
    })
  },
  diagnose: (got) => {
    if (hasProblem(got, CODES.notGranted)) {
      return 'The documented origin is not granted: check the CORS middleware\'s allowed origins (exact scheme, host and port), and that it is installed at all.'
    }
    if (hasProblem(got, CODES.vary)) {
      return 'The allowed origin is echoed without Vary: Origin: a shared cache can serve one origin\'s CORS answer to another. Add Vary: Origin wherever Access-Control-Allow-Origin depends on the request.'
    }
    return hasProblem(got, CODES.credentials) ? 'Credentials are documented for this origin but not granted: allow_credentials in the CORS middleware.' : undefined
  },
})

export const corsForeignOrigin = defineCheck({
  id: 'middleware.cors.foreign-origin',
  title: 'A foreign origin gets no CORS grant: never echoed back, never * with credentials',
  step: 11, layer: 'middleware', spec: SPEC, severity: 'error',
  requires: needsCors,
  async run({ send, profile }) {
    const simple = await send({ path: profile.probes.healthPath, headers: { origin: EVIL_ORIGIN, cookie: 'session=layercheck' }, label: 'simple request with a cookie' })
    const preflight = await send({
      method: 'OPTIONS', path: profile.probes.healthPath, label: 'preflight', anonymous: true,
      headers: { origin: EVIL_ORIGIN, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
    })
    return allOf([
      expectResponse(simple, { status: [200, 204], describe: 'no grant for the foreign origin', rules: [notGranted(EVIL_ORIGIN)] }),
      expectResponse(preflight, { status: [200, 204, 400, 403, 405], describe: 'no grant for the foreign origin', rules: [notGranted(EVIL_ORIGIN)] }),
    ])
  },
  diagnose: (got, profile) => (hasProblem(got, CODES.granted)
    ? `${got.exchange.label}: ${problemText(got.problems)}. Any site a user visits can then read this API with the user's credentials: ` +
      `${appFix(profile.layers?.app ?? got.product, 'corsOrigins', 'list the allowed origins explicitly')}.`
    : undefined),
})

export const corsPreflight = defineCheck({
  id: 'middleware.cors.preflight',
  title: 'A preflight from an allowed origin is answered 2xx with the requested method and header',
  step: 11, layer: 'middleware', spec: SPEC, severity: 'error',
  requires: needsCors,
  async run({ send, profile }) {
    const { allowedOrigins, preflightMethod, preflightHeader } = profile.cors!
    const exchange = await send({
      method: 'OPTIONS', path: profile.probes.healthPath, anonymous: true, // a browser's preflight never carries credentials
      headers: { origin: allowedOrigins[0]!, 'access-control-request-method': preflightMethod, 'access-control-request-headers': preflightHeader },
    })
    return expectResponse(exchange, {
      status: [200, 204], from: 'app', describe: `Allow-Methods ∋ ${preflightMethod}, Allow-Headers ∋ ${preflightHeader}`,
      rules: [
        (ex) => (header(ex, 'access-control-allow-origin') === allowedOrigins[0] ? undefined : problem(CODES.preflight, `Access-Control-Allow-Origin: ${header(ex, 'access-control-allow-origin') ?? 'absent'}`)),
        (ex) => (listHas(header(ex, 'access-control-allow-methods'), preflightMethod) ? undefined : problem(CODES.preflight, `Access-Control-Allow-Methods: ${header(ex, 'access-control-allow-methods') ?? 'absent'}`)),
        (ex) => (listHas(header(ex, 'access-control-allow-headers'), preflightHeader) ? undefined : problem(CODES.preflight, `Access-Control-Allow-Headers: ${header(ex, 'access-control-allow-headers') ?? 'absent'}`)),
      ],
    })
  },
  diagnose: (got, profile) => (got.status === 405
    ? `The preflight got 405: nothing answers OPTIONS preflights before routing. ${appFix(profile.layers?.app ?? got.product, 'preflight', 'let the CORS layer answer OPTIONS preflights')}.`
    : hasProblem(got, CODES.preflight) ? 'The preflight does not grant what an allowed origin asked for: check the CORS middleware\'s allowed methods and headers.' : undefined),
})
