import type { Session } from '../engines/session.js';

/** A session that held a lock on a relation a migration statement waited for. */
export interface LockHolder {
  pid: number;
  application: string;
  /** pg_stat_activity's state: active, idle in transaction, … */
  state: string;
  /** When its transaction started, as UTC "HH:MM:SS", and how many seconds before the check. */
  transactionSince: string | null;
  transactionSeconds: number | null;
  /** The start of its current or last query, literals masked, at most 80 characters. */
  query: string;
  /** The relations it holds locks on, among those looked for ("schema.name"). */
  relations: string[];
}

/** How a migration's lock attempts ended, kept on the failure for its message. */
export interface LockWait {
  attempts: number;
  elapsedMs: number;
  /** The relations the failing statements name ("schema.name"). */
  relations: string[];
  holders: LockHolder[];
}

/**
 * Sessions holding a granted lock on one of `relations` (or on the table of an
 * index among them) whose transaction has been open at least as long as the
 * lock timeout: a lock held for less cannot have made a statement time out.
 * Read right after the last attempt, while the holder is most likely still
 * there. PGlite has one connection and no one to wait for; a failed read (no
 * rights on pg_stat_activity) names no one rather than hiding the real error.
 */
export async function findLockHolders(
  session: Session,
  relations: string[],
  lockTimeoutMs: number,
): Promise<LockHolder[]> {
  if (session.engine === 'pglite' || relations.length === 0) return [];
  const rows = await session
    .query<{
      pid: number;
      application: string | null;
      state: string | null;
      since: string | null;
      seconds: number | null;
      query: string | null;
      relations: string[];
    }>(
      `with wanted as (
         select c.oid from pg_class c join pg_namespace n on n.oid = c.relnamespace
          where n.nspname || '.' || c.relname = any($1::text[])
       ), targets as (
         select oid from wanted
         union select i.indrelid from pg_index i join wanted w on w.oid = i.indexrelid
       )
       select a.pid, a.application_name as application, a.state,
              to_char(a.xact_start at time zone 'UTC', 'HH24:MI:SS') as since,
              floor(extract(epoch from clock_timestamp() - a.xact_start))::int as seconds,
              left(a.query, 400) as query,
              array_agg(distinct n.nspname || '.' || c.relname order by n.nspname || '.' || c.relname) as relations
         from pg_locks l
         join targets t on t.oid = l.relation
         join pg_class c on c.oid = l.relation
         join pg_namespace n on n.oid = c.relnamespace
         join pg_stat_activity a on a.pid = l.pid
        where l.granted and l.locktype = 'relation' and l.pid <> pg_backend_pid()
          and l.database = (select oid from pg_database where datname = current_database())
          and (a.xact_start is null or a.xact_start <= clock_timestamp() - make_interval(secs => $2::float8 / 1000))
        group by a.pid, a.application_name, a.state, a.xact_start, a.query
        order by a.xact_start nulls last, a.pid
        limit 5`,
      [relations, lockTimeoutMs],
    )
    .catch(() => []);
  return rows.map((row) => ({
    pid: Number(row.pid),
    application: row.application ?? '',
    state: row.state ?? 'unknown state',
    transactionSince: row.since,
    transactionSeconds: row.seconds === null ? null : Number(row.seconds),
    query: querySummary(row.query ?? ''),
    relations: row.relations,
  }));
}

/** A dollar-quoted body, an E'' string with backslash escapes, or a plain string, each possibly cut off. */
const literal =
  /\$([A-Za-z_]\w*)?\$[\s\S]*?(?:\$\1\$|$)|(?<!\w)[eE]'(?:[^'\\]|\\[\s\S]|'')*(?:'|$)|'(?:[^']|'')*(?:'|$)/g;

/**
 * The start of a query for a message: white space folded, string literals
 * (where a password or a token would be) shown as '…', at most 80 characters.
 */
export function querySummary(query: string): string {
  const masked = query.replace(literal, "'…'").replace(/\s+/g, ' ').trim();
  return masked.length > 80 ? `${masked.slice(0, 79)}…` : masked;
}
