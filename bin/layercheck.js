#!/usr/bin/env node
// The repository's launcher (the package's bin is the build, dist/bin/entry.js).
// From the sources, layercheck runs on the project's own Node 24 (node@24 in
// devDependencies), which strips their types; when started by another Node (a
// bare `node` from PATH), re-run under the project's one.
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import module from 'node:module'
import { constants } from 'node:os'
import { fileURLToPath } from 'node:url'

/** Set by the launcher in its child's environment: the launcher's pid, which the child watches. */
const LAUNCHER_ENV = 'LAYERCHECK_LAUNCHER_PID'
const INTERRUPTS = ['SIGINT', 'SIGTERM', 'SIGHUP']

const major = Number(process.versions.node.split('.')[0])
if (major !== 24) {
  const own = fileURLToPath(new URL('../node_modules/node/bin/node', import.meta.url))
  if (!existsSync(own)) {
    console.error(`layercheck needs Node 24 (this is ${process.version}); run \`npm ci\` (or \`npm run setup\`) to install the project's own Node.`)
    process.exit(2)
  }
  const child = spawn(own, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    stdio: 'inherit', env: { ...process.env, [LAUNCHER_ENV]: String(process.pid) },
  })
  // A supervisor (a service manager, a CI runner, `kill <pid>`) signals the
  // process it started, this one: pass the signal on and wait for the run's
  // interrupt phases. When the signal went to the whole group, the child got
  // its own copy too; it takes the repeat as the same interruption.
  for (const signal of INTERRUPTS) process.on(signal, () => child.kill(signal))
  child.on('error', (error) => {
    console.error(`layercheck: could not start ${own}: ${error.message}`)
    process.exit(2)
  })
  // The child's status as our own; a death by signal as the shell reports it, 128 + n.
  child.on('exit', (code, signal) => process.exit(code ?? 128 + (constants.signals[signal] ?? 0)))
} else {
  // A profile's `import { defineConfig } from 'layercheck'` (the package's
  // self-reference) resolves to these sources, not to a build in dist/ that
  // may be stale or missing: package.json exports them under this condition.
  // A user's check file outside the repository (checks.include) gets them too: its bare
  // 'layercheck' is this copy wherever the file lives, as the suite workers' alias has it.
  const source = new URL('../harness/index.ts', import.meta.url).href
  module.registerHooks({
    resolve: (specifier, context, next) => specifier === 'layercheck'
      ? { url: source, shortCircuit: true }
      : next(specifier, { ...context, conditions: [...context.conditions, 'layercheck-source'] }),
  })
  await import('./entry.ts')
}
