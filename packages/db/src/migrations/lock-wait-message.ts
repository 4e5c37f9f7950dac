import type { LockHolder, LockWait } from './lock-holders.js';

/** 0.8 s, 12 s: how long the attempts took together. */
const formatSeconds = (ms: number): string =>
  ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`;

/** "public.hot" → `"public"."hot"` */
const quoted = (name: string): string => {
  const dot = name.indexOf('.');
  return `"${name.slice(0, dot)}"."${name.slice(dot + 1)}"`;
};

const listOf = (items: string[]): string =>
  items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;

/**
 * The opening of a lock-timeout failure: which relation could not be locked,
 * within what timeout, in how many attempts over how long.
 * `Migration 0003_x could not lock "public"."hot" within 200 ms, 11 attempts over 33 s`
 */
export function couldNotLock(
  action: string,
  tag: string,
  wait: LockWait | undefined,
  lockTimeoutMs: number,
  attempts: number,
): string {
  const held = wait?.holders.flatMap((h) => h.relations) ?? [];
  const names = [...new Set(held.length > 0 ? held : (wait?.relations ?? []))];
  const what = names.length > 0 ? listOf(names.map(quoted)) : 'a relation it needs';
  const tries = wait?.attempts ?? attempts;
  const over = wait ? ` over ${formatSeconds(wait.elapsedMs)}` : '';
  return `${action} ${tag} could not lock ${what} within ${lockTimeoutMs} ms, ${tries} attempt${tries === 1 ? '' : 's'}${over}`;
}

/** Who held the lock, by pid, application, state, transaction start and query; or why no one is named. */
export function blockedBy(wait: LockWait | undefined): string {
  if (!wait) return '';
  if (wait.relations.length === 0) {
    return 'jam-db could not read which relations the failing statements use, so it names no session: look for the holder in pg_locks and pg_stat_activity.';
  }
  if (wait.holders.length === 0) {
    return 'No other session held a lock on it when jam-db looked right after the last attempt: the holder has ended since (run again), or this database user may not see other sessions in pg_stat_activity.';
  }
  return `Blocked by ${wait.holders.map(describeHolder).join('; ')}.`;
}

function describeHolder(holder: LockHolder): string {
  const application = holder.application
    ? `application "${holder.application}"`
    : 'no application name';
  const since =
    holder.transactionSince === null
      ? ''
      : `, transaction started ${holder.transactionSince} UTC${holder.transactionSeconds === null ? '' : `, ${holder.transactionSeconds} s ago`}`;
  const query = holder.query ? `: "${holder.query}"` : '';
  return `pid ${holder.pid} (${application}, ${holder.state}${since}${query})`;
}

/** What to do about it. */
export function lockWaitHint(wait: LockWait | undefined): string {
  const pids = wait?.holders.map((h) => h.pid) ?? [];
  const end =
    pids.length === 0
      ? 'Find the session holding the lock in pg_stat_activity, end it or wait for it'
      : `End or wait for ${pids.length === 1 ? 'that session' : 'those sessions'} (\`SELECT pg_terminate_backend(${pids[0]})\` ends ${pids.length === 1 ? 'it' : `pid ${pids[0]}`})`;
  return `${end}, then run the command again. To wait longer per attempt or retry more often, raise --lock-timeout or --lock-retries (each attempt can stall the table's writers for up to --lock-timeout).`;
}
