/**
 * What must happen when this process is interrupted (SIGINT, SIGTERM, SIGHUP):
 * async hooks first (remove the toxics we added), bounded in time, then the
 * synchronous last words (kill the process groups we started), then exit with
 * the conventional 128 + signal number.
 */
type AsyncHook = () => Promise<void>
type SyncHook = () => void

/**
 * Interrupt hooks run in phases, one phase after the other: 0 stops whoever
 * could still inject faults (test workers), 1 removes faults, 2 stops servers.
 */
export type InterruptPhase = 0 | 1 | 2
export type InterruptSignal = 'SIGINT' | 'SIGTERM' | 'SIGHUP'
const asyncHooks = new Map<AsyncHook, InterruptPhase>()
const finalHooks = new Set<SyncHook>()
let installed = false
let interrupted: InterruptSignal | undefined
const HOOK_BUDGET_MS = 4000
const EXIT_CODES: Record<InterruptSignal, number> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 }

/**
 * Interrupts this process as `signal` would: the phases, then exit 128 + n.
 * For causes other than a signal, such as the process that started this one
 * going away (./starter-watch.ts).
 */
export function interrupt(signal: InterruptSignal): void {
  install()
  // One interruption, however many signals announce it: a signal sent to the
  // whole process group reaches this process and the launcher, which forwards
  // its copy; a second Ctrl-C or a supervisor's SIGTERM after SIGINT must not
  // cut the phases short either (HOOK_BUDGET_MS bounds them).
  if (interrupted) return
  interrupted = signal
  // Others listening for the same signal (vitest's logger does) call
  // process.exit a millisecond later: hold that exit until the cleanup
  // phases are done, which HOOK_BUDGET_MS bounds.
  const exit = process.exit.bind(process)
  process.exit = ((code?: number) => {
    process.exitCode ??= code
  }) as typeof process.exit
  const phases = async () => {
    for (const phase of [0, 1, 2] as const) {
      const hooks = [...asyncHooks].filter(([, p]) => p === phase).map(([hook]) => hook().catch(() => {}))
      await Promise.all(hooks)
    }
  }
  const budget = new Promise((resolve) => setTimeout(resolve, HOOK_BUDGET_MS).unref())
  void Promise.race([phases(), budget]).finally(() => exit(EXIT_CODES[signal]))
}

function install(): void {
  if (installed) return
  installed = true
  process.on('exit', () => {
    for (const hook of finalHooks) hook()
  })
  // `on`, not `once`: with no listener left, a repeated signal would kill the
  // process at once, in the middle of the phases.
  for (const signal of Object.keys(EXIT_CODES) as InterruptSignal[]) process.on(signal, () => interrupt(signal))
}

/** Runs on interruption, before exit. Returns a function that unregisters it. */
export function onInterrupt(hook: AsyncHook, phase: InterruptPhase = 1): () => void {
  install()
  asyncHooks.set(hook, phase)
  return () => asyncHooks.delete(hook)
}

/** Runs synchronously whenever this process exits, however it exits short of SIGKILL. */
export function onExit(hook: SyncHook): () => void {
  install()
  finalHooks.add(hook)
  return () => finalHooks.delete(hook)
}

/** The signal this process is being interrupted by, once one came: work that would outlive it (a report) is not started. */
export function interruptedBy(): InterruptSignal | undefined {
  return interrupted
}
