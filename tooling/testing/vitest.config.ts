import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: '@jam/testing',
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    // The same cap as every project: vitest runs projects with one cap in one pool.
    maxWorkers: 3,
  },
});
