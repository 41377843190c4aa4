import { defineConfig } from 'vitest/config';

/**
 * `npm run test:exhaustive`, the long suites: every single-byte change of a bundle, the tree against
 * RFC 6962 for every size to 2,048, fuzzing (`*.exhaustive.test.ts`), and the server killed with
 * kill -9 mid-stream (`*.slow.test.ts`).
 */
export default defineConfig({
  test: {
    include: ['src/**/*.exhaustive.test.ts', 'src/**/*.slow.test.ts'],
    setupFiles: ['test/no-network.ts'],
    globalSetup: ['test/global-setup.ts'],
    env: { OFFBOARD_OUTBOUND_ALLOW: '127.0.0.1' },
    reporters: ['default', './test/summary-reporter.ts'],
    maxWorkers: 2,
    testTimeout: 300_000,
    hookTimeout: 120_000,
  },
});
