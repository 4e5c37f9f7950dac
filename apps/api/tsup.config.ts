import { defineConfig } from 'tsup';

export default defineConfig([
  {
    entry: { server: 'src/server.ts' },
    format: ['esm'],
    target: 'node20',
    platform: 'node',
    clean: true,
    sourcemap: true,
  },
  {
    // Declarations only, for the web app's typed client; nothing here runs.
    entry: { 'app-type': 'src/app-type.ts' },
    format: ['esm'],
    platform: 'node',
    dts: { only: true },
  },
]);
