import type { Session } from '../engines/session.js';
import type { Segment, SegmentedMigration } from './segments.js';
import { StatementFailure } from './statement-failure.js';
import { type Span, sqlStatementSpans } from './statement-spans.js';
import { joinStatements } from './statements.js';

/**
 * When the database did not say where a script failed (runtime errors carry no
 * position), replay the batch statement by statement in a transaction that is
 * always rolled back, to name the statement. Only on the failure path.
 */
export async function locateByReplay(
  session: Session,
  batch: { tag: string; statements: string[] }[],
  failure: unknown,
): Promise<void> {
  if (!(failure instanceof StatementFailure) || failure.position !== null || failure.isLockTimeout)
    return;
  try {
    await session.exec('BEGIN');
    for (const script of batch) {
      if (script.tag !== failure.tag) {
        await session.exec(joinStatements(script.statements).text);
        continue;
      }
      for (const [position, statement] of script.statements.entries()) {
        // A statement holding several: a savepoint lets them be replayed one by one once it fails.
        const spans = sqlStatementSpans(statement);
        if (spans.length > 1) await session.exec('SAVEPOINT jam_db_replay');
        try {
          await session.exec(statement);
        } catch {
          failure.position = position;
          if (spans.length > 1)
            failure.replayedOffset = await firstFailingSpan(session, statement, spans);
          return;
        }
      }
      return;
    }
  } catch {
    // The replay went differently from the run; the statement stays unnamed.
  } finally {
    await session.exec('ROLLBACK').catch(() => undefined);
  }
}

/** Names the failing statement of a rolled-back segment by replaying it in a transaction that is always rolled back. */
export async function locateInSegment(
  session: Session,
  segmented: SegmentedMigration,
  segment: Segment,
  failure: StatementFailure,
): Promise<void> {
  if (failure.position !== null || failure.isLockTimeout) return;
  try {
    await session.exec('BEGIN');
    for (const position of segment.statements) {
      try {
        await session.exec(segmented.statements[position]!);
      } catch {
        failure.position = position;
        return;
      }
    }
  } catch {
    // The replay went differently from the run; the statement stays unnamed.
  } finally {
    await session.exec('ROLLBACK').catch(() => undefined);
  }
}

/** Back at the savepoint before `statement`, runs its SQL statements one by one; where the first failing one starts. */
async function firstFailingSpan(
  session: Session,
  statement: string,
  spans: Span[],
): Promise<number | null> {
  await session.exec('ROLLBACK TO SAVEPOINT jam_db_replay');
  for (const span of spans) {
    try {
      await session.exec(statement.slice(span.start, span.end));
    } catch {
      return span.start;
    }
  }
  return null;
}
