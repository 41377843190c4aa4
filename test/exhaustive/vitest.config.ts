import { defineConfig } from 'vitest/config';

/** `npm run test:exhaustive`: every single-byte change of a bundle, the tree against RFC 6962 for every size to 2,048, fuzzing. */
export default defineConfig({
  test: {
    include: ['src/**/*.exhaustive.test.ts'],
    setupFiles: ['test/no-network.ts'],
    globalSetup: ['test/global-setup.ts'],
    env: { OFFBOARD_OUTBOUND_ALLOW: '127.0.0.1' },
    reporters: ['default', './test/summary-reporter.ts'],
    maxWorkers: 2,
    testTimeout: 300_000,
    hookTimeout: 120_000,
  },
});
