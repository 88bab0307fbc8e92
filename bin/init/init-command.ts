// `layercheck init <url> [--out file]`: reads the target's OpenAPI document,
// makes a few harmless GETs (no write, nothing with parameters), and writes a
// starter profile: JSON, or TypeScript with defineConfig for a .ts file.
import { existsSync } from 'node:fs'
import { writeFile } from 'node:fs/promises'
import { extname } from 'node:path'
import { formatAnsweredBy, requestTarget } from '../../harness/model/report-view.ts'
import { parseProfile } from '../../harness/profile/load-profile.ts'
import type { ProfileInput } from '../../harness/profile/schema.ts'
import { calibrate } from '../../harness/target/calibrate.ts'
import { clientForProfile } from '../../harness/target/client-for-profile.ts'
import type { HttpClient } from '../../harness/http/http-client.ts'
import { headerValue } from '../../harness/http/http-client.ts'
import { EXIT } from '../exit-codes.ts'
import { UsageError } from '../usage-error.ts'
import { healthCandidates, LEFT_FOR_THE_USER, starterFromOpenApi } from './starter-profile.ts'
import { SchemaValueError } from './schema-values.ts'

export interface InitOptions {
  out: string
  openapi: string
  force?: boolean
}

/** Bounds the GETs init may make to find a path answering 401 when the document names no security. */
const MAX_AUTH_PROBES = 10
const REQUEST_ID_HEADERS = ['X-Request-ID', 'X-Correlation-ID', 'Request-Id']
const ID_SHAPES: [RegExp, 'uuid' | 'hex32'][] = [
  [/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'uuid'],
  [/^[0-9a-f]{32}$/i, 'hex32'],
]

export async function initCommand(url: string, options: InitOptions, log: (line: string) => void): Promise<number> {
  if (!options.openapi.startsWith('/')) throw new UsageError(`--openapi must be a path starting with "/", got ${JSON.stringify(options.openapi)}`)
  if (existsSync(options.out) && !options.force) throw new UsageError(`${options.out} exists; choose another --out or add --force to overwrite it`)
  const base = parseProfile({ baseUrl: url }, 'init')
  const client = clientForProfile(base)
  try {
    const { exchange, json } = await client.getJson(options.openapi)
    if (!exchange.response) {
      log(`✗ ${url} gave no HTTP answer: ${formatAnsweredBy(exchange.answeredBy)} — ${exchange.failure?.message ?? exchange.answeredBy.reason}`)
      return EXIT.unreachable
    }
    if (exchange.response.status !== 200 || json === undefined) {
      throw new UsageError(`${url}${options.openapi} answered ${exchange.response.status}${json === undefined ? ' without a JSON body' : ''}, ` +
        'not an OpenAPI document; name its path with --openapi <path>')
    }
    let starter
    try {
      starter = starterFromOpenApi(url, options.openapi, json)
    } catch (error) {
      if (error instanceof SchemaValueError) throw new UsageError(error.message)
      throw error
    }
    const { profile, found, left } = starter

    // probes.healthPath: the first open GET that answers 2xx; its response tells us about request IDs.
    for (const path of healthCandidates(starter.routes).slice(0, 5)) {
      const answer = await client.send({ path, label: 'init: health candidate' })
      const status = answer.response?.status ?? 0
      if (status < 200 || status >= 300) continue
      profile.probes = { ...profile.probes, healthPath: path }
      found.push(`probes.healthPath: ${path} (answered ${status})`)
      // The layers, from the same calibration every run makes: named only where the evidence names a product.
      const { inferred } = await calibrate(parseProfile({ baseUrl: url, probes: { healthPath: path } }, 'init'), client)
      const layers: Record<string, string> = {}
      for (const key of ['proxy', 'server', 'app'] as const) {
        const seen = inferred[key]
        if (!seen) continue
        if (seen.product) layers[key] = seen.product
        found.push(`layers.${key}: ${seen.product ?? 'present, product unknown'} (seen, ${seen.confidence}: ${seen.signals.join('; ')})`)
      }
      if (Object.keys(layers).length) profile.layers = layers
      const idHeader = REQUEST_ID_HEADERS.find((name) => headerValue(answer.response!, name))
      if (idHeader) {
        const value = headerValue(answer.response!, idHeader)!
        const generated = ID_SHAPES.find(([shape]) => shape.test(value))?.[1] ?? 'any'
        profile.requestId = { header: idHeader, generated }
        found.push(`requestId: ${idHeader} on every answer, generated as ${generated}`)
      }
      break
    }
    if (!profile.probes?.healthPath) left.push('probes.healthPath: no open GET route answered 2xx; name a cheap path that does')

    if (!profile.auth) await findProtectedPath(client, starter.routes.filter((r) => r.method === 'GET' && !r.needsParameters).map((r) => r.path), profile, found)
    if (!profile.auth) left.push('auth: no route is documented as secured or answered 401; set auth.protectedPath and auth.tokenEnv if the API has one')
    left.push('auth.forbidden, probes.errorPath, limits, contentType.mismatchStatus, tls, logs, faults: see the comments in a .ts profile or the README')

    parseProfile(profile, 'the starter profile') // what we write must load
    await writeFile(options.out, extname(options.out) === '.ts' || extname(options.out) === '.mts' ? renderTs(profile, url) : JSON.stringify(profile, null, 2) + '\n', 'utf8')
    log(`wrote ${options.out} from ${url}${options.openapi}`)
    for (const line of found) log(`  found: ${line}`)
    for (const line of left) log(`  left:  ${line}`)
    log(`next: ${profile.auth ? `${profile.auth.tokenEnv}=… ` : ''}layercheck run --config ${options.out}  (or --dry-run first, to see every probe)`)
    return EXIT.conformant
  } finally {
    await client.close()
  }
}

async function findProtectedPath(client: HttpClient, paths: string[], profile: ProfileInput, found: string[]): Promise<void> {
  for (const path of paths.slice(0, MAX_AUTH_PROBES)) {
    const answer = await client.send({ path, label: 'init: protected path?' })
    if (answer.response?.status !== 401) continue
    profile.auth = { protectedPath: requestTarget(answer.request.url), tokenEnv: 'LAYERCHECK_TOKEN' }
    found.push(`auth.protectedPath: ${path} (answered 401 without a token); put a valid token in $LAYERCHECK_TOKEN`)
    return
  }
}

/** A layercheck.config.ts: the profile as a TypeScript literal, then what is left as comments. */
export function renderTs(profile: ProfileInput, url: string): string {
  // A line that starts with a quoted identifier and a colon is a key: JSON escapes quotes inside strings.
  const literal = JSON.stringify(profile, null, 2).replace(/^(\s*)"([A-Za-z_$][\w$]*)": /gm, '$1$2: ')
  const body = literal.slice(0, literal.lastIndexOf('}')).trimEnd()
  return [
    "import { defineConfig } from 'layercheck'",
    '',
    `// Written by \`layercheck init ${url}\` from its OpenAPI document. Check every value against`,
    '// what the deployment documents; tokens come from the environment, never this file.',
    `export default defineConfig(${body},`,
    '  // Not guessed: uncomment and set what your deployment documents.',
    ...LEFT_FOR_THE_USER.map((line) => `  // ${line}`),
    '})',
    '',
  ].join('\n')
}
