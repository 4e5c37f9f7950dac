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
    environment: 'node',
    include: ['test/**/*.test.ts'],
    // The browser test starts PGlite, the API, a preview server and Chromium.
    testTimeout: 60_000,
    hookTimeout: 90_000,
  },
});
