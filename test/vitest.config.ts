import { defineConfig } from 'vitest/config'

// The project's own tests: unit tests, and integration tests that start the
// reference stack and its broken variants.
export default defineConfig({
  test: {
    root: new URL('..', import.meta.url).pathname,
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    reporters: ['default', './test/support/plain-summary-reporter.ts'],
  },
})
