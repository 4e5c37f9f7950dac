import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    'schema/index': 'src/schema/index.ts',
    types: 'src/types.ts',
    cli: 'src/cli/run.ts',
  },
  format: ['esm'],
  target: 'node20',
  platform: 'node',
  dts: {
    entry: { index: 'src/index.ts', 'schema/index': 'src/schema/index.ts', types: 'src/types.ts' },
  },
  splitting: true,
  clean: true,
  sourcemap: true,
});
