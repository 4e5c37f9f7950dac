import { describe, expect, it } from 'vitest';
import { svgDataUrl } from '../src/schema/diagram-url.js';
import { migrationRows } from '../src/schema/migration-rows.js';

describe('svgDataUrl', () => {
  it('encodes the markup so it reads back unchanged', () => {
    const svg = '<svg xmlns="http://www.w3.org/2000/svg"><text>a & b #1 100%</text></svg>';
    const url = svgDataUrl(svg);
    expect(url.startsWith('data:image/svg+xml;charset=utf-8,')).toBe(true);
    expect(url).not.toMatch(/[<>"#]/);
    expect(decodeURIComponent(url.slice(url.indexOf(',') + 1))).toBe(svg);
  });
});

describe('migrationRows', () => {
  it('lists the applied migrations in the order they ran, then the pending ones', () => {
    expect(
      migrationRows({
        applied: [
          { tag: '0000_baseline', appliedAt: '2026-01-10T09:00:00.000Z' },
          { tag: '0001_jam-001', appliedAt: null },
        ],
        pending: [{ tag: '0002_api-tokens' }],
        lastMigratedBy: '0.1.0',
      }),
    ).toEqual([
      { tag: '0000_baseline', state: 'applied', appliedAt: '10 Jan 2026, 09:00 UTC' },
      { tag: '0001_jam-001', state: 'applied', appliedAt: '–' },
      { tag: '0002_api-tokens', state: 'pending', appliedAt: '–' },
    ]);
  });
});
