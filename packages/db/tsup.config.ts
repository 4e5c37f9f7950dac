import { defineConfig, type Options } from 'tsup';

const shared: Options = {
  format: ['esm'],
  target: 'node20',
  platform: 'node',
  splitting: true,
  sourcemap: true,
};

export default defineConfig([
  {
    ...shared,
    entry: {
      index: 'src/index.ts',
      'schema/index': 'src/schema/index.ts',
      types: 'src/types.ts',
    },
    dts: true,
  },
  {
    ...shared,
    // The CLI is started once per deploy step; node-postgres's many small CommonJS
    // files cost more to resolve than to run, so the CLI carries them bundled.
    entry: { cli: 'src/cli/run.ts' },
    outDir: 'dist/cli',
    noExternal: [/^pg($|-)/, /^pgpass$/, /^postgres-/, /^split2$/],
    external: ['pg-native', 'pg-cloudflare'],
    banner: {
      js: "import { createRequire as __jamCreateRequire } from 'node:module'; const require = __jamCreateRequire(import.meta.url);",
    },
  },
]);
