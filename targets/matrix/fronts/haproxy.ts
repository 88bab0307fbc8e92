import { join } from 'node:path'
import type { FrontDefinition, FrontOptions, RenderedFront } from './front-definition.ts'
import { FRONT_ERROR_STATUSES, JSON_ERROR_CONTENT_TYPE, jsonErrorBody } from './json-error-bodies.ts'
import { productVersion } from './product-version.ts'

const HAPROXY = '/usr/sbin/haproxy'

/**
 * HAProxy can only judge a body it holds: `req.body_size` of a chunked body is
 * what sits in the buffer, and waiting for the body (wait-for-body, or
 * `option http-buffer-request`) stops when the buffer is full. With the default
 * tune.bufsize (16 KiB) a 1 MiB + 1 chunked body is seen as 16 KiB and reaches
 * the app with 200 (verified). So the buffer must hold the whole limit plus one
 * byte, the header section and the rewrite reserve (tune.maxrewrite, 1 KiB):
 * the limit plus 64 KiB. Two such buffers per active stream, allocated on demand.
 */
export function haproxyBufferBytes(maxBodyBytes: number): number {
  return maxBodyBytes + 65_536
}

export function renderHaproxyCfg(o: FrontOptions): string {
  const limit = o.maxBodyBytes
  // http-error (HAProxy ≥ 2.2) replaces the page of every status it names, deny's 413 included.
  // Not the 400 of a request its parser refuses, nor the 408 of a stalled header
  // section: HAProxy 2.6's H1 layer sends its built-in pages for those whatever
  // errorfile or http-error say (verified; haproxy/haproxy#3032, fixed in 3.2).
  const jsonErrors = FRONT_ERROR_STATUSES
    .map((status) => `    http-error status ${status} content-type ${JSON_ERROR_CONTENT_TYPE} string '${jsonErrorBody(status)}'`)
    .join('\n')
  return `# Rendered by layercheck (targets/matrix/fronts/haproxy.ts). Do not edit.
global
    tune.bufsize ${haproxyBufferBytes(limit)}
    # Logs go to stderr, which is our log file (-db keeps HAProxy in the foreground).
    log stderr format raw local0 info

defaults
    mode http
    log global
    option httplog
    timeout connect 5s
    timeout client 30s
    timeout http-request 10s
    timeout http-keep-alive 5s
    # The upstream read timeout: no response within it answers 504.
    timeout server ${o.upstreamReadTimeoutMs}ms
    # One app instance: a refused connection is answered at once (503), not after
    # 3 retries each preceded by HAProxy's 1 s turn-around pause.
    retries 0
${o.errorPages === 'json' ? jsonErrors : ''}

frontend matrix_front
    bind 127.0.0.1:${o.listenPort}
    # A declared length over the limit is refused at once, before any of the body
    # is read ("option http-buffer-request" would read it all first, and send
    # "100 Continue" to a client that asked).
    http-request deny deny_status 413 if { req.hdr_val(content-length) gt ${limit} }
${o.bodyLimitReads === 'content-length' ? '' : `    # A chunked body: held until one byte past the limit has come (or all of it), then judged.
    http-request wait-for-body time 10s at-least ${limit + 1}
    http-request deny deny_status 413 if { req.body_size gt ${limit} }
`}    # Overwrite, never append: only the peer HAProxy saw is the client.
    http-request set-header X-Forwarded-For %[src]
    # This listener is plain HTTP.
    http-request set-header X-Forwarded-Proto http
    default_backend matrix_app

backend matrix_app
    # HTTP/1.1 keep-alive to the app is HAProxy's default (http-reuse safe).
${o.upstreamReuse === false ? '    # Closes the server side after each response: a new connection to the app for every request.\n    option http-server-close\n' : ''}    server app ${o.upstream}
`
}

export const HAPROXY_FRONT: FrontDefinition = {
  product: 'haproxy',
  binary: HAPROXY,
  version: productVersion(HAPROXY, ['-v'], /HAProxy version (\S+)/),
  // HAProxy adds no Server header of its own, and its pages name no version.
  hidesServerVersion: true,
  render(o: FrontOptions): RenderedFront {
    const cfg = join(o.dir, 'haproxy.cfg')
    return {
      files: { [cfg]: renderHaproxyCfg(o) },
      dirs: [],
      // -db: foreground, no daemon; SIGTERM stops it at once.
      launch: { name: 'haproxy', command: HAPROXY, args: ['-db', '-f', cfg], logFile: o.logFile },
    }
  },
}
