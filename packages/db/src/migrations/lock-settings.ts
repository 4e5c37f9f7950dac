/**
 * The defaults of `--lock-timeout` and `--lock-retries`, in a module of their
 * own so the CLI's option table reads them without loading the runner.
 */

/** Short enough that writers queued behind a waiting ALTER barely notice (pgroll uses 500 ms). */
export const defaultLockTimeoutMs = 200;

/** With the pauses of lock-retries.ts (0.25 s doubling up to 5 s), ten retries wait about 33 s in all. */
export const defaultLockRetries = 10;
