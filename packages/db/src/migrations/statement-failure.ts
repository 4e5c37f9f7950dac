import type { LockWait } from './lock-holders.js';

/** Where in a migration run in segments the failing statement was. */
export interface FailedSegment {
  /** 0-based index of the segment that failed. */
  index: number;
  total: number;
  /** False: it ran outside a transaction, so what it did before failing may stay. */
  transactional: boolean;
}

/** A statement the database refused, before the runner decides what to tell the user. */
export class StatementFailure extends Error {
  /** Set when the migration ran in segments: the segments before this one stay committed. */
  segment: FailedSegment | undefined;
  /** Set when the statement hit lock_timeout on its last attempt: who held the lock. */
  lockWait: LockWait | undefined;

  constructor(
    readonly tag: string,
    readonly path: string,
    /** Which statement failed, once known; a script sent in one round trip may not say. */
    public position: number | null,
    readonly statements: string[],
    override readonly cause: unknown,
    /** Where in the failing statement the database put the error, when it said (0-based). */
    readonly errorOffset: number | null = null,
  ) {
    super(`a statement of ${tag} failed`);
  }

  /**
   * Where in the failing statement the SQL statement that failed starts, when
   * the statement holds several and a replay found which (0-based).
   */
  replayedOffset: number | null = null;

  get statement(): string | null {
    return this.position === null ? null : (this.statements[this.position] ?? null);
  }

  /** PostgreSQL's lock_not_available: the statement waited longer than lock_timeout. */
  get isLockTimeout(): boolean {
    return (this.cause as { code?: string })?.code === '55P03';
  }
}
