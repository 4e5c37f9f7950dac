import type { Migration } from '../drizzle-kit/migration-folder.js';
import { planMigration } from './segments.js';
import { statementSummary } from './statements.js';
import type { SegmentProgress } from './tracking.js';

/** A migration applied in part, with the statement the next run starts at. */
export interface PartialMigration extends SegmentProgress {
  /** The first statement of the first segment not yet applied (its first line), or null when the file no longer has one. */
  nextStatement: string | null;
}

/**
 * Where a migration applied in part continues: the first statement of its
 * first unfinished segment, cut from the file as it is now (`migrate` refuses
 * if the applied part changed, so the count still fits).
 */
export async function withNextStatement(
  migration: Migration | undefined,
  progress: SegmentProgress,
): Promise<PartialMigration> {
  const segmented = migration ? (await planMigration(migration)).segmented : null;
  const segment = segmented?.segments[progress.segmentsDone];
  const first = segment ? segmented?.statements[segment.statements[0]!] : undefined;
  return { ...progress, nextStatement: first === undefined ? null : statementSummary(first) };
}
