// Writes the published JSON Schemas from the zod schemas they describe:
//   schemas/profile.schema.json  what a profile may say (as written: defaults optional)
//   schemas/report.schema.json   what report.json says
// `npm run schemas` (and `npm run build`) rewrites them; test/unit/json-schemas.test.ts
// fails when the committed files differ from what this produces.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { z } from 'zod'
import { profileSchema } from '../harness/profile/schema.ts'
import { reportSchema } from '../reports/report-schema.ts'

export const SCHEMAS_DIR = fileURLToPath(new URL('../schemas/', import.meta.url))

/** File name → its text, as committed. */
export function jsonSchemaFiles(): Record<string, string> {
  const render = (schema: object) => JSON.stringify(schema, null, 2) + '\n'
  return {
    // What a user writes: keys with defaults are optional. Refinements a JSON Schema cannot say (threshold
    // expressions, migrated keys) are checked when the profile loads, with messages naming the key.
    'profile.schema.json': render({
      ...z.toJSONSchema(profileSchema, { io: 'input', unrepresentable: 'any', reused: 'ref' }),
      title: 'layercheck profile',
      description: 'A target profile (layercheck.config.json): what the deployment documents. Every object is closed: a misspelt key is an error.',
    }),
    'report.schema.json': render(z.toJSONSchema(reportSchema, { io: 'output', reused: 'ref' })),
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const [name, text] of Object.entries(jsonSchemaFiles())) {
    writeFileSync(join(SCHEMAS_DIR, name), text)
    process.stdout.write(`wrote schemas/${name}\n`)
  }
}
