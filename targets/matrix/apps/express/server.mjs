// The compliant Express 5 app of layercheck's target matrix (node:http under Express, no build).
//
// It honours the same contract as the reference FastAPI app (complete Allow on
// 405, WWW-Authenticate on 401, no internals on 500, a request ID on every
// response), in Express's own idiom: middleware in order, a route table whose
// catch-all answers 405, the `cors` package, JSON error handlers. Each
// LAYERCHECK_BROKEN switch undoes exactly one behaviour (a negative control).
//
// Run: HOST=127.0.0.1 PORT=8000 APP_USER_TOKEN=… APP_ADMIN_TOKEN=… node server.mjs

import { createHash, randomUUID, timingSafeEqual } from 'node:crypto'
import { STATUS_CODES } from 'node:http'
import cors from 'cors'
import express from 'express'

const BROKEN = new Set((process.env.LAYERCHECK_BROKEN ?? '').split(',').filter(Boolean))
const KNOWN_BREAKS = new Set([
  'allow-incomplete', // a 405 that advertises only the read methods
  'www-authenticate-missing', // 401 without the challenge RFC 9110 §11.6.1 requires
  'scope-unchecked', // any valid token reaches admin routes
  'lenient-content-type', // express.json({ type: () => true }): JSON parsed whatever the Content-Type says
  'first-error-only', // 422 names only the first failing field
  'traceback', // Express's default error handler in development: the 500 page carries the stack
  'request-id-missing-on-errors', // the 500 goes out without the request ID
  'request-id-unvalidated', // any client ID is echoed verbatim
  'no-trusted-host', // any Host header is served
  'logs-login-body', // the login handler logs the request body, password included
])
const unknown = [...BROKEN].filter((name) => !KNOWN_BREAKS.has(name))
if (unknown.length) {
  console.error(`LAYERCHECK_BROKEN: unknown switch(es) ${unknown.join(', ')}; known: ${[...KNOWN_BREAKS].join(', ')}`)
  process.exit(2)
}

// One line per event on stdout, which the stack appends to its app log. Never bodies or credentials.
const log = (requestId, message) => process.stdout.write(`${new Date().toISOString()} pid=${process.pid} request_id=${requestId} ${message}\n`)

// Tokens come from the environment, never from a file: token -> scopes.
const TOKENS = new Map([
  [process.env.APP_USER_TOKEN, new Set(['read'])],
  [process.env.APP_ADMIN_TOKEN, new Set(['read', 'admin'])],
].filter(([token]) => token))

const TRUSTED_HOSTS = new Set(['localhost', '127.0.0.1'])
const CORS_ORIGINS = ['https://app.example.com']

// Heroku-like: 8–200 characters of a conservative alphabet, else regenerate.
const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:@+=/-]{8,200}$/
const REQUEST_ID_HEADER = 'X-Request-ID'

const app = express()
app.disable('x-powered-by')
// Express's default error handler prints the stack outside production: set it here, not from NODE_ENV.
app.set('env', BROKEN.has('traceback') ? 'development' : 'production')

// --- middleware, outermost first --------------------------------------------

// First, so every answer after it (404, 405, 415, 422, 500) carries the ID and gets its log line.
app.use((req, res, next) => {
  const incoming = req.get(REQUEST_ID_HEADER)
  req.id = incoming && (BROKEN.has('request-id-unvalidated') || REQUEST_ID_PATTERN.test(incoming)) ? incoming : randomUUID()
  res.set(REQUEST_ID_HEADER, req.id)
  const { method, path } = req
  res.on('finish', () => log(req.id, `${method} ${path} ${res.statusCode}`))
  next()
})

// Before the host check, as in the reference, so even its 400 says Vary: Origin. preflightContinue
// hands OPTIONS on to the routes: they answer it with Allow, the grant headers already set here.
app.use(cors({
  origin: CORS_ORIGINS,
  credentials: true,
  methods: ['GET', 'HEAD', 'POST', 'DELETE'],
  allowedHeaders: ['Authorization', 'Content-Type', REQUEST_ID_HEADER],
  exposedHeaders: [REQUEST_ID_HEADER],
  maxAge: 600,
  preflightContinue: true,
}))

if (!BROKEN.has('no-trusted-host')) {
  app.use((req, res, next) => {
    // req.hostname is the Host header without its port ('trust proxy' is off: X-Forwarded-Host is ignored).
    if (TRUSTED_HOSTS.has(req.hostname)) return next()
    res.status(400).json({ error: 'Bad Request', message: 'Invalid host header' })
  })
}

