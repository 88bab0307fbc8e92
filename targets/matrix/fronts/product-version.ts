import { spawnSync } from 'node:child_process'

/**
 * Asks a binary for its version once (`nginx -v` prints it on stderr, others on
 * stdout) and picks it out of the banner with `pattern`'s first group.
 */
export function productVersion(binary: string, args: readonly string[], pattern: RegExp): () => string {
  let cached: string | undefined
  return () => {
    if (cached !== undefined) return cached
    const run = spawnSync(binary, args, { encoding: 'utf8', timeout: 5000 })
    const banner = `${run.stdout ?? ''}${run.stderr ?? ''}`
    const found = pattern.exec(banner)?.[1]
    if (!found) throw new Error(`${binary} ${args.join(' ')}: no version in its output${run.error ? ` (${run.error.message})` : `: ${banner.trim().slice(0, 200)}`}`)
    cached = found
    return found
  }
}
