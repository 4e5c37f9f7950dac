import packageJson from '../../package.json' with { type: 'json' };
import { type Migration, sha256 } from '../drizzle-kit/migration-folder.js';
import { touchedRelations } from '../sql/relations.js';
import { downHashOf } from './down-script-checks.js';
import { type ExecutionMode, refusedInTransaction } from './execution-mode.js';
import { locateInSegment } from './failure-location.js';
import { finishInterruptedStatement } from './interrupted-statement.js';
import { withLockRetries } from './lock-retries.js';
import type { RunContext, StepResult } from './run-context.js';
import { errorPosition } from './script-runner.js';
import { appliedPartHash, type Segment, type SegmentedMigration } from './segments.js';
import { StatementFailure } from './statement-failure.js';
import { joinStatements, positionInScript } from './statements.js';
import {
  clearSegmentProgress,
  recordApplied,
  type SegmentProgress,
  saveSegmentProgress,
} from './tracking.js';
import { inTransaction } from './transaction.js';

/**
 * One segment after the other, each committed with the migration's progress
 * (the last with its drizzle row), so a failure or a kill leaves a recorded
 * state. A segment PostgreSQL refuses in a transaction runs alone and is marked
 * as running first, so a run after a kill knows to check what it left.
 */
export async function applySegments(
  run: RunContext,
  migration: Migration,
  mode: ExecutionMode,
  segmented: SegmentedMigration,
  progress: SegmentProgress | undefined,
): Promise<StepResult> {
  const { session } = run;
  const { tag } = migration;
  const total = segmented.segments.length;
  const done = progress?.segmentsDone ?? 0;
  run.onProgress?.({ kind: 'start', direction: 'up', tag, mode });
  if (progress) {
    run.onProgress?.({ kind: 'resume', tag, segmentsDone: done, segmentsTotal: total });
  }
  const started = performance.now();
  const recordCommitted = async (count: number) => {
    if (count < total) {
      await saveSegmentProgress(
        session,
        {
          tag,
          hash: migration.hash,
          appliedPartHash: appliedPartHash(segmented, count),
          segmentsDone: count,
          segmentsTotal: total,
          runningSegment: null,
          runningHash: null,
        },
        packageJson.version,
      );
      return;
    }
    const durationMs = performance.now() - started;
    await recordApplied(
      session,
      [{ migration, durationMs, downHash: downHashOf(run.folder, migration) }],
      packageJson.version,
    );
    await clearSegmentProgress(session, tag);
  };
  if (total === 0) await inTransaction(session, () => recordCommitted(0));
  for (let index = done; index < total; index++) {
    const segment = segmented.segments[index]!;
    try {
      if (segment.transactional) {
        await withLockRetries(
          run,
          tag,
          () =>
            inTransaction(session, async () => {
              await runSegment(run, migration, segmented, segment);
              await recordCommitted(index + 1);
            }),
          () => relationsOf(segmented, segment),
        );
      } else {
        await runAloneWithProgress(run, migration, segmented, index, progress);
        // Saves a commit per statement: the next segment's record says this one finished.
        // A kill before it leaves this one marked running, and the next run checks what it left.
        if (index + 1 === total) await inTransaction(session, () => recordCommitted(total));
      }
    } catch (error) {
      const before = segmented.segments[index - 1];
      if (index > done && before && !before.transactional) {
        // The segment before ran alone and finished; its record was to come with this one.
        await inTransaction(session, () => recordCommitted(index)).catch(() => undefined);
      }
      if (error instanceof StatementFailure) {
        if (segment.transactional) await locateInSegment(session, segmented, segment, error);
        error.segment = { index, total, transactional: segment.transactional };
      }
      throw error;
    }
  }
  const durationMs = performance.now() - started;
  run.onProgress?.({ kind: 'done', direction: 'up', tag, durationMs, mode });
  return { tag, direction: 'up', durationMs, statements: migration.statements, mode };
}

/**
 * A statement PostgreSQL refuses in a transaction (CREATE INDEX CONCURRENTLY,
 * VACUUM, …) in autocommit. It is marked as running before it starts; when a
 * run finds it marked (a kill, a failure) or a lock_timeout interrupted it, what
 * it left is checked first: a VALID index counts as built, an INVALID one is
 * dropped and built again.
 */
async function runAloneWithProgress(
  run: RunContext,
  migration: Migration,
  segmented: SegmentedMigration,
  index: number,
  progress: SegmentProgress | undefined,
): Promise<void> {
  const segment = segmented.segments[index]!;
  const position = segment.statements[0]!;
  const statementHash = sha256(segmented.statements[position]!);
  await saveSegmentProgress(
    run.session,
    {
      tag: migration.tag,
      hash: migration.hash,
      appliedPartHash: appliedPartHash(segmented, index),
      segmentsDone: index,
      segmentsTotal: segmented.segments.length,
      runningSegment: index,
      runningHash: statementHash,
    },
    packageJson.version,
  );
  let mayBeHalfDone = progress?.runningSegment === index;
  const unchanged = !mayBeHalfDone || progress?.runningHash === statementHash;
  const work = async () => {
    if (mayBeHalfDone) {
      const outcome = await finishInterruptedStatement(
        run.session,
        segmented.nodes[position],
        unchanged,
      );
      if (outcome) {
        run.onProgress?.({
          kind: 'interrupted-statement',
          tag: migration.tag,
          finding: outcome.finding,
        });
        if (outcome.done) return;
      }
    }
    mayBeHalfDone = true;
    if (buildsConcurrently(segmented.statements[position]!) && run.session.engine !== 'pglite') {
      await withoutLockTimeout(run, () => runSegment(run, migration, segmented, segment));
    } else {
      await runSegment(run, migration, segmented, segment);
    }
  };
  await withLockRetries(run, migration.tag, work, () => relationsOf(segmented, segment));
}

/**
 * A concurrent index build waits for the transactions older than it without
 * holding back anyone's writes (its SHARE UPDATE EXCLUSIVE lock conflicts with
 * no write), so a lock_timeout would only throw away the index it built, to
 * build it again on the next attempt. It waits as long as it needs.
 */
const buildsConcurrently = (statement: string): boolean => {
  const refused = refusedInTransaction(statement);
  return refused === 'CREATE INDEX CONCURRENTLY' || refused === 'REINDEX CONCURRENTLY';
};

async function withoutLockTimeout(run: RunContext, work: () => Promise<void>): Promise<void> {
  await run.session.exec('SET lock_timeout = 0');
  try {
    await work();
  } finally {
    await run.session
      .exec(`SET lock_timeout = ${Math.max(1, Math.round(run.statementLockTimeoutMs))}`)
      .catch(() => undefined /* the connection is gone */);
  }
}

/** The relations a segment's statements name, to find who held a lock it waited for. */
const relationsOf = (segmented: SegmentedMigration, segment: Segment): string[] =>
  touchedRelations(segment.statements.map((i) => segmented.nodes[i]));

/** A segment's statements in one round trip; the failing one is traced back from the error position. */
async function runSegment(
  run: RunContext,
  migration: Migration,
  segmented: SegmentedMigration,
  segment: Segment,
): Promise<void> {
  const joined = joinStatements(segment.statements.map((i) => segmented.statements[i]!));
  try {
    await run.session.exec(joined.text);
  } catch (error) {
    const at = positionInScript(joined, errorPosition(error));
    const index = segment.statements.length === 1 ? 0 : (at?.index ?? null);
    throw new StatementFailure(
      migration.tag,
      migration.path,
      index === null ? null : segment.statements[index]!,
      segmented.statements,
      error,
      at?.offset ?? null,
    );
  }
}
