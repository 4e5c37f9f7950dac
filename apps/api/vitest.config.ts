import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: '@jam/api',
    include: ['test/**/*.test.ts'],
    maxWorkers: 3,
    globalSetup: ['@jam/testing/global-setup'],
    setupFiles: ['@jam/testing/setup-timeouts', '@jam/testing/cpu-log'],
    // A test opens a migrated PGlite (copied from the run's template) or starts the built API.
    provide: { typicalWork: { pgliteOpens: 2, cliRuns: 2 } },
  },
});
