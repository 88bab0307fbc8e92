import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { TOXIPROXY_SERVER, VENV_BIN } from '../../harness/paths.ts'
import { UsageError } from '../../bin/usage-error.ts'

/** What scripts/setup.sh puts in place for the embedded stack; an installed package has none of it. */
const NEEDED: ReadonlyArray<readonly [what: string, path: string]> = [
  ['nginx (Debian\'s package)', '/usr/sbin/nginx'],
  ['the Python venv with gunicorn, uvicorn and FastAPI', join(VENV_BIN, 'gunicorn')],
  ['the Toxiproxy server', TOXIPROXY_SERVER],
]

/** Refuses, in words, to start a stack whose parts are missing, rather than fail on the first spawn. */
export function assertStackPrerequisites(): void {
  const missing = NEEDED.filter(([, path]) => !existsSync(path))
  if (missing.length === 0) return
  // Usage, not a harness fault: the run was asked for a stack this installation does not have.
  throw new UsageError(
    `the embedded reference stack cannot start: missing ${missing.map(([what, path]) => `${what} (${path})`).join(', ')}. ` +
    'It is set up by scripts/setup.sh in a clone of the layercheck repository (Debian, as root). ' +
    'To check your own deployment, give --target <url> or --config <profile>.',
  )
}
