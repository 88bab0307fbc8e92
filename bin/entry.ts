#!/usr/bin/env node
// The `layercheck` command. Installed, its build (dist/bin/entry.js) is the
// package's bin and runs under the user's Node (22 or later); in the
// repository, bin/layercheck.js starts it from the sources under Node 24.
import { interruptWhenStarterGone, starterChain } from '../harness/process/starter-watch.ts'

/** Set by bin/layercheck.js (under this name) in its child's environment: the launcher's pid, which the run watches. */
const LAUNCHER_ENV = 'LAYERCHECK_LAUNCHER_PID'

// A go-between that dies without passing the interruption on (the launcher
// SIGKILLed, npm's `sh -c`): the run interrupts itself once it is gone.
const launcher = process.env[LAUNCHER_ENV]
delete process.env[LAUNCHER_ENV]
interruptWhenStarterGone(starterChain(launcher === undefined ? undefined : Number(launcher)))
// Loaded once the watch is on: the CLI's imports (vitest among them) take a while.
const { main } = await import('./cli.ts')
process.exitCode = await main(process.argv)
