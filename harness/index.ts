// The public API for profiles and custom checks: `import { defineConfig } from 'layercheck'`.
export { defineConfig } from './profile/define-config.ts'
export type { ProfileInput, Profile } from './profile/schema.ts'
export { defineCheck } from './check/define-check.ts'
export type { CheckDefinition, CheckContext, Outcome, Got } from './check/define-check.ts'
export { expectResponse, allOf, header, jsonOf } from './check/expect-response.ts'
export type * from './model/check-result.ts'
