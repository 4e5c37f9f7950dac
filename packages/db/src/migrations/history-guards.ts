import type { Migration } from '../drizzle-kit/migration-folder.js';
import { JamDbError } from '../errors.js';
import { describeBackfill } from './backfill-progress.js';
import type { History } from './history.js';
import { appliedPartHash, type MigrationPlan } from './segments.js';
import type { SegmentProgress } from './tracking.js';

/*
 * The refusals a run makes before it touches anything: each one means the
 * folder and the database disagree in a way a person has to settle, and each
 * says how.
 */

/** Changed or vanished migrations mean the folder and the database disagree about the past. */
export function refuseInconsistentHistory(history: History): void {
  if (history.changed.length > 0) {
    const tags = history.changed.map((c) => c.migration.tag);
    throw new JamDbError(
      'history-mismatch',
      `Applied migration file changed since it was applied: ${tags.join(', ')}. Nothing was run.`,
      `Restore the file as it was applied (see git history) and change the schema with a new migration; or, if the edit was deliberate and the database already matches it, record it with ${tags.map((t) => `--accept-changed ${t}`).join(' ')}.`,
    );
  }
  if (history.unknown.length > 0) {
    const rows = history.unknown
      .map((r) => r.tag ?? `drizzle id ${r.id} (hash ${r.hash.slice(0, 12)})`)
      .join(', ');
    throw new JamDbError(
      'history-mismatch',
      `The database has applied migrations that the migrations folder does not have: ${rows}. Nothing was run.`,
      'Check that --migrations points at the right folder and that your branch includes every applied migration.',
    );
  }
}

/** drizzle would skip these silently; jam-db applies them only when asked to. */
export function refuseOutOfOrder(plan: Migration[], history: History): void {
  const late = plan.filter((m) => history.outOfOrder.includes(m));
  if (late.length === 0) return;
  const newest = history.applied.reduce<Migration | undefined>(
    (found, { migration }) =>
      found === undefined || migration.idx > found.idx ? migration : found,
    undefined,
  );
  throw new JamDbError(
    'history-mismatch',
    `Pending migration${late.length > 1 ? 's' : ''} ${late.map((m) => m.tag).join(', ')} ${late.length > 1 ? 'are' : 'is'} older than the applied ${newest?.tag ?? 'migrations'} (merged late?). Nothing was run.`,
    'Check that it does not conflict with what was applied after it, then run `pnpm db:migrate --allow-out-of-order` to apply it.',
  );
}

/**
 * A migration applied in part continues after its committed segments only when
 * those segments are still what the file says; a failed segment may be fixed.
 */
export function refuseChangedAppliedPart(
  migration: Migration,
  plan: MigrationPlan,
  progress: SegmentProgress,
): void {
  const applied = progress.segmentsDone;
  const same =
    plan.segmented !== null &&
    plan.segmented.segments.length >= applied &&
    appliedPartHash(plan.segmented, applied) === progress.appliedPartHash;
  if (same) return;
  throw new JamDbError(
    'history-mismatch',
    `Migration ${migration.tag} is applied in part (${describeProgress(progress)}), and the part of ${migration.path} already applied changed since. Nothing was run.`,
    `Restore the statements of its first ${applied} segment(s) as they were applied (see git history) and run migrate again: it continues after them; put further changes in the segments not yet applied or in a new migration. To start ${migration.tag} over instead, undo by hand what its applied segments did, then delete the record: DELETE FROM drizzle.__jam_progress WHERE tag = '${migration.tag}'.`,
  );
}

/** Progress rows of pending migrations (a row left for one finished by another tool means nothing). */
export const partialOf = (history: History, progress: SegmentProgress[]): SegmentProgress[] =>
  progress.filter((p) => history.pending.some((m) => m.tag === p.tag));

/** "2 of 3 segments applied", and how far a backfill in the next segment got */
export function describeProgress(progress: SegmentProgress): string {
  const backfill =
    progress.backfill?.segment === progress.segmentsDone
      ? `; segment ${progress.segmentsDone + 1}: ${describeBackfill(progress.backfill)}`
      : '';
  return `${progress.segmentsDone} of ${progress.segmentsTotal} segments applied${
    progress.runningSegment === null ? '' : `, segment ${progress.runningSegment + 1} interrupted`
  }${backfill}`;
}

/** A down script undoes a whole migration; one applied in part has to be finished (or repaired) first. */
export function refuseRollbackOverPartial(partial: SegmentProgress[]): void {
  if (partial.length === 0) return;
  const list = partial.map((p) => `${p.tag} (${describeProgress(p)})`).join(', ');
  throw new JamDbError(
    'history-mismatch',
    `Cannot roll back while a migration is applied in part: ${list}. Its down script undoes the whole migration, and the migrations before it must not be rolled back under it. Nothing was rolled back.`,
    'Run `pnpm db:migrate` to finish it (fix the failing segment first), then roll back; `pnpm db:status` shows where it stopped.',
  );
}
