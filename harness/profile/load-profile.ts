import { readFile } from 'node:fs/promises'
import { extname, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { z } from 'zod'
import { profileSchema, type Profile } from './schema.ts'
import { ProfileError } from './profile-error.ts'

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

/** Validates at the edge, once; inside, everything trusts the frozen result. */
export function parseProfile(input: unknown, source = 'profile'): Readonly<Profile> {
  const result = profileSchema.safeParse(input, { reportInput: true })
  if (!result.success) throw new ProfileError(source, result.error.issues.map(describeIssue))
  return deepFreeze(result.data)
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
