import { readFile } from 'node:fs/promises'
import { extname, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { z } from 'zod'
import { profileSchema, type Profile } from './schema.ts'
import { ProfileError } from './profile-error.ts'
import { migrateProfile } from './migrate-profile.ts'

function describeIssue(issue: z.core.$ZodIssue): string {
  const key = issue.path.length ? issue.path.join('.') : '(top level)'
  if (issue.code === 'unrecognized_keys') {
    const where = issue.path.length ? `${key}: ` : ''
    return `${where}unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}: remove ${issue.keys.length > 1 ? 'them' : 'it'} or check the spelling`
  }
  if (issue.code === 'invalid_type' && (issue as { input?: unknown }).input === undefined) return `${key}: required (expected ${issue.expected})`
  if (issue.code === 'invalid_type') return `${key}: expected ${issue.expected}, got ${describeValue((issue as { input?: unknown }).input)}`
  return `${key}: ${issue.message}`
}

function describeValue(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`
  return `${typeof value} ${typeof value === 'object' ? '' : JSON.stringify(value)}`.trim()
}

const printNotice = (line: string) => process.stderr.write(`${line}\n`)

// What each parsed profile was written as, before defaults: whether a key is documented or defaulted.
const inputs = new WeakMap<object, unknown>()

/** The profile as written (after migration), before the schema's defaults; undefined for a profile not made by parseProfile. */
export const writtenInput = (profile: Readonly<Profile>): unknown => inputs.get(profile)

/** Whether the profile's author wrote this key (dotted: `probes.healthPath`), rather than taking its default. */
export function isDocumented(profile: Readonly<Profile>, key: string): boolean {
  let value = inputs.get(profile)
  for (const part of key.split('.')) value = value && typeof value === 'object' ? (value as Record<string, unknown>)[part] : undefined
  return value !== undefined
}

/**
 * Validates at the edge, once; inside, everything trusts the frozen result.
 * Keys from an older profile layout are read from their old place, with a notice saying where they live now.
 */
export function parseProfile(input: unknown, source = 'profile', notify: (line: string) => void = printNotice): Readonly<Profile> {
  const migration = migrateProfile(input)
  const result = profileSchema.safeParse(migration.input, { reportInput: true })
  const problems = [...migration.problems, ...(result.success ? [] : result.error.issues.map(describeIssue))]
  if (problems.length || !result.success) throw new ProfileError(source, problems)
  for (const notice of migration.notices) notify(`${source}: ${notice}`)
  // A JSON profile's "$schema" is for editors: validated as a string, then dropped.
  const { $schema: _editorSchema, ...data } = result.data
  const profile = deepFreeze(data)
  inputs.set(profile, migration.input)
  return profile
}

export async function loadProfileFile(file: string): Promise<Readonly<Profile>> {
  const absolute = resolve(file)
  let input: unknown
  try {
    if (['.ts', '.mts', '.js', '.mjs'].includes(extname(absolute))) {
      const module = await import(pathToFileURL(absolute).href)
      input = module.default
      if (input === undefined) throw new ProfileError(file, ['(top level): the file has no default export; write `export default defineConfig({ … })`'])
    } else {
      const text = await readFile(absolute, 'utf8')
      try {
        input = JSON.parse(text)
      } catch (error) {
        throw new ProfileError(file, [`(file): not valid JSON: ${(error as Error).message}`])
      }
    }
  } catch (error) {
    if (error instanceof ProfileError) throw error
    const code = (error as NodeJS.ErrnoException).code
    const reason = code === 'ENOENT' ? 'no such file'
      : code === 'EACCES' ? 'permission denied'
      : code === 'EISDIR' ? 'it is a directory'
      : code === 'ERR_MODULE_NOT_FOUND' ? `it imports a module that cannot be found (${(error as Error).message.split('\n')[0]})`
      : (error as Error).message.split('\n')[0]
    throw new ProfileError(file, [`(file): cannot read the profile: ${reason}`])
  }
  return parseProfile(input, file)
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner)
    Object.freeze(value)
  }
  return value
}
