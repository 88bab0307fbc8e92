import { defineConfig } from 'vitest/config'

// The conformance suites. `npx vitest run` starts the embedded reference stack
// (or uses the profile in LAYERCHECK_PROFILE_FILE) in the global setup, and
// every suite file shares it. Fault checks disturb the target for everyone, so
// they are a project of their own that runs after the others (groupOrder).
// Built into dist/ (an installed package), this file and the suites are .js.
const ext = import.meta.url.endsWith('.ts') ? 'ts' : 'js'

export default defineConfig({
  test: {
    globalSetup: [`bin/run/global-setup.${ext}`],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: { name: 'conformance', include: [`suites/**/*.test.${ext}`], exclude: ['suites/faults/**'], sequence: { groupOrder: 1 } },
      },
      {
        extends: true,
        test: { name: 'faults', include: [`suites/faults/**/*.test.${ext}`], sequence: { groupOrder: 2 } },
      },
    ],
  },
})
