import { defineConfig } from 'vitest/config';

/**
 * `pnpm test` runs every workspace's tests in this one vitest process, so at
 * most two test files run at a time on the whole machine (two cores) instead
 * of two per workspace; each project keeps its own config.
 */
export default defineConfig({
  test: {
    projects: ['packages/db', 'apps/api', 'apps/web/vite.config.ts', 'tooling/testing'],
    maxWorkers: 2,
  },
});
