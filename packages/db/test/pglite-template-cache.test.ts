import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { installedPgliteVersion } from '../src/engines/pglite/template.js';

describe('the cached empty PGlite cluster', () => {
  it('is keyed by the installed PGlite version, not by what package.json names (a pnpm catalog entry)', () => {
    const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
    const manifest = JSON.parse(readFileSync(join(dirname(entry), '..', 'package.json'), 'utf8'));
    expect(installedPgliteVersion()).toBe(manifest.version);
    expect(installedPgliteVersion()).toMatch(/^\d+\.\d+\.\d+/);
  });
});
