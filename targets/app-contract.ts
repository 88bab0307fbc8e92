import type { ProfileInput } from '../harness/profile/schema.ts'

// The contract every target app honours (the reference FastAPI app, and the
// matrix's Flask and Express apps): the same routes, tokens and answers, so one
// profile shape describes them all.

/** Environment variables through which a stack hands its secrets to a run. */
export const TOKEN_ENV = { user: 'LAYERCHECK_TOKEN', admin: 'LAYERCHECK_ADMIN_TOKEN' } as const

/** The probes every target app answers the same way. */
export const CONTRACT_PROBES = {
  healthPath: '/health',
  unknownPath: '/layercheck-no-such-route',
  errorPath: '/boom',
  jsonEndpoint: {
    method: 'POST',
    path: '/items',
    validBody: { name: 'Alice', email: 'alice@example.com', quantity: 2 },
    invalidBody: { name: '', email: 'not-an-email', quantity: 0 },
    invalidFields: ['name', 'email', 'quantity'],
    paddingField: 'note',
  },
} satisfies ProfileInput['probes']

/** Auth, request ID, trusted hosts, CORS and login: the same in every app. */
export const APP_CONTRACT = {
  auth: { protectedPath: '/me', tokenEnv: TOKEN_ENV.user, forbidden: { path: '/admin/stats', tokenEnv: TOKEN_ENV.user } },
  requestId: { header: 'X-Request-ID', generated: 'uuid' },
  trustedHosts: { status: 400, layer: 'app' },
  cors: { allowedOrigins: ['https://app.example.com'], credentials: true, preflightMethod: 'POST', preflightHeader: 'content-type' },
  login: { path: '/login', method: 'POST', usernameField: 'username', passwordField: 'password' },
} satisfies Partial<ProfileInput>

