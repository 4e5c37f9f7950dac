import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: '@jam/db',
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    // Tests mostly wait on child processes, servers and PostgreSQL: three files at a time keep
    // two cores busy. `pnpm test` runs every project in one vitest; all projects share this cap.
    maxWorkers: 3,
    globalSetup: ['@jam/testing/global-setup'],
    setupFiles: ['@jam/testing/setup-timeouts', '@jam/testing/cpu-log'],
    // Timeouts follow from this (priced by the global setup); heavier tests pass their own budget.
    provide: { typicalWork: { cliRuns: 6 } },
  },
});
