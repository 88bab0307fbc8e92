import { defaultServerConditions } from 'vite'
import { defineConfig } from 'vitest/config'

// The project's own tests: unit tests, and integration tests that start the
// reference stack and its broken variants. The benchmark tests load both cores
// flat out for half a minute, which would stretch the timing windows other
// tests judge (504 after the read timeout, idle keep-alive closes): they are a
// project of their own that runs after everything else (groupOrder).
const BENCH_TESTS = ['test/integration/bench.test.ts', 'test/integration/cli-bench.test.ts']

export default defineConfig({
  // A profile's `import 'layercheck'` loads the sources, as the repository's launcher has it
  // (package.json's `layercheck-source` condition), never a stale or missing dist/.
  ssr: { resolve: { conditions: ['layercheck-source', ...defaultServerConditions], externalConditions: ['layercheck-source'] } },
  test: {
    root: new URL('..', import.meta.url).pathname,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Every report.json the tests write is checked against the published schema at the end.
    globalSetup: ['./test/support/report-audit.ts'],
    reporters: ['default', './test/support/plain-summary-reporter.ts'],
    projects: [
      { extends: true, test: { name: 'project', include: ['test/**/*.test.ts'], exclude: BENCH_TESTS, sequence: { groupOrder: 1 } } },
      { extends: true, test: { name: 'bench', include: BENCH_TESTS, sequence: { groupOrder: 2 } } },
    ],
  },
})