// --- auth --------------------------------------------------------------------

function challenge(res, { status = 401, error, message = 'Not authenticated' } = {}) {
  if (status !== 401 || !BROKEN.has('www-authenticate-missing')) {
    res.set('WWW-Authenticate', `Bearer realm="layercheck"${error ? `, ${error}` : ''}`)
  }
  res.status(status).json({ error: STATUS_CODES[status], message })
}

// Compare digests, so the comparison time says nothing about the tokens' lengths.
const digest = (value) => createHash('sha256').update(value).digest()

function tokenScopes(token) {
  for (const [known, scopes] of TOKENS) if (timingSafeEqual(digest(known), digest(token))) return scopes
  return undefined
}

const requires = (scope) => (req, res, next) => {
  const [scheme, token] = (req.get('Authorization') ?? '').split(' ', 2)
  if (scheme?.toLowerCase() !== 'bearer' || !token) return challenge(res)
  const scopes = tokenScopes(token)
  if (!scopes) return challenge(res, { error: 'error="invalid_token"', message: 'Invalid token' })
  if (!scopes.has(scope) && !BROKEN.has('scope-unchecked')) {
    return challenge(res, { status: 403, error: `error="insufficient_scope", scope="${scope}"`, message: 'Insufficient scope' })
  }
  req.scopes = scopes
  next()
}

// --- bodies ------------------------------------------------------------------

const invalid = (res, errors) => res.status(422).json({ errors: BROKEN.has('first-error-only') ? errors.slice(0, 1) : errors })

/** 422 when there is no body, 415 when it is not labelled JSON; then express.json parses it (400 if malformed, 413 over 1 MiB). */
const jsonBody = [
  (req, res, next) => {
    const hasBody = req.get('Transfer-Encoding') !== undefined || Number(req.get('Content-Length')) > 0
    if (!hasBody) return invalid(res, [{ field: 'body', message: 'a JSON body is required' }])
    if (!BROKEN.has('lenient-content-type') && !req.is('application/json')) {
      return res.status(415).json({ error: 'Unsupported Media Type', message: 'Content-Type must be application/json' })
    }
    next()
  },
  express.json({ limit: '1mb', type: BROKEN.has('lenient-content-type') ? () => true : 'application/json' }),
  (req, res, next) => {
    const body = req.body
    if (body === null || typeof body !== 'object' || Array.isArray(body)) return invalid(res, [{ field: 'body', message: 'must be a JSON object' }])
    next()
  },
]

const EMAIL_PATTERN = /^[^@\s]+@[^@\s]+\.[^@\s]+$/

function itemErrors({ name, email, quantity, note }) {
  const errors = []
  if (typeof name !== 'string' || name.length < 1 || name.length > 100) errors.push({ field: 'name', message: 'must be a string of 1 to 100 characters' })
  if (typeof email !== 'string' || !EMAIL_PATTERN.test(email)) errors.push({ field: 'email', message: 'must be an email address' })
  if (!Number.isInteger(quantity) || quantity < 1 || quantity > 1000) errors.push({ field: 'quantity', message: 'must be an integer from 1 to 1000' })
  if (note !== undefined && note !== null && typeof note !== 'string') errors.push({ field: 'note', message: 'must be a string' })
  return errors
}

// --- handlers ----------------------------------------------------------------

// One process serves every request, so this Map is the whole state (a larger deployment would use a database).
const items = new Map()
let nextId = 1

const itemId = (req) => (/^\d+$/.test(req.params.id) ? Number(req.params.id) : undefined)

