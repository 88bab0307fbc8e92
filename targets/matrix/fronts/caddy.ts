import { join } from 'node:path'
import type { FrontDefinition, FrontOptions, RenderedFront } from './front-definition.ts'
import { FRONT_ERROR_STATUSES, JSON_ERROR_CONTENT_TYPE, jsonErrorBody } from './json-error-bodies.ts'
import { productVersion } from './product-version.ts'

const CADDY = '/usr/bin/caddy'

// Go's net/http answers a malformed request (400) before any Caddy handler runs,
// and closes a stalled one without a 408: only the handlers' own errors reach
// handle_errors.
const JSON_STATUSES = FRONT_ERROR_STATUSES.filter((status) => status !== 400 && status !== 408)

function jsonErrorHandlers(): string {
  const routes = JSON_STATUSES.map((status) => `
		@status_${status} expression \`{err.status_code} == ${status}\`
		handle @status_${status} {
			header Content-Type ${JSON_ERROR_CONTENT_TYPE}
			respond \`${jsonErrorBody(status)}\` ${status}
		}`).join('')
  return `
	handle_errors {${routes}
	}`
}

export function renderCaddyfile(o: FrontOptions): string {
  const limit = o.maxBodyBytes
  return `# Rendered by layercheck (targets/matrix/fronts/caddy.ts). Do not edit.
{
	# No admin endpoint (nothing reconfigures this Caddy), no certificates, no redirects.
	admin off
	auto_https off
	servers {
		protocols h1
	}
}

# Any Host: the app owns the host allowlist (trustedHosts.layer 'app'); a site for one host
# would answer every other Host with Caddy's own empty 200.
http://:${o.listenPort} {
	bind 127.0.0.1
	# request_body alone answers a declared Content-Length over the limit with 502
	# (Caddy 2.6.2 streams the body and fails mid-way, the app having read part of it),
	# so a declared length over the limit is refused before anything is proxied.
	@declared_too_large expression \`{http.request.header.Content-Length}.size() > 0 && int({http.request.header.Content-Length}) > ${limit}\`
	handle @declared_too_large {
		error 413
	}
	handle {
		# A chunked body is counted as it is streamed to the app: past the limit Caddy
		# aborts the upstream request (the app has read 1 MiB of it) and answers 413.
		# Not buffer_requests: Caddy 2.6.2 then sends the app the first 1 MiB as if it
		# were the whole body (200 from the app; verified). 2.6.2 has no request_buffers.
		request_body {
			max_size ${limit}
		}
		# X-Forwarded-For (overwritten: no trusted proxies), -Proto and -Host are Caddy's defaults.
		reverse_proxy ${o.upstream} {
			transport http {
				# No response headers within this: 504.
				response_header_timeout ${o.upstreamReadTimeoutMs}ms
			}
		}
	}${o.errorPages === 'json' ? jsonErrorHandlers() : ''}
}
`
}

export const CADDY_FRONT: FrontDefinition = {
  product: 'caddy',
  binary: CADDY,
  version: productVersion(CADDY, ['version'], /v?(\d+\.\d+\.\d+\S*)/),
  // "Server: Caddy", no version; its error replies are empty.
  hidesServerVersion: true,
  render(o: FrontOptions): RenderedFront {
    const caddyfile = join(o.dir, 'Caddyfile')
    const home = join(o.dir, 'home')
    return {
      files: { [caddyfile]: renderCaddyfile(o) },
      dirs: [home],
      launch: {
        name: 'caddy', command: CADDY, logFile: o.logFile,
        args: ['run', '--config', caddyfile, '--adapter', 'caddyfile'],
        // Caddy writes its autosave.json and data under these: keep them in the stack folder.
        env: { PATH: process.env.PATH, HOME: home, XDG_CONFIG_HOME: join(home, 'config'), XDG_DATA_HOME: join(home, 'data') },
      },
    }
  },
}
