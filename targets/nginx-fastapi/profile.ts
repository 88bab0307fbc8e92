import type { ProfileInput } from '../../harness/profile/schema.ts'
import { APP_CONTRACT, CONTRACT_PROBES } from '../app-contract.ts'
import { PROTOCOL_VARIANTS } from './variants.ts'
import { REFERENCE_CLIENT_TIMEOUTS, REFERENCE_HEADERS, REFERENCE_RATE_LIMIT, REFERENCE_TIMEOUTS, TOKEN_ENV, type StackInfo } from './stack.ts'

/**
 * What the reference stack documents about itself: the profile a user would
 * write for it. Its secrets are only named here; their values are in env.
 */
export function referenceProfile(stack: Pick<StackInfo, 'httpUrl' | 'variant' | 'logs' | 'toxiproxyApi' | 'apps' | 'httpsUrl' | 'caFile' | 'captureUrl'>): ProfileInput {
  return {
    name: `reference nginx → gunicorn/uvicorn → FastAPI (${stack.variant})`,
    baseUrl: stack.httpUrl,
    layers: { proxy: 'nginx', server: 'gunicorn+uvicorn', app: 'fastapi' },
    // The TLS listener (https://localhost:<port>) and the throwaway CA that signs its certificate.
    tls: { caFile: stack.caFile },
    connection: { httpsUrl: stack.httpsUrl, certExpiryWarnDays: 30 },
    // The app's own slow, large and crash routes (targets/app-contract.ts): timed checks need no Toxiproxy.
    routes: { openapi: '/openapi.json', slow: '/slow?ms={ms}', large: '/large?kb=64', crash: { method: 'POST', path: '/crash', recoveryMs: 5000 } },
    // The routes, tokens and answers every target app shares (targets/app-contract.ts).
    probes: CONTRACT_PROBES,
    auth: APP_CONTRACT.auth,
    // nginx client_max_body_size 1m = 1 MiB.
    limits: { maxBodyBytes: 1_048_576, bodyLimitLayer: 'proxy' },
    contentType: { mismatchStatus: 422 },
    validation: { invalidStatus: 422, missingBodyStatus: 422 },
    // The app declares every status its routes answer (responses= on each route); the generated cases run with the default seed.
    schemaCases: { statusesDocumented: true },
    requestId: { header: 'X-Request-ID', generated: 'uuid', proxyAddsOnErrors: true },
    // proxy_read_timeout, tried on each of the 2 instances (proxy_next_upstream_tries 2).
    upstream: {
      readTimeoutMs: REFERENCE_TIMEOUTS.proxyReadTimeoutMs,
      gatewayTimeoutMs: REFERENCE_TIMEOUTS.proxyReadTimeoutMs * REFERENCE_TIMEOUTS.nextUpstreamTries,
      instances: stack.apps.length,
    },
    faults: { toxiproxyApi: stack.toxiproxyApi, links: stack.apps.map((app) => app.link.name), onSlowUpstream: 'retry', recoveryMs: 0 },
    cors: APP_CONTRACT.cors,
    trustedHosts: APP_CONTRACT.trustedHosts,
    forwarded: { echoPath: '/echo/headers', clientField: 'client', headersField: 'headers' },
    responseHeaders: {
      compressionMinBytes: REFERENCE_HEADERS.gzipMinBytes,
      hstsMinAgeS: REFERENCE_HEADERS.hstsMaxAgeS,
      nosniff: true,
      hideServerVersion: true,
    },
    // Raw-probe choices are nginx 1.22's defaults; its client timeouts are set to 2 s (stack.ts).
    // A variant may aim the raw probes past nginx, straight at app instance a.
    protocol: {
      // nginx 1.22's choices where the RFC allows several, and its 8k large_client_header_buffers, documented as the deployment's.
      maxUriBytes: 8192, maxHeaderFieldBytes: 8192,
      headerTooLargeStatus: 400, obsFold: 'reject', unsupportedVersionStatus: 505, unknownTransferCodingStatus: 501,
      ...REFERENCE_CLIENT_TIMEOUTS,
      keepAliveIdleMs: REFERENCE_HEADERS.keepaliveTimeoutMs,
      ...([...PROTOCOL_VARIANTS].find((v) => v.name === stack.variant)?.protocolAtApp && { url: stack.apps[0]!.url, firstHop: 'app-server' as const }),
    },
    // The app logs one line per request with its ID (never bodies or credentials).
    logs: { app: { file: stack.logs.app }, proxy: { command: `cat '${stack.logs.nginxAccess}' '${stack.logs.nginxError}'` } },
    // Both instances share the limiter's counters (SQLite in the stack's folder). The admin token is a
    // second client with a quota of its own: the two rate-limit checks run side by side.
    rateLimit: { path: '/limited', method: 'GET', tokenEnv: TOKEN_ENV.user, secondTokenEnv: TOKEN_ENV.admin, ...REFERENCE_RATE_LIMIT },
    propagation: { path: '/downstream', captureUrl: stack.captureUrl },
    login: APP_CONTRACT.login,
    // What `layercheck bench` holds the reference to: TLS keep-alive must pay (full or resumed
    // handshakes per request cost the most), and keep-alive load must stay fast and clean.
    bench: {
      path: '/health',
      thresholds: {
        'keepalive-http': ['p(99)<250', 'errorRate<0.001'],
        'keepalive-tls': ['keepAliveGain>1.5', 'errorRate<0.001'],
        'upstream-keepalive': ['errorRate<0.001'],
      },
    },
  }
}

/** The same deployment described by a user who has no Toxiproxy: the route facts and timings, no `faults`. */
export function referenceProfileWithoutToxiproxy(stack: Parameters<typeof referenceProfile>[0]): ProfileInput {
  const { faults: _faults, ...profile } = referenceProfile(stack)
  return profile
}
