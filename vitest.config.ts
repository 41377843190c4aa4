import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // The multi-process load runs, the browser tests and the long suites (exhaustive proofs, the
    // kill -9 crash test) have their own commands: npm run test:load, test:e2e, test:verifier, test:exhaustive.
    exclude: ['test/load/**', 'test/e2e/**', 'test/verifier/**', '**/*.exhaustive.test.ts', '**/*.slow.test.ts', '**/node_modules/**'],
    // Both cores: the files run two at a time.
    maxWorkers: 2,
    // A worker's files share one module graph: the server, the database engine and the test
    // fixtures load once per worker rather than once per file (a third of the run was imports).
    // Files keep to their own MSPs and databases, so they do not see each other.
    isolate: false,
    // Database setups on a busy 2-core machine: give them time rather than fail.
    hookTimeout: 120_000,
    setupFiles: ['test/no-network.ts'],
    globalSetup: ['test/global-setup.ts'],
    // The outbound guard refuses loopback; the tests' SMTP, chat and PSA servers listen there.
    env: { OFFBOARD_OUTBOUND_ALLOW: '127.0.0.1' },
    reporters: ['default', './test/summary-reporter.ts'],
    // Database and property tests on a 2-core CI machine shared with PostgreSQL: 5 s is too tight.
    testTimeout: 60_000,
  },
});
