import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: '@jam/db',
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    // Two files at a time on two cores; `pnpm test` runs every project in one vitest with this cap.
    maxWorkers: 2,
    globalSetup: ['@jam/testing/global-setup'],
    setupFiles: ['@jam/testing/setup-timeouts'],
    // Timeouts follow from this (priced by the global setup); heavier tests pass their own budget.
    provide: { typicalWork: { cliRuns: 6 } },
  },
});
