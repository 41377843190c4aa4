import { defineConfig } from 'vitest/config';

/** `npm run test:e2e`: the web app in headless Debian Chromium, against `offboard serve` on 127.0.0.1. */
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.test.ts'],
    setupFiles: ['test/no-network.ts'],
    // The outbound guard refuses loopback; the tests' SMTP, chat and PSA servers listen there.
    env: { OFFBOARD_OUTBOUND_ALLOW: '127.0.0.1' },
    reporters: ['default', './test/summary-reporter.ts'],
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
