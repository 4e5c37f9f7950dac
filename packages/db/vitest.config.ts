import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: '@jam/db',
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    // Tests mostly wait on child processes, servers and PostgreSQL: three files at a time keep
    // two cores busy. `pnpm test` runs every project in one vitest; all projects share this cap.
    maxWorkers: 3,
    // The workers open PGlite for assertions: as in the CLI (src/cli/run.ts), V8's optimising
    // compile of its WebAssembly costs more than a test file gains from it.
    execArgv: ['--liftoff-only'],
    globalSetup: ['@jam/testing/global-setup'],
    setupFiles: ['@jam/testing/setup-timeouts', '@jam/testing/cpu-log'],
    // Timeouts follow from this (priced by the global setup); heavier tests pass their own budget.
    provide: { typicalWork: { cliRuns: 6 } },
  },
});
