/**
 * Every date the app shows goes through this module, so one format reads the
 * same on every page: "15 Jun 2026", and "15 Jun 2026, 12:03 UTC" where the
 * time matters. A fixed locale and UTC, so every visitor and every test sees
 * the same text whatever their browser's language and time zone.
 */
const dayFormat = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  timeZone: 'UTC',
});

const notSet = '–';

/** An ISO timestamp, or a plain "YYYY-MM-DD" day; null for anything else. */
function parse(iso: string | null | undefined): Date | null {
  if (!iso) return null;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** "15 Jun 2026", or a dash for a date not set (or not a date). */
export function formatDay(iso: string | null | undefined): string {
  const date = parse(iso);
  return date ? dayFormat.format(date) : notSet;
}

/** "15 Jun 2026, 12:03 UTC": the day as everywhere else, then the minute. */
export function formatDateTime(iso: string | null | undefined): string {
  const date = parse(iso);
  if (!date) return notSet;
  return `${dayFormat.format(date)}, ${date.toISOString().slice(11, 16)} UTC`;
}

/** "10 Jan 2026 – 20 Feb 2026", or as much of it as is known. */
export function formatDayRange(
  from: string | null | undefined,
  until: string | null | undefined,
): string {
  const start = parse(from);
  const end = parse(until);
  // Joined by hand: ICU's formatRange spacing differs between Node and browser versions.
  if (start && end) return `${dayFormat.format(start)} – ${dayFormat.format(end)}`;
  if (start) return `From ${dayFormat.format(start)}`;
  if (end) return `Until ${dayFormat.format(end)}`;
  return 'Dates to be announced';
}

/** A program's run: "10 Jan 2026 – 20 Feb 2026", or as much as it has announced. */
export const formatProgramDates = (program: {
  startsAt: string | null;
  endsAt: string | null;
}): string => formatDayRange(program.startsAt, program.endsAt);
