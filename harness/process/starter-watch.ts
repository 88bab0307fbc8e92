import { procArgv, procStat } from './proc-stat.ts'
import { interrupt } from './shutdown.ts'

/** How often the chain up to the started process is looked at. */
const POLL_MS = 250

/**
 * The processes between this one and the one the user (or a supervisor)
 * started, which pass an interruption on only while they live, nearest first:
 *
 * - the launcher (bin/layercheck.js under another Node): it forwards SIGINT,
 *   SIGTERM and SIGHUP, but SIGKILL leaves nobody to forward;
 * - npm exec (`npx`) and `npm run`: npm starts the bin through `sh -c`, sends
 *   SIGINT and SIGTERM to that shell alone, which dies without passing them
 *   on, and does not forward SIGHUP at all. The chain then holds the shell and
 *   npm itself.
 *
 * Empty when this process was started directly: then the signal comes here.
 */
export function starterChain(launcherPid?: number, env: NodeJS.ProcessEnv = process.env): number[] {
  const chain: number[] = []
  let next = process.ppid
  if (launcherPid !== undefined) {
    chain.push(launcherPid)
    // The launcher is gone already: the chain is broken from the start.
    if (next !== launcherPid) return chain
    next = procStat(next)?.ppid ?? 0
  }
  const script = env.npm_lifecycle_script
  const [, flag, command] = procArgv(next) ?? []
  if (script && flag === '-c' && command?.startsWith(script)) {
    const npm = procStat(next)?.ppid
    if (npm !== undefined) chain.push(next, npm)
  }
  return chain
}

/** Each link is still the parent of the one below it, up from this process. */
function intact(chain: readonly number[]): boolean {
  let parent = process.ppid
  for (const [i, link] of chain.entries()) {
    if (parent !== link) return false
    if (i < chain.length - 1) parent = procStat(link)?.ppid ?? 0
  }
  return true
}

/**
 * Interrupts this process as a hang-up would (its phases, then exit 129) once
 * a link of `chain` is gone: Linux reparents an orphan to PID 1 or a
 * subreaper, so a broken link never mends.
 */
export function interruptWhenStarterGone(chain: readonly number[]): void {
  if (!chain.length) return
  const gone = () => {
    // Whoever read our output may have gone with it: a write to a closed pipe
    // (EPIPE) must not end the process before its phases.
    for (const stream of [process.stdout, process.stderr]) stream.on('error', () => {})
    interrupt('SIGHUP')
  }
  if (!intact(chain)) return gone()
  const timer = setInterval(() => {
    if (intact(chain)) return
    clearInterval(timer)
    gone()
  }, POLL_MS)
  timer.unref()
}
