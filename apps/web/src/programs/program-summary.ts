import type { Program } from '@jam/db/types';

/** JSON has no dates: a Date column arrives as its ISO string. */
type OverJson<Row> = {
  [Key in keyof Row]: Date extends Row[Key] ? Exclude<Row[Key], Date> | string : Row[Key];
};

/** A program as GET /programs sends it: the row without its bookkeeping timestamps. */
export type ProgramSummary = OverJson<Omit<Program, 'createdAt' | 'updatedAt'>>;
