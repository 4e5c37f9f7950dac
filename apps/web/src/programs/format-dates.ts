// A fixed locale and UTC, so every visitor and every test sees the same text.
const dateFormat = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  timeZone: 'UTC',
});

/** "10 Jan 2026 – 20 Feb 2026", or as much of it as the program has announced. */
export function formatProgramDates(program: {
  startsAt: string | null;
  endsAt: string | null;
}): string {
  const startsAt = program.startsAt ? new Date(program.startsAt) : null;
  const endsAt = program.endsAt ? new Date(program.endsAt) : null;
  // Joined by hand: ICU's formatRange spacing differs between Node and browser versions.
  if (startsAt && endsAt) return `${dateFormat.format(startsAt)} – ${dateFormat.format(endsAt)}`;
  if (startsAt) return `From ${dateFormat.format(startsAt)}`;
  if (endsAt) return `Until ${dateFormat.format(endsAt)}`;
  return 'Dates to be announced';
}

/** "14 Dec 2035", or a dash for a date not set. */
export const formatDay = (iso: string | null): string =>
  iso ? dateFormat.format(new Date(iso)) : '–';
