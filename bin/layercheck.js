#!/usr/bin/env node
// Entry shim. layercheck runs on the project's own Node 24 (node@24 in
// devDependencies); when started by another Node (a bare `node` from PATH),
// re-run under the project's one instead of failing later in odd ways.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const major = Number(process.versions.node.split('.')[0])
if (major !== 24) {
  const own = fileURLToPath(new URL('../node_modules/node/bin/node', import.meta.url))
  if (!existsSync(own)) {
    console.error(`layercheck needs Node 24 (this is ${process.version}); run \`npm ci\` (or \`npm run setup\`) to install the project's own Node.`)
    process.exit(2)
  }
  const result = spawnSync(own, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit' })
  process.exit(result.status ?? (result.signal === 'SIGINT' ? 130 : 1))
}

const { main } = await import('./cli.ts')
process.exitCode = await main(process.argv)
