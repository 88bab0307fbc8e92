import { readFileSync } from 'node:fs'
import type { TestProject } from 'vitest/node'
import { RUN_STARTED_ENV, SELECTION_ENV, USER_CHECKS_ENV } from '../../harness/check/describe-checks.ts'
import { referenceProfile } from '../../targets/nginx-fastapi/profile.ts'
import { startReferenceStack, TOKEN_ENV } from '../../targets/nginx-fastapi/stack.ts'

/**
 * One target for every suite file. `layercheck run` hands over the resolved
 * profile in LAYERCHECK_PROFILE_FILE; plain `npx vitest` gets the embedded
 * reference stack, started here and stopped in teardown.
 */
export default async function setup(project: TestProject) {
  // Each check's startedMs and endedMs count from the run's start: `layercheck run` says when; plain vitest, now (once for every project).
  process.env[RUN_STARTED_ENV] ??= String(Date.now())
  project.provide('layercheckRunStartedAt', Number(process.env[RUN_STARTED_ENV]))
  // `run --only`: the ids of the selected checks (describeChecks registers those alone).
  const selection = process.env[SELECTION_ENV]
  if (selection) project.provide('layercheckSelection', JSON.parse(readFileSync(selection, 'utf8')) as string[])
  // The profile's own checks (checks.include), as the run found them: absolute file paths.
  const userChecks = process.env[USER_CHECKS_ENV]
  project.provide('layercheckUserChecks', userChecks ? JSON.parse(readFileSync(userChecks, 'utf8')) as string[] : [])
  const file = process.env.LAYERCHECK_PROFILE_FILE
  if (file) {
    project.provide('layercheckProfile', JSON.parse(readFileSync(file, 'utf8')))
    return
  }
  const stack = await startReferenceStack()
  process.env[TOKEN_ENV.user] = stack.tokens.user
  process.env[TOKEN_ENV.admin] = stack.tokens.admin
  project.provide('layercheckProfile', referenceProfile(stack))
  return async () => {
    await stack.stop()
  }
}
