export class DeadlineError extends Error {
  readonly code = 'LAYERCHECK_DEADLINE'
  readonly lastError: unknown
  constructor(what: string, timeoutMs: number, lastError?: unknown) {
    const last = lastError instanceof Error ? `: last attempt said ${lastError.message}` : ''
    super(`${what} did not happen within ${timeoutMs} ms${last}`)
    this.lastError = lastError
  }
}

/**
 * Polls `attempt` until it returns a value other than undefined, or the deadline
 * passes. Never sleep-and-hope: every wait in the harness goes through here.
 */
export async function pollUntil<T>(
  what: string,
  attempt: () => Promise<T | undefined>,
  { timeoutMs, intervalMs = 50 }: { timeoutMs: number; intervalMs?: number },
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  let lastError: unknown
  for (;;) {
    try {
      const value = await attempt()
      if (value !== undefined) return value
    } catch (error) {
      lastError = error
    }
    if (Date.now() >= deadline) throw new DeadlineError(what, timeoutMs, lastError)
    await new Promise((resolve) => setTimeout(resolve, intervalMs))
  }
}
