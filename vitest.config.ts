import { defineConfig } from 'vitest/config'

// The conformance suites. `npx vitest run` starts the embedded reference stack
// (or uses the profile in LAYERCHECK_PROFILE_FILE) in the global setup, and
// every suite file shares it.
export default defineConfig({
  test: {
    include: ['suites/**/*.test.ts'],
    globalSetup: ['bin/run/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Checks within a file run in order (some read state others leave, e.g. rate limits).
    sequence: { concurrent: false },
  },
})
