import type { MigrationFolder } from '../drizzle-kit/migration-folder.js';
import type { Session } from '../engines/session.js';
import type { Target } from '../target/target.js';
import type { BackfillRecord } from './backfill-progress.js';
import type { ExecutionMode } from './execution-mode.js';

export type Direction = 'up' | 'down';

export type ProgressEvent =
  | { kind: 'start'; direction: Direction; tag: string; mode: ExecutionMode }
  | { kind: 'done'; direction: Direction; tag: string; durationMs: number; mode: ExecutionMode }
  | { kind: 'retry'; tag: string; attempt: number; waitMs: number }
  | { kind: 'accepted-edit'; tag: string }
  | { kind: 'enum-value-redo'; tag: string }
  /** A migration an earlier run applied in part continues after its committed segments. */
  | { kind: 'resume'; tag: string; segmentsDone: number; segmentsTotal: number }
  /** A statement run outside a transaction was interrupted; what it left was checked. */
  | { kind: 'interrupted-statement'; tag: string; finding: string }
  | { kind: 'down-changed'; tag: string }
  /** A batched backfill started (or resumed), committed a batch, or finished. */
  | {
      kind: 'backfill';
      tag: string;
      phase: BackfillPhase;
      record: BackfillRecord;
      run: BackfillRun;
    };

export type BackfillPhase = 'start' | 'batch' | 'done';

/** What this run did of a backfill (an earlier, killed run may have done part of it). */
export interface BackfillRun {
  rows: number;
  batches: number;
  elapsedMs: number;
  /** Rows an earlier run committed before this one continued. */
  resumedRows: number;
}

export interface StepResult {
  tag: string;
  direction: Direction;
  durationMs: number;
  statements: string[];
  mode: ExecutionMode;
  /** For a down step: what its script says it loses, when it is marked `-- jam-db:data-loss`. */
  dataLoss?: { notes: string[] } | undefined;
}

/**
 * What every step of one locked run needs. The Migrator builds it once per run,
 * so the modules that apply, retry and explain steps share the settings without
 * reaching back into the class.
 */
export interface RunContext {
  session: Session;
  folder: MigrationFolder;
  /** Only to word the database's message for this engine. */
  target: Target;
  statementLockTimeoutMs: number;
  lockRetries: number;
  onProgress?: ((event: ProgressEvent) => void) | undefined;
}

export const sharedTransaction: ExecutionMode = { kind: 'shared-transaction' };
