// nginx.conf for the reference stack, rendered from options so that each broken
// variant differs from the compliant one by exactly the setting it names.

export interface NginxOptions {
  prefix: string
  httpPort: number
  httpsPort: number
  /** Loopback port of nginx's stub_status (connections accepted, requests): the server-side count benchmarks check theirs against. */
  statusPort: number
  /** host:port of each app instance's hop (its Toxiproxy listener): nginx balances over them. */
  upstreams: string[]
  /** Passive health checking per upstream server: `max_fails=N fail_timeout=T`. */
  upstreamServerParams: string
  /** What nginx retries on the next upstream server (`proxy_next_upstream`), or 'off'. */
  nextUpstream: string
  nextUpstreamTries: number
  /** `proxy_http_version` towards the app; nginx's own default is 1.0. */
  upstreamHttpVersion: '1.0' | '1.1'
  /** Idle connections to the app each nginx worker keeps (`keepalive N`); 0 leaves the directive out: a new connection per request. */
  upstreamKeepalive?: number
  certFile: string
  keyFile: string
  /** `ssl_protocols`; default `TLSv1.2 TLSv1.3` (RFC 8996: no TLS 1.0/1.1). */
  sslProtocols?: string
  /** `ssl_ciphers`; nginx's default when absent. */
  sslCiphers?: string
  /** `client_max_body_size`, e.g. '1m'. */
  clientMaxBodySize: string
  /** `client_header_timeout` / `client_body_timeout` in ms; nginx's default (60 s) when absent. */
  clientHeaderTimeoutMs?: number
  clientBodyTimeoutMs?: number
  /** proxy_intercept_errors with error_page 404/500: the app's JSON errors become nginx pages (a classic misconfiguration). */
  interceptErrors: boolean
  /** How X-Request-ID is chosen at the edge: validated-or-generated, or passed through as sent. */
  requestId: 'validate-or-generate' | 'pass-through'
  /** Whether nginx's own error pages (413, 502, 504) carry X-Request-ID. */
  requestIdOnProxyErrors: boolean
  proxyReadTimeoutMs: number
  runAsRoot: boolean
  /** `server_tokens`: on puts nginx's version in the Server header and on its error pages. */
  serverTokens?: boolean
  /** gzip for JSON over gzipMinBytes, and whether `Vary: Accept-Encoding` goes with it. */
  gzip?: boolean
  gzipVary?: boolean
  gzipMinBytes?: number
  /** X-Content-Type-Options: nosniff on every response (nginx's pages included: `always`). */
  nosniff?: boolean
  /** Strict-Transport-Security on the TLS listener (never on plain HTTP: RFC 6797 §7.2). */
  hstsMaxAgeS?: number
  /** X-Forwarded-For: overwrite with the peer address (an edge proxy), or append to what the client sent. */
  forwardedFor?: 'overwrite' | 'append'
  /** `keepalive_timeout` towards clients: how long an idle connection is kept (0 turns keep-alive off). */
  keepaliveTimeoutMs?: number
  /** X-Forwarded-Proto: the scheme nginx saw, or whatever the client sent. */
  forwardedProto?: 'scheme' | 'client'
  /**
   * nginx refuses TRACE and CONNECT itself, with a 405 that has no Allow (RFC 9110 §15.5.6: MUST), before any
   * location or `if` runs. On: `error_page 405 = @method_to_app` hands them to the app, whose router answers
   * 405 with the path's Allow. Off: nginx's stock refusal.
   */
  refusedMethodsToApp?: boolean
}

const PROXY_ERRORS = [413, 502, 503, 504]
const INTERCEPTED_APP_ERRORS = [404, 500]

