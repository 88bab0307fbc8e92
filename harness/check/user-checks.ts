// A user's own checks: the files a profile's `checks.include` names, each exporting checks
// made with `defineCheck`. They are found and vetted once by the run (so `--only`, the dry run
// and `list` know them), then imported again by the suite worker that runs them, with the same
// evidence, attribution and reports as the built-in checks.
import { extname, relative } from 'node:path'
import { pathToFileURL } from 'node:url'
import { glob } from 'tinyglobby'
import type { CheckLayer, Severity } from '../model/check-result.ts'
import { CHECK_LAYERS, SEVERITIES } from '../model/check-result.ts'
import { ProfileError } from '../profile/profile-error.ts'
import type { CheckDefinition } from './define-check.ts'

const CHECK_FILE_EXTENSIONS = ['.ts', '.mts', '.js', '.mjs']

/** The files the patterns name, relative to `baseDir` (the profile's directory): absolute, sorted, each once. */
export async function findUserCheckFiles(patterns: readonly string[], baseDir: string): Promise<string[]> {
  const problems: string[] = []
  const files = new Set<string>()
  for (const pattern of patterns) {
    const found = await glob(pattern, { cwd: baseDir, absolute: true, onlyFiles: true, ignore: ['**/node_modules/**'], expandDirectories: false })
    const usable = found.filter((file) => CHECK_FILE_EXTENSIONS.includes(extname(file)))
    if (!usable.length) {
      const others = found.length ? ` (only ${found.slice(0, 3).map((f) => relative(baseDir, f)).join(', ')}: check files end in ${CHECK_FILE_EXTENSIONS.join(', ')})` : ''
      problems.push(`checks.include: "${pattern}" matches no check file under ${baseDir}${others}`)
    }
    for (const file of usable) files.add(file)
  }
  if (problems.length) throw new ProfileError('checks.include', problems)
  return [...files].sort()
}

const isCheck = (value: unknown): value is CheckDefinition =>
  typeof value === 'object' && value !== null && typeof (value as CheckDefinition).id === 'string' && typeof (value as CheckDefinition).run === 'function'

/** What makes a user's check unusable: each problem names the file and the check. */
function shapeProblems(check: CheckDefinition, where: string): string[] {
  const problems: string[] = []
  const at = `${where}: check "${check.id}"`
  if (!/^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(check.id)) problems.push(`${at}: the id must be dotted kebab-case, e.g. "orders.create.201"`)
  if (typeof check.title !== 'string' || !check.title.trim()) problems.push(`${at}: give it a title (one sentence: what must hold)`)
  if (!Number.isInteger(check.step) || check.step < 1 || check.step > 15) problems.push(`${at}: step must be a lifecycle step from 1 (DNS) to 15 (handler), got ${JSON.stringify(check.step)}`)
  if (!CHECK_LAYERS.includes(check.layer as CheckLayer)) problems.push(`${at}: layer must be one of ${CHECK_LAYERS.join(', ')}, got ${JSON.stringify(check.layer)}`)
  if (!SEVERITIES.includes(check.severity as Severity)) problems.push(`${at}: severity must be one of ${SEVERITIES.join(', ')}, got ${JSON.stringify(check.severity)}`)
  if (typeof check.spec !== 'string') problems.push(`${at}: spec must say what the check holds the target to (an RFC section, your API contract)`)
  return problems
}

/**
 * Imports the files and returns their checks in file order (a file's default export first, then its
 * named exports; an export may be one check or an array of them). Throws ProfileError, naming each file,
 * when a file does not load, exports no check, or a check is malformed or reuses an id.
 */
export async function importUserChecks(files: readonly string[], takenIds: ReadonlySet<string> = new Set()): Promise<CheckDefinition[]> {
  const problems: string[] = []
  const checks: CheckDefinition[] = []
  const origin = new Map<string, string>()
  for (const file of files) {
    let exported: Record<string, unknown>
    try {
      exported = await import(pathToFileURL(file).href) as Record<string, unknown>
    } catch (error) {
      problems.push(`${file}: cannot be loaded: ${(error as Error).message.split('\n')[0]}`)
      continue
    }
    const names = ['default', ...Object.keys(exported).filter((name) => name !== 'default').sort()]
    const found = names.flatMap((name) => [exported[name]].flat()).filter(isCheck)
    if (!found.length) problems.push(`${file}: exports no check; export the result of defineCheck({ … }) (default or named)`)
    for (const check of new Set(found)) {
      problems.push(...shapeProblems(check, file))
      if (takenIds.has(check.id)) problems.push(`${file}: check "${check.id}": a built-in check has this id; give yours another`)
      else if (origin.has(check.id)) problems.push(`${file}: check "${check.id}": ${origin.get(check.id)} has a check with this id too`)
      origin.set(check.id, file)
      checks.push(check)
    }
  }
  if (problems.length) throw new ProfileError('checks.include', problems)
  return checks
}
