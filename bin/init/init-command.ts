// `layercheck init <url> [--out file]`: reads the target's OpenAPI document (from
// the target, or a local file), makes a few harmless GETs and OPTIONS (no write,
// nothing with parameters), and writes a starter profile: JSON, or TypeScript with
// defineConfig for a .ts file. Without any document, the profile is written from
// what the target answers: its layers, a served path, the methods that path allows.
import { existsSync } from 'node:fs'
import { readFile, writeFile } from 'node:fs/promises'
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
import { healthCandidates, LEFT_FOR_THE_USER, routeFacts, starterFromOpenApi, type Starter } from './starter-profile.ts'
import { SchemaValueError } from '../../harness/openapi/schema-values.ts'
import { findServedPath } from '../run/served-path.ts'
import { gateOf } from '../../harness/check/run-check.ts'
import { neededKey } from '../../harness/check/needed-key.ts'
import type { Profile } from '../../harness/profile/schema.ts'
import { ALL_CHECKS } from '../../suites/all-checks.ts'

export interface InitOptions {
  out: string
  /** A path on the target, or a local file; unset: /openapi.json when the target serves one. */
  openapi?: string
  force?: boolean
}

const DEFAULT_OPENAPI = '/openapi.json'
/** Where APIs commonly keep a route behind a token, probed (GET, no token) only when there is no document. */
const COMMON_PROTECTED_PATHS = ['/me', '/user', '/account', '/api/me', '/admin'] as const

/** Reads an OpenAPI document from a local file (JSON). */
async function readDocumentFile(file: string): Promise<unknown> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    throw new UsageError(`--openapi ${file}: cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); give a path on the target ("/openapi.json") or a JSON file`)
  }
  try {
    return JSON.parse(text)
  } catch (error) {
    throw new UsageError(`--openapi ${file}: not JSON (${(error as Error).message}); only JSON documents are read`)
  }
}

/** A starter with nothing from a document: what the target answers fills it in. */
const observedStarter = (url: string, why: string): Starter => ({
  profile: { baseUrl: url, probes: {} },
  found: [`no OpenAPI document (${why}): the profile is written from what the target answers`],
  left: ['routes.openapi: name the document (--openapi <path|file>) for routes with their methods and bodies'],
  routes: [],
})

/** The checks each placeholder enables: those whose gate, on this profile, needs its key. */
export function checksEnabledBy(profile: Readonly<Profile>): Map<string, string[]> {
  const enabled = new Map<string, string[]>()
  for (const check of ALL_CHECKS) {
    if (!check.requires || !gateOf(check, profile)) continue
    const needs = neededKey(check.requires, profile)
    const placeholder = needs && LEFT_FOR_THE_USER.find((p) => needs === p.key || needs.startsWith(`${p.key}.`) || p.key.startsWith(`${needs}.`))
    if (placeholder) enabled.set(placeholder.key, [...(enabled.get(placeholder.key) ?? []), check.id])
  }
  return enabled
}

/** Bounds the GETs init may make to find a path answering 401 when the document names no security. */
const MAX_AUTH_PROBES = 10
const REQUEST_ID_HEADERS = ['X-Request-ID', 'X-Correlation-ID', 'Request-Id']
const ID_SHAPES: [RegExp, 'uuid' | 'hex32'][] = [
  [/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'uuid'],
  [/^[0-9a-f]{32}$/i, 'hex32'],
]

