// Runs checks side by side where they cannot disturb each other, and one at a
// time where they can. A check names the resources it uses (harness/check/
// resources.ts): a keyed reader/writer lock. Shared holders of a key overlap each
// other; an exclusive holder overlaps nothing that names the same key. On top,
// at most `limit` places are taken at once (a check takes one, or the `slots` it
// declares for the requests it keeps in flight), so the target is never flooded.
//
// The scheduler sees a whole batch (one suite file's checks) before it starts any:
// grants wait until every expected task has arrived, or `gatherMs` after the first
// one did. Then the longest planned wait goes first (the rate-limit window, an idle
// timeout), so deliberate waits overlap the rest instead of ending the run; ties
// keep registration order. A task blocked by a conflict is passed by later ones
// that fit (backfill); the batch is finite, so none waits for ever.

import { conflicts, type HeldResources } from '../model/floor.ts'

export { conflicts }

/** What a check holds while it runs: resource keys such as `target:upstream`, `quota:rate-limit:LAYERCHECK_TOKEN`. */
export interface Uses extends HeldResources {
  /** Keys nobody else may hold while this runs: it disturbs them, or needs them undisturbed. */
  readonly exclusive?: readonly string[]
  /** Keys others may hold shared at the same time, but nobody exclusively. */
  readonly shared?: readonly string[]
}

export interface ScheduledTask {
  /** For messages and tests: the check id. */
  readonly id: string
  readonly uses: Uses
  /** The deliberate wait the task will make, planned (ms): longer goes first. */
  readonly plannedWaitMs?: number
  /** Places of the limit it takes while it runs (default 1; more than the limit counts as the whole limit). */
  readonly slots?: number
}

export interface SchedulerOptions {
  /** At most this many tasks at once (≥ 1). */
  limit: number
  /** How many tasks the batch holds: grants start once they have all arrived. */
  expected?: number
  /** Or this long after the first arrival, whichever comes first (a filtered-out task never arrives). */
  gatherMs?: number
}

interface Pending {
  task: ScheduledTask
  order: number
  grant: () => void
}

export class CheckScheduler {
  readonly limit: number
  readonly #pending: Pending[] = []
  readonly #running = new Set<ScheduledTask>()
  /** Places the running tasks take. */
  #taken = 0
  #arrived = 0
  #order = 0
  #open: boolean
  #gatherTimer?: NodeJS.Timeout
  readonly #expected?: number
  readonly #gatherMs: number

  constructor(options: SchedulerOptions) {
    if (!Number.isInteger(options.limit) || options.limit < 1) throw new RangeError(`limit must be an integer ≥ 1, got ${options.limit}`)
    this.limit = options.limit
    this.#expected = options.expected
    this.#gatherMs = options.gatherMs ?? 250
    this.#open = options.expected === undefined || options.expected <= 0
  }

  /** Runs `fn` once `task` fits: no conflict with any running task, and a free slot. Releases whatever happens. */
  async run<T>(task: ScheduledTask, fn: () => Promise<T>): Promise<T> {
    const release = await this.acquire(task)
    try {
      return await fn()
    } finally {
      release()
    }
  }

  /** Resolves, with the release function, when `task` may start. */
  acquire(task: ScheduledTask): Promise<() => void> {
    return new Promise((resolve) => {
      this.#pending.push({
        task, order: this.#order++,
        grant: () => resolve(() => {
          if (this.#running.delete(task)) this.#taken -= this.#placesOf(task)
          this.#dispatch()
        }),
      })
      this.#arrived += 1
      if (!this.#open && this.#expected !== undefined && this.#arrived >= this.#expected) this.#openNow()
      else if (!this.#open && !this.#gatherTimer) this.#gatherTimer = setTimeout(() => this.#openNow(), this.#gatherMs)
      // Decided on the next macrotask: tasks that arrive in the same tick are weighed together.
      if (this.#open) setImmediate(() => this.#dispatch())
    })
  }

  /** How many tasks run now (for tests and progress). */
  get running(): number {
    return this.#running.size
  }

  /** How many places of the limit the running tasks take. */
  get taken(): number {
    return this.#taken
  }

  #placesOf(task: ScheduledTask): number {
    return Math.min(Math.max(1, Math.floor(task.slots ?? 1)), this.limit)
  }

  #openNow(): void {
    this.#open = true
    clearTimeout(this.#gatherTimer)
    setImmediate(() => this.#dispatch())
  }

  #dispatch(): void {
    if (!this.#open) return
    this.#pending.sort((a, b) => (b.task.plannedWaitMs ?? 0) - (a.task.plannedWaitMs ?? 0) || a.order - b.order)
    for (let i = 0; i < this.#pending.length && this.#taken < this.limit;) {
      const candidate = this.#pending[i]!
      if (this.#taken + this.#placesOf(candidate.task) > this.limit || [...this.#running].some((running) => conflicts(running.uses, candidate.task.uses))) {
        i += 1
        continue
      }
      this.#pending.splice(i, 1)
      this.#running.add(candidate.task)
      this.#taken += this.#placesOf(candidate.task)
      candidate.grant()
    }
  }
}
