import type { ExecutionMode } from './execution-mode.js';
import type { FailedSegment } from './statement-failure.js';

/** Where a failed run stopped: enough to say truthfully what it kept. */
export interface FailedRun {
  direction: 'up' | 'down';
  /** The migration whose statement failed. */
  failed: string;
  /** How the failing migration ran. */
  mode: ExecutionMode;
  /** Migrations that ran before it in the same transaction: its rollback took them too. */
  sameTransaction: string[];
  /** Migrations this run committed before the failing transaction began. */
  committed: string[];
  /** Migrations of the plan that never started. */
  notRun: string[];
  /** Where the failing migration stopped, when it ran in segments. */
  segment?: FailedSegment | undefined;
}

/**
 * The sentences after the database's message: what of the run was kept and what
 * was rolled back, by name. The progress lines said "ran" for every migration
 * that finished its statements, and some of those may have been undone since.
 */
export function describeFailedRun(run: FailedRun): string {
  const up = run.direction === 'up';
  const list = (tags: string[]) => tags.join(', ');
  const sentences: string[] = [];
  if (run.segment && run.mode.kind !== 'shared-transaction') {
    sentences.push(describeFailedSegment(run.failed, run.mode.reason, run.segment));
  } else if (run.sameTransaction.length > 0) {
    sentences.push(
      `Rolled back: ${list([...run.sameTransaction, run.failed])}. They ran in one transaction, so the failure undid all of them: ${list(run.sameTransaction)} ${run.sameTransaction.length === 1 ? 'is' : 'are'} not ${up ? 'applied' : 'rolled back'}, although ${run.sameTransaction.length === 1 ? 'its' : 'their'} statements ran.`,
    );
  } else {
    sentences.push(
      up
        ? `Nothing of ${run.failed} was kept: its transaction was rolled back.`
        : `The rollback of ${run.failed} was undone: its transaction was rolled back, so ${run.failed} stays applied.`,
    );
  }
  sentences.push(
    run.committed.length > 0
      ? `Kept: ${list(run.committed)}, committed before the failing transaction; ${run.committed.length === 1 ? 'it stays' : 'they stay'} ${up ? 'applied' : 'rolled back'}.`
      : run.segment
        ? 'Nothing else of this run was committed.'
        : 'Kept: nothing; the database is as it was before the run.',
  );
  if (run.notRun.length > 0) sentences.push(`Not started: ${list(run.notRun)}.`);
  return sentences.join(' ');
}

/**
 * What a migration run in segments kept: the segments before the failing one
 * are committed and recorded, so `status` shows them and the next run continues.
 */
function describeFailedSegment(tag: string, reason: string, segment: FailedSegment): string {
  const { index, total, transactional } = segment;
  if (segment.backfill) {
    const before =
      index === 0 ? '' : ` and its first ${index === 1 ? 'segment' : `${index} segments`}`;
    return `${tag} runs in ${total} segment(s) because ${reason}: segment ${index + 1}, a batched backfill, failed in a batch that was rolled back. Kept: its committed batches (${segment.backfill})${before}. The next \`pnpm db:migrate\` continues after the last committed batch.`;
  }
  if (index === 0 && transactional) {
    return `Nothing of ${tag} was kept: it runs in ${total} segment(s) because ${reason}, and its first was rolled back.`;
  }
  const alone =
    'its statement ran alone outside a transaction and may have done part of its work; the next run checks what it left (an index left INVALID is dropped and built again)';
  if (total === 1) {
    return `${tag} ran outside a transaction because ${reason}: it is not recorded as applied; ${alone}.`;
  }
  const failing = `segment ${index + 1} of ${total}`;
  const kept =
    index === 0
      ? 'none of its segments was committed'
      : `its first ${index === 1 ? 'segment is' : `${index} segments are`} committed and recorded (\`pnpm db:status\` shows "${index} of ${total} segments applied")`;
  const failed = transactional
    ? `${failing} failed and was rolled back`
    : `${failing} failed: ${alone}`;
  return `${tag} runs in ${total} segments because ${reason}: ${kept}; ${failed}. The next \`pnpm db:migrate\` continues ${tag} with ${failing}.`;
}
