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
const asyncHooks = new Map<AsyncHook, InterruptPhase>()
const finalHooks = new Set<SyncHook>()
let installed = false
const HOOK_BUDGET_MS = 4000
const EXIT_CODES: Record<string, number> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 }

function install(): void {
  if (installed) return
  installed = true
  process.on('exit', () => {
    for (const hook of finalHooks) hook()
  })
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
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
    })
  }
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
