import { fileURLToPath } from 'node:url'
import { join } from 'node:path'

/** Where the project and what scripts/setup.sh installed live. */
export const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url))
export const STATE_DIR = join(PROJECT_ROOT, '.layercheck')
export const VENV_BIN = join(PROJECT_ROOT, '.venv', 'bin')
export const TOXIPROXY_SERVER = join(STATE_DIR, 'bin', 'server')
export const CERTS_DIR = join(STATE_DIR, 'certs')
export const STACKS_DIR = join(STATE_DIR, 'stacks')
