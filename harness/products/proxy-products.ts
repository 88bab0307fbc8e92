// What layercheck knows of the fronts people run: the setting that controls
// each behaviour a check judges, in the product's own terms, so a diagnosis on
// HAProxy never tells its reader to change an nginx directive. A product not
// listed here is still accepted in `layers.proxy`; its diagnoses speak of the
// behaviour, not of a setting.

/** Behaviours a diagnosis may ask to change at the front. */
export type ProxySetting =
  | 'bodyLimit' | 'interceptErrors' | 'headerOnErrors' | 'readTimeout' | 'headerLimit' | 'uriLimit'
  | 'serverTokens' | 'addHeader' | 'gzip' | 'gzipVary' | 'keepAlive' | 'clientTimeouts' | 'forwardedFor' | 'forwardedProto'
  | 'upstreamRetry' | 'upstreamFailMarking' | 'connectTimeout' | 'upstreamHttp11' | 'upstreamKeepAlive' | 'tlsCertificate' | 'tlsProtocols'
  | 'methodRefusal'

export interface ProxyProduct {
  /** The name a profile uses (`layers.proxy`), lower case. */
  name: string
  /** How a profile may also spell it. */
  aliases: readonly string[]
  settings: Readonly<Record<ProxySetting, string>>
}

export const PROXY_PRODUCTS: readonly ProxyProduct[] = [
  {
    name: 'nginx', aliases: ['openresty', 'nginx-ingress', 'ingress-nginx'],
    settings: {
      bodyLimit: 'client_max_body_size', interceptErrors: 'proxy_intercept_errors',
      headerOnErrors: 'add_header … always, in the error_page location that answers',
      readTimeout: 'proxy_read_timeout (× proxy_next_upstream_tries)', headerLimit: 'large_client_header_buffers',
      uriLimit: 'large_client_header_buffers', serverTokens: 'server_tokens off', addHeader: 'add_header … always',
      gzip: 'gzip on; gzip_types application/json; gzip_proxied any', keepAlive: 'keepalive_timeout',
      clientTimeouts: 'client_header_timeout / client_body_timeout', forwardedFor: 'proxy_set_header X-Forwarded-For $remote_addr',
      gzipVary: 'gzip_vary on', forwardedProto: 'proxy_set_header X-Forwarded-Proto $scheme',
      upstreamRetry: 'proxy_next_upstream error timeout (and proxy_next_upstream_tries)', upstreamFailMarking: 'max_fails / fail_timeout on the upstream servers',
      connectTimeout: 'proxy_connect_timeout', upstreamHttp11: 'proxy_http_version 1.1 with proxy_set_header Connection ""',
      upstreamKeepAlive: 'keepalive N in the upstream block (with proxy_http_version 1.1 and proxy_set_header Connection "")',
      tlsCertificate: 'ssl_certificate / ssl_certificate_key, then nginx -s reload', tlsProtocols: 'ssl_protocols TLSv1.2 TLSv1.3',
      // Verified on 1.22: the refusal happens while the header is read, before any location or `if ($request_method …)` runs.
      methodRefusal: 'error_page 405 = @to_app; with location @to_app { proxy_pass …; }, so the app\'s router answers TRACE and CONNECT ' +
        '(nginx refuses them itself, before any location or if ($request_method) runs)',
    },
  },
  {
    name: 'haproxy', aliases: [],
    settings: {
      bodyLimit: 'option http-buffer-request with http-request deny deny_status 413 if { req.body_size gt N } (and the same on req.hdr_val(content-length))',
      interceptErrors: 'http-response return / errorfile rules that replace backend errors',
      headerOnErrors: 'http-after-response set-header (applies to HAProxy\'s own replies too)',
      readTimeout: 'timeout server (× retries)', headerLimit: 'tune.bufsize / tune.maxrewrite', uriLimit: 'tune.bufsize',
      serverTokens: 'http-response del-header Server', addHeader: 'http-after-response set-header',
      gzip: 'filter compression; compression algo gzip; compression type application/json', keepAlive: 'timeout http-keep-alive',
      clientTimeouts: 'timeout http-request / timeout client', forwardedFor: 'option forwardfor (with http-request del-header X-Forwarded-For first)',
      gzipVary: 'http-response add-header Vary Accept-Encoding (HAProxy\'s compression filter does not add it before 2.9)',
      forwardedProto: 'http-request set-header X-Forwarded-Proto https if { ssl_fc }',
      upstreamRetry: 'retries with option redispatch (retry-on conn-failure response-timeout)', upstreamFailMarking: 'the server line\'s check / fall / rise and observe layer7',
      connectTimeout: 'timeout connect', upstreamHttp11: 'option http-server-close off (HAProxy speaks HTTP/1.1 to servers by default)',
      upstreamKeepAlive: 'http-reuse safe (the default; no option http-server-close or httpclose)',
      tlsCertificate: 'bind … ssl crt <pem>, then a reload', tlsProtocols: 'ssl-min-ver TLSv1.2 on the bind line',
      methodRefusal: 'no http-request deny for the method, so it reaches the server (HAProxy forwards TRACE); or http-request return status 405 hdr Allow "…" for that path',
    },
  },
  {
    name: 'caddy', aliases: [],
    settings: {
      bodyLimit: 'request_body { max_size … }', interceptErrors: 'reverse_proxy handle_response / handle_errors',
      headerOnErrors: 'a header directive inside handle_errors', readTimeout: 'reverse_proxy transport http { response_header_timeout / read_timeout }',
      headerLimit: 'servers { max_header_size }', uriLimit: 'servers { max_header_size }', serverTokens: 'header -Server',
      addHeader: 'header', gzip: 'encode gzip', keepAlive: 'servers { timeouts { idle } }',
      clientTimeouts: 'servers { timeouts { read_header read_body } }', forwardedFor: 'servers { trusted_proxies } (reverse_proxy sets X-Forwarded-For)',
      gzipVary: 'encode (adds Vary: Accept-Encoding itself; check a header directive does not remove it)',
      forwardedProto: 'reverse_proxy (sets X-Forwarded-Proto itself; check header_up does not override it)',
      upstreamRetry: 'reverse_proxy lb_try_duration / lb_retries', upstreamFailMarking: 'reverse_proxy fail_duration / max_fails (passive health checks)',
      connectTimeout: 'reverse_proxy transport http { dial_timeout }', upstreamHttp11: 'reverse_proxy transport http { versions 1.1 }',
      upstreamKeepAlive: 'reverse_proxy transport http { keepalive … } (on by default; check it is not off)',
      tlsCertificate: 'the tls directive (or automatic HTTPS), then caddy reload', tlsProtocols: 'tls { protocols tls1.2 tls1.3 }',
      methodRefusal: 'no method matcher that answers it, so reverse_proxy hands it to the app; or header Allow "…" beside the respond 405',
    },
  },
  {
    name: 'apache', aliases: ['httpd', 'apache2', 'apache httpd'],
    settings: {
      bodyLimit: 'LimitRequestBody', interceptErrors: 'ProxyErrorOverride', headerOnErrors: 'Header always set',
      readTimeout: 'ProxyTimeout (or timeout= on ProxyPass)', headerLimit: 'LimitRequestFieldSize / LimitRequestFields', uriLimit: 'LimitRequestLine',
      serverTokens: 'ServerTokens Prod and ServerSignature Off', addHeader: 'Header always set',
      gzip: 'AddOutputFilterByType DEFLATE application/json (mod_deflate)', keepAlive: 'KeepAlive On / KeepAliveTimeout',
      clientTimeouts: 'RequestReadTimeout (mod_reqtimeout)', forwardedFor: 'mod_remoteip and ProxyAddHeaders',
      gzipVary: 'mod_deflate (adds Vary itself; check Header unset Vary)', forwardedProto: 'RequestHeader set X-Forwarded-Proto https, in the TLS virtual host',
      upstreamRetry: 'a balancer with several BalancerMember lines (mod_proxy_balancer fails over)', upstreamFailMarking: 'retry= on ProxyPass / BalancerMember',
      connectTimeout: 'connectiontimeout= on ProxyPass', upstreamHttp11: 'mod_proxy_http (HTTP/1.1 by default; no force-proxy-request-1.0)',
      upstreamKeepAlive: 'enablereuse=on / keepalive=On on ProxyPass (and no proxy-nokeepalive)',
      tlsCertificate: 'SSLCertificateFile / SSLCertificateKeyFile, then apachectl graceful', tlsProtocols: 'SSLProtocol -all +TLSv1.2 +TLSv1.3',
      methodRefusal: 'TraceEnable extended (so TRACE reaches the app through ProxyPass) or no <Limit>/<LimitExcept> refusal for the method',
    },
  },
  {
    name: 'envoy', aliases: ['istio', 'envoy-gateway'],
    settings: {
      bodyLimit: 'the buffer filter\'s max_request_bytes', interceptErrors: 'local_reply_config mappers',
      headerOnErrors: 'local_reply_config headers_to_add', readTimeout: 'the route timeout (and per_try_timeout)',
      headerLimit: 'max_request_headers_kb', uriLimit: 'max_request_headers_kb', serverTokens: 'server_header_transformation',
      addHeader: 'response_headers_to_add', gzip: 'the compressor filter', keepAlive: 'common_http_protocol_options idle_timeout',
      clientTimeouts: 'request_headers_timeout / request_timeout', forwardedFor: 'use_remote_address and xff_num_trusted_hops',
      gzipVary: 'the compressor filter (adds Vary itself)', forwardedProto: 'use_remote_address (Envoy then sets X-Forwarded-Proto itself)',
      upstreamRetry: 'the route\'s retry_policy (retry_on connect-failure,reset)', upstreamFailMarking: 'outlier_detection on the cluster',
      connectTimeout: 'the cluster\'s connect_timeout', upstreamHttp11: 'the cluster\'s http_protocol_options',
      upstreamKeepAlive: 'the cluster\'s connection pool (on by default; common_http_protocol_options max_requests_per_connection)',
      tlsCertificate: 'the listener\'s DownstreamTlsContext tls_certificates', tlsProtocols: 'tls_params tls_minimum_protocol_version TLSv1_2',
      methodRefusal: 'a route that matches the method (so it reaches the app), or local_reply_config headers_to_add Allow for the 405',
    },
  },
  {
    name: 'traefik', aliases: [],
    settings: {
      bodyLimit: 'the buffering middleware\'s maxRequestBodyBytes', interceptErrors: 'the errors middleware',
      headerOnErrors: 'the headers middleware (customResponseHeaders)', readTimeout: 'serversTransport forwardingTimeouts.responseHeaderTimeout',
      headerLimit: 'the entry point\'s max header bytes', uriLimit: 'the entry point\'s max header bytes', serverTokens: 'the headers middleware',
      addHeader: 'the headers middleware (customResponseHeaders)', gzip: 'the compress middleware', keepAlive: 'respondingTimeouts.idleTimeout',
      clientTimeouts: 'respondingTimeouts.readTimeout', forwardedFor: 'forwardedHeaders.trustedIPs on the entry point',
      gzipVary: 'the compress middleware (adds Vary itself)', forwardedProto: 'forwardedHeaders.trustedIPs (only trusted peers may set X-Forwarded-Proto)',
      upstreamRetry: 'the retry middleware', upstreamFailMarking: 'the service\'s healthCheck',
      connectTimeout: 'serversTransport forwardingTimeouts.dialTimeout', upstreamHttp11: 'serversTransport (HTTP/1.1 by default)',
      upstreamKeepAlive: 'serversTransport maxIdleConnsPerHost (not -1)',
      tlsCertificate: 'tls.certificates (or a certResolver)', tlsProtocols: 'tls.options minVersion VersionTLS12',
      methodRefusal: 'a router rule without a Method() matcher that excludes it, so the app answers',
    },
  },
  {
    name: 'varnish', aliases: [],
    settings: {
      bodyLimit: 'a Content-Length check in vcl_recv (return (synth(413)))', interceptErrors: 'vcl_backend_response / vcl_synth',
      headerOnErrors: 'set resp.http.… in vcl_synth', readTimeout: 'first_byte_timeout / between_bytes_timeout',
      headerLimit: 'http_req_hdr_len / http_req_size', uriLimit: 'http_req_size', serverTokens: 'unset resp.http.Via and X-Varnish in vcl_deliver',
      addHeader: 'set resp.http.… in vcl_deliver', gzip: 'http_gzip_support and beresp.do_gzip', keepAlive: 'timeout_idle',
      clientTimeouts: 'timeout_req', forwardedFor: 'X-Forwarded-For handling in vcl_recv',
      gzipVary: 'set beresp.http.Vary in vcl_backend_response', forwardedProto: 'set req.http.X-Forwarded-Proto in vcl_recv, from the TLS terminator in front of Varnish',
      upstreamRetry: 'a director with several backends and return (retry) in vcl_backend_error', upstreamFailMarking: 'the backend probe (.window / .threshold)',
      connectTimeout: 'the backend\'s .connect_timeout', upstreamHttp11: 'backends (HTTP/1.1 by default)',
      upstreamKeepAlive: 'backend connections are pooled by default (check .max_connections and backend_idle_timeout)',
      tlsCertificate: 'the TLS terminator in front of Varnish (Varnish itself has no TLS)', tlsProtocols: 'the TLS terminator in front of Varnish',
      methodRefusal: 'return (pass) for the method in vcl_recv rather than synth(405), or set resp.http.Allow in vcl_synth',
    },
  },
]

/** The known product a profile's name refers to, if any. */
export function proxyProduct(name: string | undefined): ProxyProduct | undefined {
  if (!name) return undefined
  const wanted = name.trim().toLowerCase()
  return PROXY_PRODUCTS.find((p) => p.name === wanted || p.aliases.includes(wanted))
}

/**
 * The setting to change, in the product's own terms: `client_max_body_size (nginx)`.
 * For a product we do not know, the behaviour in words and where it lives.
 */
export function proxySetting(name: string | undefined, setting: ProxySetting, behaviour: string): string {
  const product = proxyProduct(name)
  if (product) return `${product.settings[setting]} (${product.name})`
  return name && name !== 'none' ? `${behaviour} in ${name}'s configuration` : `${behaviour} in the proxy's configuration`
}
