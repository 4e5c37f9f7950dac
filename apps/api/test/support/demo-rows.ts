/** The ids the seed gives its demo rows (see packages/db/src/seed/demo-data.ts): table number, row number. */
const demoId = (table: number, row: number) =>
  `5eed000${table}-0000-4000-8000-${String(row).padStart(12, '0')}`;

export const userId = (n: number) => demoId(1, n);
export const programId = (n: number) => demoId(2, n);
export const questId = (program: number, slot: number) => demoId(3, program * 64 + slot);
export const mentorshipId = (n: number) => demoId(6, n);
/** An id no seeded row has. */
export const missingId = '00000000-0000-4000-8000-00000000dead';

/** A fixed "now": the evergreen quests are open, Summer Hack 2024 is over, Spring Build 2031 not begun. */
export const fixedNow = new Date('2026-06-15T12:00:00.000Z');
