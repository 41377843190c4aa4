import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    setupFiles: ['test/no-network.ts'],
    reporters: ['default', './test/summary-reporter.ts'],
  },
});
