import type { ProfileInput } from '../../harness/profile/schema.ts'
import type { AppDefinition } from './apps/app-kinds.ts'
import type { MatrixStack } from './matrix-stack.ts'

/**
 * What a matrix cell documents about itself: the app's own part (its routes,
 * probes, auth, content-type choice…) plus what the front and the stack add.
 * Only what the stack really does is claimed; each claim says where it comes from.
 */
export function matrixProfile(stack: Pick<MatrixStack, 'name' | 'baseUrl' | 'layout' | 'logs' | 'front'>, app: AppDefinition): ProfileInput {
  return {
    ...app.profile,
    name: `matrix ${stack.name}`,
    // The front's listener (matrix-stack.ts): plain HTTP on loopback.
    baseUrl: stack.baseUrl,
    // The front's product (fronts/fronts.ts) and the app's own layer names (its AppDefinition).
    layers: { proxy: stack.layout.proxy, server: stack.layout.server, app: stack.layout.app },
    // MATRIX_FRONT_TUNING.maxBodyBytes, enforced by every front with 413 for
    // Content-Length and chunked bodies alike (fronts/*.ts; README.md).
    limits: { maxBodyBytes: stack.front.maxBodyBytes, bodyLimitLayer: 'proxy' },
    // MATRIX_FRONT_TUNING.upstreamReadTimeoutMs: every front gives up on its one app instance after it (no retry elsewhere).
    upstream: { readTimeoutMs: stack.front.upstreamReadTimeoutMs, gatewayTimeoutMs: stack.front.upstreamReadTimeoutMs, instances: 1 },
    // The app logs one line per request with its ID (its launcher's log file).
    logs: { app: { file: stack.logs.app } },
    responseHeaders: {
      ...app.profile.responseHeaders,
      // No front adds X-Content-Type-Options: no header tweaks beyond the product's defaults.
      nosniff: false,
      // The product's default (FrontDefinition.hidesServerVersion): nginx names its version
      // (server_tokens on), HAProxy adds no Server header, Caddy says "Caddy". Behind the
      // latter two the app server's own Server header is what shows, so its claim counts too.
      hideServerVersion: stack.front.hidesServerVersion && (app.profile.responseHeaders?.hideServerVersion ?? true),
    },
    // The app issues (UUIDs) and echoes the ID; every front passes the client's
    // X-Request-ID through unchanged and adds none to its own error pages.
    requestId: { ...app.profile.requestId, header: 'X-Request-ID', generated: 'uuid', proxyAddsOnErrors: false },
    // No claims about the parser's choices: RFC defaults apply (nginx's are not every front's).
    protocol: {},
  }
}
