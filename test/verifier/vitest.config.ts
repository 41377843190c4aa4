import { defineConfig } from 'vitest/config';

/** `npm run test:verifier`: the client's verifiers (Node 18 single file, the browser page) against `offboard verify`. */
export default defineConfig({
  test: {
    include: ['test/verifier/**/*.test.ts'],
    setupFiles: ['test/no-network.ts'],
    env: { OFFBOARD_OUTBOUND_ALLOW: '127.0.0.1' },
    reporters: ['default', './test/summary-reporter.ts'],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
