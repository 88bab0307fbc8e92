import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { STATE_DIR } from '../harness/paths.ts'
import { stopRecordedGroup } from '../harness/process/process-group.ts'
import { referenceProfile } from '../targets/nginx-fastapi/profile.ts'
import { startReferenceStack, TOKEN_ENV, type StackInfo } from '../targets/nginx-fastapi/stack.ts'
import { findVariant } from '../targets/nginx-fastapi/variants.ts'

const CURRENT = join(STATE_DIR, 'current-stack.json')
const ENV_FILE = join(STATE_DIR, 'current-stack.env')
const PROFILE_FILE = join(STATE_DIR, 'current-stack.profile.json')

/** Starts the reference stack and leaves it running; `stack down` stops it. */
export async function stackUp(options: { variant: string; workers: number }, log: (line: string) => void): Promise<number> {
  if (existsSync(CURRENT)) {
    log(`a stack is already up (${CURRENT}); run \`layercheck stack down\` first`)
    return 2
  }
  const stack = await startReferenceStack({ variant: findVariant(options.variant), workers: options.workers, keepDir: true })
  stack.release()
  const info: StackInfo = { ...stack }
  delete (info as Partial<typeof stack>).tokens
  writeFileSync(CURRENT, JSON.stringify(info, null, 2))
  writeFileSync(PROFILE_FILE, JSON.stringify(referenceProfile(stack), null, 2))
  // The tokens go to a file only the owner can read, never to a log or report.
  writeFileSync(ENV_FILE, `export ${TOKEN_ENV.user}=${stack.tokens.user}\nexport ${TOKEN_ENV.admin}=${stack.tokens.admin}\n`, { mode: 0o600 })
  log(`reference stack "${stack.variant}" is up:`)
  log(`  http:      ${stack.httpUrl}`)
  log(`  https:     ${stack.httpsUrl}   (CA: ${stack.caFile})`)
  log(`  toxiproxy: ${stack.toxiproxyApi}`)
  for (const app of stack.apps) log(`    link ${app.link.name}: ${app.link.listen} → ${app.link.upstream} (app ${app.name})`)
  log(`  logs:      ${join(stack.dir, 'logs')}`)
  log(`run the suites against it:  source ${ENV_FILE} && npx layercheck run --config ${PROFILE_FILE}`)
  return 0
}

export async function stackDown(log: (line: string) => void): Promise<number> {
  if (!existsSync(CURRENT)) {
    log('no stack is up')
    return 0
  }
  const info = JSON.parse(readFileSync(CURRENT, 'utf8')) as StackInfo
  for (const pid of [...info.pids].reverse()) await stopRecordedGroup(pid)
  for (const file of [CURRENT, ENV_FILE, PROFILE_FILE]) rmSync(file, { force: true })
  rmSync(info.dir, { recursive: true, force: true })
  log(`stopped reference stack "${info.variant}" (process groups ${info.pids.join(', ')})`)
  return 0
}
