// Golden files: what people read is compared byte for byte with a file checked
// into test/reports/golden/. UPDATE_GOLDEN=1 rewrites them; review the diff.
import { readFile, writeFile } from 'node:fs/promises'
import { expect } from 'vitest'

const GOLDEN_DIR = new URL('./golden/', import.meta.url)

export async function expectGolden(name: string, actual: string): Promise<void> {
  const file = new URL(name, GOLDEN_DIR)
  if (process.env.UPDATE_GOLDEN === '1') {
    await writeFile(file, actual, 'utf8')
    return
  }
  const expected = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error
    throw new Error(`golden file test/reports/golden/${name} is missing: run the tests with UPDATE_GOLDEN=1 to write it`)
  })
  expect(actual, `output differs from test/reports/golden/${name} (UPDATE_GOLDEN=1 rewrites it)`).toBe(expected)
}