export function renderNginxConf(o: NginxOptions): string {
  const handled = [...PROXY_ERRORS, ...(o.interceptErrors ? INTERCEPTED_APP_ERRORS : [])]
  const requestIdMap = o.requestId === 'validate-or-generate'
    ? `
    # A client ID is kept only when it is 8–200 safe characters; otherwise the
    # edge makes one, shaped as a UUID from nginx's 128-bit $request_id.
    map $request_id $request_uuid {
        "~^(?<a>.{8})(?<b>.{4})(?<c>.{4})(?<d>.{4})(?<e>.{12})$" "$a-$b-$c-$d-$e";
    }
    map $http_x_request_id $edge_request_id {
        "~^[A-Za-z0-9._:@+=/-]{8,200}$" $http_x_request_id;
        default $request_uuid;
    }`
    : `
    map $http_x_request_id $edge_request_id {
        default $http_x_request_id;
    }`

  // nginx's error pages skip add_header unless it is given in the location that
  // finally answers, so each proxy error goes through a named location.
  const errorPages = o.requestIdOnProxyErrors || o.interceptErrors
    ? handled.map((code) => `        error_page ${code} @proxy_error_${code};`).join('\n')
    : ''
  const errorLocations = (scheme: 'http' | 'https') => o.requestIdOnProxyErrors || o.interceptErrors
    ? handled.map((code) => `
        location @proxy_error_${code} {
            ${o.requestIdOnProxyErrors ? 'add_header X-Request-ID $edge_request_id always;' : ''}
            ${o.requestIdOnProxyErrors ? responseHeaders(scheme) : ''}
            return ${code};
        }`).join('\n')
    : ''

  // add_header is inherited only by locations that have none of their own, so
  // every location that adds a header repeats these.
  const responseHeaders = (scheme: 'http' | 'https') => [
    o.nosniff ? 'add_header X-Content-Type-Options nosniff always;' : '',
    scheme === 'https' && o.hstsMaxAgeS ? `add_header Strict-Transport-Security "max-age=${o.hstsMaxAgeS}" always;` : '',
  ].filter(Boolean).join('\n            ')

  const proxyToApp = [
    'proxy_pass http://reference_app;',
    `proxy_http_version ${o.upstreamHttpVersion};`,
    o.upstreamHttpVersion === '1.1' ? 'proxy_set_header Connection "";' : '',
    'proxy_set_header Host $host;',
    'proxy_set_header X-Real-IP $remote_addr;',
    `proxy_set_header X-Forwarded-For ${o.forwardedFor === 'append' ? '$proxy_add_x_forwarded_for' : '$remote_addr'};`,
    `proxy_set_header X-Forwarded-Proto ${o.forwardedProto === 'client' ? '$http_x_forwarded_proto' : '$scheme'};`,
    'proxy_set_header X-Request-ID $edge_request_id;',
    'proxy_connect_timeout 5s;',
    `proxy_read_timeout ${o.proxyReadTimeoutMs}ms;`,
    `proxy_next_upstream ${o.nextUpstream};`,
    `proxy_next_upstream_tries ${o.nextUpstreamTries};`,
  ].filter(Boolean).join('\n            ')

  const server = (listen: string, scheme: 'http' | 'https') => `
    server {
        ${listen}
        server_name localhost 127.0.0.1;
${scheme === 'https' ? `        ssl_certificate ${o.certFile};
        ssl_certificate_key ${o.keyFile};
        ssl_protocols ${o.sslProtocols ?? 'TLSv1.2 TLSv1.3'};
${o.sslCiphers ? `        ssl_ciphers ${o.sslCiphers};\n` : ''}` : ''}
        client_max_body_size ${o.clientMaxBodySize};
${o.clientHeaderTimeoutMs ? `        client_header_timeout ${o.clientHeaderTimeoutMs}ms;\n` : ''}${o.clientBodyTimeoutMs ? `        client_body_timeout ${o.clientBodyTimeoutMs}ms;\n` : ''}        ${responseHeaders(scheme)}
${errorPages}

        location / {
            ${proxyToApp}
            proxy_intercept_errors ${o.interceptErrors ? 'on' : 'off'};
        }
${o.refusedMethodsToApp ? `
        # nginx's own 405 (TRACE, CONNECT) has no Allow: the app's router knows the path's methods.
        error_page 405 = @method_to_app;
        location @method_to_app {
            ${proxyToApp}
        }` : ''}
${errorLocations(scheme)}
    }`

  return `# Rendered by layercheck (targets/nginx-fastapi/nginx-conf.ts). Do not edit.
${o.runAsRoot ? 'user root;' : ''}
worker_processes 1;
pid ${o.prefix}/nginx.pid;
error_log ${o.prefix}/logs/error.log warn;
events { worker_connections 1024; }

http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log ${o.prefix}/logs/access.log;
    client_body_temp_path ${o.prefix}/tmp/body;
    proxy_temp_path ${o.prefix}/tmp/proxy;
    fastcgi_temp_path ${o.prefix}/tmp/fastcgi;
    uwsgi_temp_path ${o.prefix}/tmp/uwsgi;
    scgi_temp_path ${o.prefix}/tmp/scgi;
    keepalive_timeout ${o.keepaliveTimeoutMs ?? 75_000}ms;
    keepalive_requests 100000;
    server_tokens ${o.serverTokens ? 'on' : 'off'};
    gzip ${o.gzip ? 'on' : 'off'};
    gzip_types application/json;
    gzip_proxied any;
    gzip_min_length ${o.gzipMinBytes ?? 1024};
    gzip_vary ${o.gzipVary ? 'on' : 'off'};
${requestIdMap}

    upstream reference_app {
${o.upstreams.map((u) => `        server ${u} ${o.upstreamServerParams};`).join('\n')}
${o.upstreamKeepalive === 0 ? '' : `        keepalive ${o.upstreamKeepalive ?? 32};
        keepalive_timeout 60s;`}
    }
${server(`listen 127.0.0.1:${o.httpPort};`, 'http')}
${server(`listen 127.0.0.1:${o.httpsPort} ssl;`, 'https')}

    server {
        listen 127.0.0.1:${o.statusPort};
        access_log off;
        location = /nginx_status { stub_status; }
    }
}
`
}
