import { existsSync } from 'node:fs'
import { join, relative } from 'node:path'

/** The names `layercheck run` looks for in the working directory, in this order (the first found wins). */
export const CONFIG_NAMES = ['layercheck.config.ts', 'layercheck.config.mts', 'layercheck.config.js', 'layercheck.config.mjs', 'layercheck.config.json'] as const

export interface DiscoveredConfig {
  /** The file used, relative to the working directory (`./layercheck.config.ts`). */
  file: string
  /** Other candidates present and not used. */
  ignored: string[]
}

/**
 * The profile in `dir` (the working directory), when neither --config nor --target is given.
 * Only that directory: no walking up, so a run never picks up a parent project's profile.
 */
export function discoverConfig(dir: string = process.cwd()): DiscoveredConfig | undefined {
  const found = CONFIG_NAMES.filter((name) => existsSync(join(dir, name)))
  if (!found.length) return undefined
  const shown = (name: string) => `./${relative(dir, join(dir, name))}`
  return { file: shown(found[0]!), ignored: found.slice(1).map(shown) }
}
