import { describe, expect, it } from 'vitest';
import {
  formatDateTime,
  formatDay,
  formatDayRange,
  formatProgramDates,
} from '../src/dates/format-dates.js';

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

describe('formatDay', () => {
  it('shows a timestamp as its UTC day', () => {
    expect(formatDay('2035-12-14T00:00:00.000Z')).toBe('14 Dec 2035');
    // Late in the evening west of Greenwich is already the next day in UTC.
    expect(formatDay('2026-06-15T23:30:00.000-05:00')).toBe('16 Jun 2026');
  });

  it('shows a plain YYYY-MM-DD day (a session note) in the same format', () => {
    expect(formatDay('2026-06-15')).toBe('15 Jun 2026');
  });

  it('shows a dash for a date not set or not a date', () => {
    expect(formatDay(null)).toBe('–');
    expect(formatDay(undefined)).toBe('–');
    expect(formatDay('not a date')).toBe('–');
  });
});

describe('formatDateTime', () => {
  it('shows the day as everywhere else, then the minute in UTC', () => {
    expect(formatDateTime('2026-06-15T12:03:59.123Z')).toBe('15 Jun 2026, 12:03 UTC');
  });

  it('shows a dash for a time not recorded', () => {
    expect(formatDateTime(null)).toBe('–');
    expect(formatDateTime('not a date')).toBe('–');
  });
});

describe('formatDayRange', () => {
  it('joins two days with a spaced dash', () => {
    expect(formatDayRange('2025-01-06T00:00:00.000Z', '2035-12-14T00:00:00.000Z')).toBe(
      '6 Jan 2025 – 14 Dec 2035',
    );
  });

  it('says which side is open when one day is missing', () => {
    expect(formatDayRange(null, '2035-12-14T00:00:00.000Z')).toBe('Until 14 Dec 2035');
    expect(formatDayRange('2025-01-06T00:00:00.000Z', null)).toBe('From 6 Jan 2025');
  });
});

describe('one format everywhere', () => {
  it('writes the same day the same way in a day, a time and a range', () => {
    const iso = '2031-03-03T00:00:00.000Z';
    const day = formatDay(iso);
    expect(formatDateTime(iso).startsWith(day)).toBe(true);
    expect(formatDayRange(iso, iso)).toBe(`${day} – ${day}`);
    expect(day).toMatch(/^\d{1,2} [A-Z][a-z]{2} \d{4}$/);
  });
});
