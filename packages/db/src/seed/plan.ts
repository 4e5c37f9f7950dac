import { getTableName } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import {
  apiTokens,
  mentorships,
  programs,
  projects,
  quests,
  userQuests,
  users,
} from '../schema/index.js';
import { demoTokenRows } from './demo-tokens.js';
import {
  mentorshipsOf,
  programAt,
  programCount,
  projectsOf,
  questsOf,
  userAt,
  userQuestsOf,
} from './generated-data.js';

/**
 * What the seed writes, table by table in foreign-key order. A step walks
 * `units` (users or programs) and asks each for its rows, so progress is known
 * before the rows are, and no table is ever held in memory whole.
 */
export interface SeedStep<Table extends PgTable = PgTable> {
  table: Table;
  name: string;
  units: number;
  rowsOf(unit: number): Table['$inferSelect'][];
}

const step = <Table extends PgTable>(
  table: Table,
  units: number,
  rowsOf: (unit: number) => Table['$inferSelect'][],
): SeedStep => ({ table, name: getTableName(table), units, rowsOf }) as unknown as SeedStep;

export function seedPlan(scale: number): SeedStep[] {
  const programTotal = programCount(scale);
  return [
    step(users, scale, (i) => [userAt(i)]),
    step(apiTokens, demoTokenRows.length, (i) => [demoTokenRows[i]!]),
    step(programs, programTotal, (j) => [programAt(j)]),
    step(quests, programTotal, questsOf),
    step(userQuests, scale, userQuestsOf),
    step(projects, scale, projectsOf),
    step(mentorships, scale, mentorshipsOf),
  ];
}
