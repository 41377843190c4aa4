import { defineConfig } from 'vitest/config';

/** `npm run test:load`: the multi-process runs on PostgreSQL (TEST_DATABASE_URL or the local server). */
export default defineConfig({
  test: {
    include: ['test/load/**/*.test.ts'],
    setupFiles: ['test/no-network.ts'],
    // The outbound guard refuses loopback; the tests' SMTP, chat and PSA servers listen there.
    env: { OFFBOARD_OUTBOUND_ALLOW: '127.0.0.1' },
    reporters: ['default', './test/summary-reporter.ts'],
    fileParallelism: false,
  },
});
