/// <reference types="vitest/config" />
import react from '@vitejs/plugin-react';
import { defineConfig, type ProxyOptions } from 'vite';

const apiUrl = process.env.API_URL ?? `http://localhost:${process.env.API_PORT ?? '3000'}`;

/** The browser calls /api/…; the API itself serves its routes at the root. */
export const apiProxy = (target: string): Record<string, ProxyOptions> => ({
  '/api': { target, rewrite: (path) => path.replace(/^\/api/, '') },
});

export default defineConfig({
  plugins: [react()],
  server: { proxy: apiProxy(apiUrl) },
  preview: { proxy: apiProxy(apiUrl) },
  test: {
    name: '@jam/web',
    environment: 'node',
    include: ['test/**/*.test.ts'],
    maxWorkers: 3,
    globalSetup: ['@jam/testing/global-setup'],
    setupFiles: ['@jam/testing/setup-timeouts', '@jam/testing/cpu-log'],
    // The browser test: two CLI runs, the built API, a preview server and Chromium.
    provide: { typicalWork: { cliRuns: 4 } },
  },
});
