import { fileURLToPath } from 'node:url'
import { join } from 'node:path'

/**
 * Where this copy's code runs from: the TypeScript sources (the repository,
 * run with type stripping) or their build in dist/ (an installed package:
 * Node strips no types under node_modules). The build mirrors the sources'
 * folders, so only the root and the extension differ.
 */
const BUILT = !import.meta.url.endsWith('.ts')
export const CODE_ROOT = fileURLToPath(new URL('..', import.meta.url))

/** The package: package.json, and what is shipped beside the code (the reference app, the HTML report's assets). */
export const PROJECT_ROOT = BUILT ? join(CODE_ROOT, '..') : CODE_ROOT

/** A module of ours to hand to a process or to vitest, by its path without extension: `harness/capture/capture-server`. */
export function codeModule(path: string): string {
  return join(CODE_ROOT, `${path}${BUILT ? '.js' : '.ts'}`)
}

/** What scripts/setup.sh installed. */
export const STATE_DIR = join(PROJECT_ROOT, '.layercheck')
export const VENV_BIN = join(PROJECT_ROOT, '.venv', 'bin')
export const TOXIPROXY_SERVER = join(STATE_DIR, 'bin', 'server')
export const CERTS_DIR = join(STATE_DIR, 'certs')
export const STACKS_DIR = join(STATE_DIR, 'stacks')