export async function initCommand(url: string, options: InitOptions, log: (line: string) => void): Promise<number> {
  if (existsSync(options.out) && !options.force) throw new UsageError(`${options.out} exists; choose another --out or add --force to overwrite it`)
  const base = parseProfile({ baseUrl: url }, 'init')
  const client = clientForProfile(base)
  try {
    // A local file when one is there (an absolute path may be either), else a path on the target.
    const fromFile = options.openapi !== undefined && (!options.openapi.startsWith('/') || existsSync(options.openapi))
    const documentPath = fromFile ? undefined : options.openapi ?? DEFAULT_OPENAPI
    let document: unknown
    let why = ''
    if (fromFile) {
      document = await readDocumentFile(options.openapi!)
    } else {
      const { exchange, json } = await client.getJson(documentPath!)
      if (!exchange.response) {
        log(`✗ ${url} gave no HTTP answer: ${formatAnsweredBy(exchange.answeredBy)} — ${exchange.failure?.message ?? exchange.answeredBy.reason}`)
        return EXIT.unreachable
      }
      if (exchange.response.status === 200 && json !== undefined) document = json
      else if (options.openapi !== undefined) {
        // Named, it must be there: a wrong path is the user's to fix, not a reason to guess.
        throw new UsageError(`${url}${options.openapi} answered ${exchange.response.status}${json === undefined ? ' without a JSON body' : ''}, ` +
          'not an OpenAPI document; name its path or a local file with --openapi <path|file>')
      } else why = `${DEFAULT_OPENAPI} answered ${exchange.response.status}`
    }
    let starter: Starter
    try {
      starter = document === undefined ? observedStarter(url, why) : starterFromOpenApi(url, documentPath ?? options.openapi!, document)
    } catch (error) {
      if (error instanceof SchemaValueError) throw new UsageError(error.message)
      throw error
    }
    const { profile, found, left } = starter
    if (fromFile) {
      // routes.openapi is a path on the target; a document read from a file becomes the route list.
      const methods = new Map<string, string[]>()
      for (const route of routeFacts(document as Parameters<typeof routeFacts>[0])) methods.set(route.path, [...(methods.get(route.path) ?? []), route.method])
      profile.routes = { list: [...methods].map(([path, list]) => ({ path, methods: list })) }
      found[0] = `routes.list: ${methods.size} paths from ${options.openapi} (a local file)`
    }

    // probes.healthPath: the first open GET that answers 2xx, else what a run would find; its answer tells of request IDs.
    const candidates = healthCandidates(starter.routes).slice(0, 5)
    if (document === undefined) {
      const seen = await findServedPath(base, client)
      if (seen.answers === '2xx') candidates.push(seen.path)
      else left.push(`probes.healthPath: ${seen.note}`)
    }
    for (const path of candidates) {
      const answer = await client.send({ path, label: 'init: health candidate' })
      const status = answer.response?.status ?? 0
      if (status < 200 || status >= 300) continue
      profile.probes = { ...profile.probes, healthPath: path }
      if (document === undefined) await observeMethods(client, path, profile, found)
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
    if (!profile.probes?.healthPath && document !== undefined) left.push('probes.healthPath: no open GET route answered 2xx; name a cheap path that does')
    if (new URL(url).protocol === 'https:') found.push(`TLS endpoint: ${url} (the connection checks inspect its certificate and versions)`)

    // Without a document, the few paths APIs commonly keep behind a token.
    const protectedCandidates = document === undefined ? [...COMMON_PROTECTED_PATHS] : starter.routes.filter((r) => r.method === 'GET' && !r.needsParameters).map((r) => r.path)
    if (!profile.auth) await findProtectedPath(client, protectedCandidates, profile, found)
    if (!profile.auth) left.push('auth: no route is documented as secured or answered 401; set auth.protectedPath and auth.tokenEnv if the API has one')
    const written = parseProfile(profile, 'the starter profile') // what we write must load
    const enabled = checksEnabledBy(written)
    await writeFile(options.out, extname(options.out) === '.ts' || extname(options.out) === '.mts' ? renderTs(profile, url, enabled, document !== undefined) : JSON.stringify(profile, null, 2) + '\n', 'utf8')
    log(`wrote ${options.out} from ${document === undefined ? `what ${url} answers` : fromFile ? options.openapi : `${url}${documentPath}`}`)
    for (const line of found) log(`  found: ${line}`)
    for (const line of left) log(`  left:  ${line}`)
    for (const placeholder of LEFT_FOR_THE_USER) {
      const ids = enabled.get(placeholder.key)
      if (ids) log(`  left:  ${placeholder.key.padEnd(20)} enables ${ids.join(', ')}`)
    }
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

/** OPTIONS on a served path: the methods its Allow lists become a documented route. */
async function observeMethods(client: HttpClient, path: string, profile: ProfileInput, found: string[]): Promise<void> {
  const answer = await client.send({ method: 'OPTIONS', path, label: 'init: which methods?' })
  const allow = answer.response && headerValue(answer.response, 'allow')
  const methods = (allow ?? '').split(',').map((m) => m.trim().toUpperCase()).filter((m) => /^[A-Z]+$/.test(m))
  if (methods.length === 0) return
  profile.routes = { ...profile.routes, list: [...(profile.routes?.list ?? []), { path, methods }] }
  found.push(`routes.list: ${path} allows ${methods.join(', ')} (OPTIONS answered ${answer.response!.status} with Allow)`)
}

/** Whether the starter already sets a (dotted) key: its placeholder is then left out. */
function isSet(profile: ProfileInput, key: string): boolean {
  let value: unknown = profile
  for (const part of key.split('.')) value = value && typeof value === 'object' ? (value as Record<string, unknown>)[part] : undefined
  return value !== undefined
}

/** A layercheck.config.ts: the profile as a TypeScript literal, then what is left as comments, each with the checks it enables. */
export function renderTs(profile: ProfileInput, url: string, enabled: ReadonlyMap<string, string[]> = new Map(), fromDocument = true): string {
  // A line that starts with a quoted identifier and a colon is a key: JSON escapes quotes inside strings.
  const literal = JSON.stringify(profile, null, 2).replace(/^(\s*)"([A-Za-z_$][\w$]*)": /gm, '$1$2: ')
  const body = literal.slice(0, literal.lastIndexOf('}')).trimEnd()
  return [
    "import { defineConfig } from 'layercheck'",
    '',
    `// Written by \`layercheck init ${url}\` from ${fromDocument ? 'its OpenAPI document and ' : ''}what it answers. Check every value against`,
    '// what the deployment documents; tokens come from the environment, never this file.',
    `export default defineConfig(${body},`,
    '  // Not guessed: uncomment and set what your deployment documents.',
    ...LEFT_FOR_THE_USER.filter((p) => !isSet(profile, p.key)).flatMap((p) => [
      `  // ${p.line}`,
      ...(enabled.has(p.key) ? [`  //   enables ${enabled.get(p.key)!.join(', ')}`] : []),
    ]),
    '})',
    '',
  ].join('\n')
}