const handlers = {
  health: (req, res) => res.json({ status: 'ok' }),
  listItems: (req, res) => res.json([...items.values()]),
  createItem: (req, res) => {
    const errors = itemErrors(req.body)
    if (errors.length) return invalid(res, errors)
    const { name, email, quantity } = req.body
    const item = { id: nextId++, name, email, quantity }
    items.set(item.id, item)
    res.status(201).json(item)
  },
  getItem: (req, res) => {
    const item = items.get(itemId(req))
    if (!item) return res.status(404).json({ error: 'Not Found', message: 'Item not found' })
    res.json(item)
  },
  deleteItem: (req, res) => {
    items.delete(itemId(req))
    res.status(204).end()
  },
  me: (req, res) => res.json({ scopes: [...req.scopes].sort() }),
  adminStats: (req, res) => res.json({ items: items.size }),
  login: (req, res) => {
    if (BROKEN.has('logs-login-body')) log(req.id, `login attempt body=${JSON.stringify(req.body)}`)
    const errors = ['username', 'password']
      .filter((field) => typeof req.body[field] !== 'string' || !req.body[field])
      .map((field) => ({ field, message: 'must be a non-empty string' }))
    if (errors.length) return invalid(res, errors)
    // Safe fields only: who tried (quoted, so it cannot break the line), never with what.
    log(req.id, `login attempt user=${JSON.stringify(req.body.username.slice(0, 40))}`)
    // No user store here: every attempt fails, as the reference app's does.
    challenge(res, { message: 'Invalid credentials' })
  },
  boom: () => {
    // The message names an internal path and a setting: neither may reach the client.
    throw new Error('database at /srv/app/secrets.db refused: pool exhausted (SQLALCHEMY_POOL_SIZE=5)')
  },
}

// --- routes ------------------------------------------------------------------

// Every method each path serves. Express answers HEAD with the GET handler; a method
// not listed reaches the route's catch-all, which answers 405 with the full Allow
// (Express alone would fall through to a 404) and answers OPTIONS with it.
const ROUTES = {
  '/health': { get: [handlers.health] },
  '/items': { get: [handlers.listItems], post: [...jsonBody, handlers.createItem] },
  '/items/:id': { get: [handlers.getItem], delete: [requires('admin'), handlers.deleteItem] },
  '/me': { get: [requires('read'), handlers.me] },
  '/admin/stats': { get: [requires('admin'), handlers.adminStats] },
  '/login': { post: [...jsonBody, handlers.login] },
  '/boom': { get: [handlers.boom] },
}

for (const [path, methods] of Object.entries(ROUTES)) {
  const route = app.route(path)
  for (const [method, chain] of Object.entries(methods)) route[method](...chain)
  const served = Object.keys(methods).map((m) => m.toUpperCase())
  if (served.includes('GET')) served.push('HEAD')
  const allow = [...served, 'OPTIONS'].join(', ')
  const advertised = BROKEN.has('allow-incomplete') ? served.filter((m) => m === 'GET' || m === 'HEAD').join(', ') : allow
  route.all((req, res) => {
    res.set('Allow', allow)
    if (req.method === 'OPTIONS') return res.status(204).end()
    res.set('Allow', advertised).status(405).json({ error: 'Method Not Allowed', message: `${req.method} is not served on ${req.path}` })
  })
}

app.use((req, res) => res.status(404).json({ error: 'Not Found' }))

// Four arguments: Express's error handler. Errors from the body parser carry their own 4xx status.
app.use((error, req, res, next) => {
  if (res.headersSent) return next(error)
  const status = error.status ?? error.statusCode
  if (status >= 400 && status < 500 && error.expose) {
    const message = error.type === 'entity.parse.failed' ? 'Malformed JSON body' : error.message
    return res.status(status).json({ error: STATUS_CODES[status], message })
  }
  log(req.id, `unhandled exception in ${req.method} ${req.path}\n${error.stack}`)
  if (BROKEN.has('traceback')) return next(error)
  if (BROKEN.has('request-id-missing-on-errors')) res.removeHeader(REQUEST_ID_HEADER)
  res.status(500).json({ error: 'Internal Server Error', request_id: req.id })
})

const host = process.env.HOST ?? '127.0.0.1'
const port = Number(process.env.PORT ?? 8000)
const server = app.listen(port, host, (error) => {
  if (error) {
    console.error(`cannot listen on ${host}:${port}: ${error.message}`)
    process.exit(1)
  }
  console.log(`${new Date().toISOString()} pid=${process.pid} listening on http://${host}:${port}`)
})
// Above the proxies' upstream keep-alive (nginx 60 s), so the proxy closes idle links first
// and never reuses one Node is closing (the keep-alive race: a 502). Node's default is 5 s.
server.keepAliveTimeout = 75_000
server.headersTimeout = 76_000

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.once(signal, () => {
    // Finish what is in flight, then exit; don't wait on idle keep-alive connections.
    server.close(() => process.exit(0))
    server.closeIdleConnections()
    setTimeout(() => process.exit(0), 3000).unref()
  })
}
