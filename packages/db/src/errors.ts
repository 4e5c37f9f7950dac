/**
 * Every failure the CLI can explain carries a stable `code`, a message that says
 * what failed, and a `hint` that says what to do. The CLI prints these as one
 * paragraph; anything else is a bug and gets the stack trace under `--verbose`.
 */
export type JamDbErrorCode =
  | 'usage'
  | 'config'
  | 'connection'
  | 'migrations-folder'
  | 'migration-failed'
  | 'rollback-failed'
  | 'lock-timeout'
  | 'pooled-connection'
  | 'pglite-in-use'
  | 'extension-unavailable'
  | 'history-mismatch'
  | 'down-script'
  | 'data-loss'
  | 'not-migrated'
  | 'schema-ahead'
  | 'release-check'
  | 'seed-conflict'
  | 'seed-failed'
  | 'schema-drift'
  | 'already-migrated'
  | 'stale-docs';

export class JamDbError extends Error {
  override name = 'JamDbError';
  constructor(
    readonly code: JamDbErrorCode,
    message: string,
    readonly hint?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  /** Usage errors exit 2 as the contract says; everything else exits 1. */
  get exitCode(): number {
    return this.code === 'usage' ? 2 : 1;
  }
}

export const isJamDbError = (error: unknown): error is JamDbError => error instanceof JamDbError;
