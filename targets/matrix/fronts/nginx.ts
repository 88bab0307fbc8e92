import { join } from 'node:path'
import type { FrontDefinition, FrontOptions, RenderedFront } from './front-definition.ts'
import { FRONT_ERROR_STATUSES, JSON_ERROR_CONTENT_TYPE, jsonErrorBody, type FrontErrorStatus } from './json-error-bodies.ts'
import { productVersion } from './product-version.ts'

// A conf of its own rather than the reference stack's renderNginxConf: the
// matrix front is HTTP only, one upstream, no TLS listener, no stub_status, no
// request-ID rewriting, and nginx's defaults wherever the matrix makes no promise.

const NGINX = '/usr/sbin/nginx'

// 400 stays nginx's: an error_page for 400 turns an unparsable request line
// ("GET / HTTP/1.1 garbage") into nginx's 500 page (verified on 1.22.1), since
// there is no request to redirect. 408 too: nginx closes a stalled client
// without an answer.
const JSON_STATUSES = FRONT_ERROR_STATUSES.filter((status) => status !== 400 && status !== 408)

/** error_page to a named location that answers with the JSON body; `return` keeps the status. */
function jsonErrorPages(statuses: readonly FrontErrorStatus[]): string {
  const pages = statuses.map((status) => `        error_page ${status} @front_error_${status};`).join('\n')
  const locations = statuses.map((status) => `
        location @front_error_${status} {
            default_type ${JSON_ERROR_CONTENT_TYPE};
            return ${status} '${jsonErrorBody(status)}';
        }`).join('')
  return `${pages}\n${locations}`
}

export function renderNginxFrontConf(o: FrontOptions): string {
  return `# Rendered by layercheck (targets/matrix/fronts/nginx.ts). Do not edit.
${process.getuid?.() === 0 ? '# Workers as root: the default user (nobody) could not write to this folder.\nuser root;' : ''}
worker_processes 1;
pid ${o.dir}/nginx.pid;
error_log ${o.logFile} warn;
events { worker_connections 1024; }

http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log ${o.dir}/access.log;
    client_body_temp_path ${o.dir}/tmp/body;
    proxy_temp_path ${o.dir}/tmp/proxy;
    fastcgi_temp_path ${o.dir}/tmp/fastcgi;
    uwsgi_temp_path ${o.dir}/tmp/uwsgi;
    scgi_temp_path ${o.dir}/tmp/scgi;

    upstream matrix_app {
        server ${o.upstream};
        # HTTP/1.1 keep-alive to the app (with proxy_http_version 1.1 and an empty Connection below).
        keepalive 16;
    }

    server {
        listen 127.0.0.1:${o.listenPort};
        # Bytes; nginx checks Content-Length up front and counts a chunked body as it reads it.
        client_max_body_size ${o.maxBodyBytes};
${o.errorPages === 'json' ? jsonErrorPages(JSON_STATUSES) : ''}

        location / {
            proxy_pass http://matrix_app;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            # The client's Host as sent (port included), as HAProxy and Caddy pass it; the apps check it.
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $remote_addr;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_connect_timeout 5s;
            proxy_read_timeout ${o.upstreamReadTimeoutMs}ms;
        }
    }
}
`
}

export const NGINX_FRONT: FrontDefinition = {
  product: 'nginx',
  binary: NGINX,
  version: productVersion(NGINX, ['-v'], /nginx\/(\S+)/),
  // server_tokens is on by default: "Server: nginx/1.22.1" and the version in every page's footer.
  hidesServerVersion: false,
  render(o: FrontOptions): RenderedFront {
    const conf = join(o.dir, 'nginx.conf')
    return {
      files: { [conf]: renderNginxFrontConf(o) },
      dirs: ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((sub) => join(o.dir, 'tmp', sub)),
      launch: {
        name: 'nginx', command: NGINX, logFile: o.logFile,
        // -p: its own prefix; -e: startup errors go to our log, not /var/log/nginx.
        args: ['-p', o.dir, '-c', conf, '-e', o.logFile, '-g', 'daemon off;'],
      },
    }
  },
}
