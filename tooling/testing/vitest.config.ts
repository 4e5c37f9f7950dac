import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: '@jam/testing',
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
  },
});
