import { defineConfig } from 'vitest/config';

/**
 * `pnpm test` runs every workspace's tests in this one vitest process, so at
 * most three test files run at a time on the whole machine (two cores; the
 * tests mostly wait on child processes, servers and PostgreSQL) instead of
 * several per workspace; each project keeps its own config and the same cap.
 */
export default defineConfig({
  test: {
    projects: ['packages/db', 'apps/api', 'apps/web/vite.config.ts', 'tooling/testing'],
    maxWorkers: 3,
  },
});
