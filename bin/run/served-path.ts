// Before any probe: a path that is served. Most checks need one answer they can
// take as "served" (keep-alive, HEAD, request-target forms, header checks); a
// profile that names none gets one found here, from what the target answers,
// never assumed: `/`, common health paths, the OpenAPI document's open GETs.
// Only GETs without parameters are sent, a dozen at most.
import type { HttpClient } from '../../harness/http/http-client.ts'
import { isDocumented, parseProfile } from '../../harness/profile/load-profile.ts'
import type { Profile, ProfileInput } from '../../harness/profile/schema.ts'
import { clientForProfile } from '../../harness/target/client-for-profile.ts'
import { healthCandidates, routeFacts } from '../init/starter-profile.ts'

/** Where health routes usually live, tried in this order after `/`. */
export const COMMON_HEALTH_PATHS = ['/health', '/healthz', '/livez', '/readyz', '/status', '/ping', '/api/health'] as const

/** Where an OpenAPI document usually is when the profile names none. */
const DEFAULT_OPENAPI = '/openapi.json'
const MAX_OPENAPI_CANDIDATES = 4

export interface ServedPath {
  path: string
  /** `2xx`, or the app's own 4xx there when no open path answered 2xx. */
  answers: '2xx' | number
  /** One line for the run's log: what was tried and what was taken. */
  note: string
}

const is2xx = (status: number | undefined) => status !== undefined && status >= 200 && status < 300

async function statusOf(client: HttpClient, path: string): Promise<number | undefined> {
  return (await client.send({ path, label: 'looking for a served path' })).response?.status
}

async function openApiCandidates(client: HttpClient, profile: Readonly<Profile>): Promise<string[]> {
  const { exchange, json } = await client.getJson(profile.routes.openapi || DEFAULT_OPENAPI)
  if (exchange.response?.status !== 200 || json === undefined) return []
  try {
    return healthCandidates(routeFacts(json as Parameters<typeof routeFacts>[0]))
  } catch {
    return []
  }
}

/** Finds a served path: the first that answers 2xx, else the app's own 4xx at `/` (or at a path it has no route for). */
export async function findServedPath(profile: Readonly<Profile>, client: HttpClient): Promise<ServedPath> {
  const tried: string[] = []
  const at = async (path: string) => {
    tried.push(path)
    return statusOf(client, path)
  }
  const rootStatus = await at('/')
  if (is2xx(rootStatus)) return { path: '/', answers: '2xx', note: `served path: / (answered ${rootStatus})` }
  for (const path of [...COMMON_HEALTH_PATHS, ...(await openApiCandidates(client, profile)).slice(0, MAX_OPENAPI_CANDIDATES)]) {
    if (tried.includes(path)) continue
    const status = await at(path)
    if (is2xx(status)) return { path, answers: '2xx', note: `served path: ${path} (answered ${status}; / answered ${rootStatus ?? 'nothing'})` }
  }
  const none = `no open path answered 2xx (tried ${tried.join(', ')})`
  if (rootStatus !== undefined && rootStatus >= 400 && rootStatus < 500) {
    return { path: '/', answers: rootStatus, note: `${none}: / answers ${rootStatus}, taken as the app's answer; checks that need a 2xx are not applicable` }
  }
  const unknown = profile.probes.unknownPath
  const status = await statusOf(client, unknown)
  const answers = status !== undefined && status >= 400 && status < 500 ? status : 404
  return { path: unknown, answers, note: `${none}: ${unknown} answers ${status ?? 'nothing'}, taken as the app's answer; checks that need a 2xx are not applicable` }
}

/**
 * The profile with a served path: its own when it documents probes.healthPath (a documented path that
 * does not answer is the checks' to report), else the one found. `note` is undefined when nothing changed.
 */
export async function withServedPath(profile: Readonly<Profile>): Promise<{ profile: Readonly<Profile>; note?: string }> {
  if (isDocumented(profile, 'probes.healthPath')) return { profile }
  const client = clientForProfile(profile)
  try {
    const found = await findServedPath(profile, client)
    const input = structuredClone(profile) as ProfileInput
    input.probes = { ...input.probes, healthPath: found.path, healthAnswers: found.answers }
    return { profile: parseProfile(input, 'the profile with a served path', () => {}), note: found.note }
  } finally {
    await client.close()
  }
}
