import { defineConfig } from 'vitest/config'

// The conformance suites. `npx vitest run` starts the embedded reference stack
// (or uses the profile in LAYERCHECK_PROFILE_FILE) in the global setup, and
// every suite file shares it. Fault checks disturb the target for everyone, so
// they are a project of their own that runs after the others (groupOrder).
// Built into dist/ (an installed package), this file and the suites are .js.
const ext = import.meta.url.endsWith('.ts') ? 'ts' : 'js'

// A profile's own checks (checks.include) run from suites/custom/, a project that exists only when
// the run found some (LAYERCHECK_USER_CHECKS_FILE): with none, its file would register no test.
const userChecks = process.env.LAYERCHECK_USER_CHECKS_FILE !== undefined

export default defineConfig({
  // Their `import … from 'layercheck'` is this running copy, whatever their directory holds (or lacks).
  resolve: { alias: [{ find: /^layercheck$/, replacement: new URL(`harness/index.${ext}`, import.meta.url).pathname }] },
  test: {
    globalSetup: [`bin/run/global-setup.${ext}`],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // One suite file at a time, so no check escapes its file's scheduler (harness/check/check-scheduler.ts):
    // within a file the scheduler overlaps checks that do not conflict, run.concurrency at most; vitest's own
    // cap on concurrent tests is set above any file's count so it never decides the order.
    fileParallelism: false,
    maxConcurrency: 200,
    projects: [
      {
        extends: true,
        test: { name: 'conformance', include: [`suites/**/*.test.${ext}`], exclude: ['suites/faults/**', 'suites/custom/**'], sequence: { groupOrder: 1 } },
      },
      ...(userChecks ? [{
        extends: true,
        test: { name: 'custom', include: [`suites/custom/*.test.${ext}`], sequence: { groupOrder: 1 } },
      }] : []),
      {
        extends: true,
        test: { name: 'faults', include: [`suites/faults/**/*.test.${ext}`], sequence: { groupOrder: 2 } },
      },
    ],
  },
})
