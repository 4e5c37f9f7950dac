/**
 * Seeded dates are fixed, never "now", so the same command gives the same rows
 * on any day. Open windows of the demo programs stretch over years, so the demo
 * stays usable long after it was written.
 */
export const dayMs = 86_400_000;

export const utcDay = (iso: string): Date => new Date(`${iso}T00:00:00.000Z`);

export const addDays = (date: Date, days: number): Date => new Date(date.getTime() + days * dayMs);

/** The moment generated statuses are judged against (what is "past" in the data set). */
export const seedReferenceDate = utcDay('2026-11-01');

/** Generated programs start between this day and nine years later. */
export const firstGeneratedProgramDay = utcDay('2024-01-01');
