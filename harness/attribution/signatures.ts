import type { Tier } from '../model/check-result.ts'

/** What attribution looks at: the status, headers and a body excerpt. */
export interface ResponseView {
  status: number
  header(name: string): string | undefined
  body: string
}

/** One fingerprint: when `match` returns signals, `tier`/`product` answered. */
export interface Signature {
  product: string
  tier: Tier
  describe: string
  match(view: ResponseView): string[] | undefined
}

const server = (view: ResponseView) => view.header('server') ?? ''
const contentType = (view: ResponseView) => (view.header('content-type') ?? '').toLowerCase()
const found = (...signals: (string | false | undefined)[]) => signals.filter((s): s is string => Boolean(s))

function jsonBody(view: ResponseView): unknown {
  if (!contentType(view).includes('json')) return undefined
  try {
    return JSON.parse(view.body)
  } catch {
    return undefined
  }
}

// Order matters: explicit proxy statements first, then error pages whose
// markup is unmistakable, then the app's own body shapes.
export const SIGNATURES: readonly Signature[] = [
  {
    product: 'nginx', tier: 'proxy', describe: "nginx's built-in error page",
    match: (v) => {
      const footer = /<hr><center>(nginx(?:\/[\d.]+)?)<\/center>/.exec(v.body)
      return footer ? found(`body footer <center>${footer[1]}</center>`, /nginx/i.test(server(v)) && `Server: ${server(v)}`) : undefined
    },
  },
  {
    product: 'haproxy', tier: 'proxy', describe: "HAProxy's built-in error page",
    match: (v) => /^<html><body><h1>\d{3} [^<]+<\/h1>\n[^<]*\n<\/body><\/html>/.test(v.body.trimStart())
      ? found('body is HAProxy\'s <html><body><h1>NNN …</h1> template') : undefined,
  },
  {
    product: 'envoy', tier: 'proxy', describe: "Envoy's local reply",
    match: (v) => /^(upstream connect error|no healthy upstream|upstream request timeout)/.test(v.body)
      ? found(`body "${v.body.slice(0, 40)}"`, server(v) === 'envoy' && 'Server: envoy') : undefined,
  },
  {
    product: 'caddy', tier: 'proxy', describe: "Caddy's empty error reply",
    match: (v) => /^caddy/i.test(server(v)) && v.status >= 502 && v.status <= 504 && v.body === ''
      ? found(`Server: ${server(v)}`, `empty body with ${v.status}`) : undefined,
  },
  {
    product: 'gunicorn', tier: 'app-server', describe: "gunicorn's parser error page",
    match: (v) => /<h1><p>[^<]+<\/p><\/h1>/.test(v.body) || (/gunicorn/i.test(server(v)) && v.status === 400)
      ? found(/<h1><p>/.test(v.body) && 'body <h1><p>…</p></h1> (gunicorn handle_error)', /gunicorn/i.test(server(v)) && `Server: ${server(v)}`) : undefined,
  },
  {
    product: 'uvicorn', tier: 'app-server', describe: "uvicorn's parser error",
    match: (v) => v.body.startsWith('Invalid HTTP request received.')
      ? found('body "Invalid HTTP request received."', server(v) && `Server: ${server(v)}`) : undefined,
  },
  {
    product: 'python', tier: 'app', describe: 'a Python traceback from the app (debug mode)',
    match: (v) => /Traceback \(most recent call last\)|File "[^"]+\.py", line \d+/.test(v.body)
      ? found('body contains a Python traceback') : undefined,
  },
  {
    product: 'fastapi', tier: 'app', describe: 'a FastAPI/Starlette JSON error body',
    match: (v) => {
      const body = jsonBody(v)
      if (!body || typeof body !== 'object' || !('detail' in body)) return undefined
      const detail = (body as { detail: unknown }).detail
      const perField = Array.isArray(detail) && detail.every((d) => d && typeof d === 'object' && 'loc' in d && 'msg' in d)
      return found(`${contentType(v)} body with "detail"`, perField && 'detail is a per-field list of {loc, msg, type}')
    },
  },
  {
    product: 'starlette', tier: 'app', describe: "Starlette's plain-text error (or uvicorn's fallback 500)",
    match: (v) => v.status >= 400 && contentType(v).startsWith('text/plain') && /^(Internal Server Error|Not Found|Method Not Allowed|Invalid host header|Disallowed CORS (origin|method|headers)(, (origin|method|headers))*)$/.test(v.body.trim())
      ? found(`text/plain body "${v.body.trim()}"`) : undefined,
  },
  {
    product: 'starlette', tier: 'app', describe: "Starlette's CORS preflight answer",
    match: (v) => (v.body === 'OK' && v.header('access-control-allow-methods') !== undefined
      ? found('body "OK" with Access-Control-Allow-Methods (CORSMiddleware preflight)') : undefined),
  },
  {
    product: 'json app', tier: 'app', describe: 'a compressed JSON body from the app',
    // The body is gzip on the wire; its type and encoding still say a JSON document.
    match: (v) => (contentType(v).includes('json') && /\b(gzip|br|deflate|zstd)\b/.test(v.header('content-encoding') ?? '')
      ? found(`${contentType(v)} body, Content-Encoding: ${v.header('content-encoding')}`) : undefined),
  },
  {
    product: 'json app', tier: 'app', describe: 'a JSON body from the app',
    match: (v) => {
      if (jsonBody(v) !== undefined) return found(`${contentType(v)} body that parses as JSON`)
      // A large document's excerpt is cut short, so it no longer parses: its start still says JSON.
      return contentType(v).includes('json') && /^\s*[[{]/.test(v.body) && /… \[\d+ more bytes\]$/.test(v.body)
        ? found(`${contentType(v)} body starting as JSON (excerpt of a larger document)`) : undefined
    },
  },
]
