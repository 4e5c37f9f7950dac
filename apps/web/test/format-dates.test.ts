import { describe, expect, it } from 'vitest';
import { formatProgramDates } from '../src/programs/format-dates.js';

describe('formatProgramDates', () => {
  it('shows a range when both dates are known', () => {
    expect(
      formatProgramDates({
        startsAt: '2026-01-10T09:00:00.000Z',
        endsAt: '2026-02-20T18:00:00.000Z',
      }),
    ).toBe('10 Jan 2026 – 20 Feb 2026');
  });

  it('shows the start alone when the end is not announced', () => {
    expect(formatProgramDates({ startsAt: '2026-01-10T09:00:00.000Z', endsAt: null })).toBe(
      'From 10 Jan 2026',
    );
  });

  it('shows the end alone when the start is not announced', () => {
    expect(formatProgramDates({ startsAt: null, endsAt: '2026-02-20T18:00:00.000Z' })).toBe(
      'Until 20 Feb 2026',
    );
  });

  it('says the dates are to be announced when neither is known', () => {
    expect(formatProgramDates({ startsAt: null, endsAt: null })).toBe('Dates to be announced');
  });
});
