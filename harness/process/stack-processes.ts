import { rmSync } from 'node:fs'
import type { ManagedProcess } from './process-group.ts'

/**
 * The processes of one stack, in the order they were started. `stop` stops
 * them in reverse (the edge first, so nothing new reaches a dying app) and
 * removes the stack's folder unless it is to be kept.
 */
export class StackProcesses {
  readonly list: ManagedProcess[] = []
  readonly #dir: string
  readonly #keepDir: boolean

  constructor(dir: string, keepDir = false) {
    this.#dir = dir
    this.#keepDir = keepDir
  }

  add(child: ManagedProcess): ManagedProcess {
    this.list.push(child)
    return child
  }

  async stop(): Promise<void> {
    for (const child of [...this.list].reverse()) await child.stop()
    this.list.length = 0
    if (!this.#keepDir) rmSync(this.#dir, { recursive: true, force: true })
  }
}
