import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // The multi-process load runs and the browser tests have their own commands: npm run test:load, test:e2e, test:verifier.
    exclude: ['test/load/**', 'test/e2e/**', 'test/verifier/**', '**/node_modules/**'],
    setupFiles: ['test/no-network.ts'],
    // The outbound guard refuses loopback; the tests' SMTP, chat and PSA servers listen there.
    env: { OFFBOARD_OUTBOUND_ALLOW: '127.0.0.1' },
    reporters: ['default', './test/summary-reporter.ts'],
    // Database and property tests on a 2-core CI machine shared with PostgreSQL: 5 s is too tight.
    testTimeout: 30_000,
  },
});
