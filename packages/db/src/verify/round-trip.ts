import type { Migration, MigrationFolder } from '../drizzle-kit/migration-folder.js';
import type { Session } from '../engines/session.js';
import { JamDbError } from '../errors.js';
import { diffSchemaFacts, readSchemaFacts, type SchemaFacts } from '../introspect/schema-facts.js';
import { type DownScript, downScriptName, readDownScript } from '../migrations/down-script.js';
import type { Migrator } from '../migrations/migrator.js';
import { listTables, WatchedRows } from './sample-rows.js';
import type { MigrationVerdict } from './verdict.js';

export interface RoundTripStep {
  session: Session;
  migrator: Migrator;
  folder: MigrationFolder;
  migration: Migration;
  /** Makes each step's sample values differ from the last one's. */
  seed: number;
  /** The facts of the database as it is (after the previous migration), when the last step read them. */
  before: SchemaFacts | null;
}

export interface RoundTripOutcome {
  verdict: MigrationVerdict;
  /**
   * Whether the database is now exactly as a fresh database after this
   * migration would be; when not, the next step needs a rebuilt one.
   */
  consistent: boolean;
  /** Its facts when they are known, for the next step's "before". */
  facts: SchemaFacts | null;
}

interface Problem {
  reason: string;
  differences?: string[];
  error?: string;
}

/**
 * Checks one migration's down script on a database that is at the state after
 * the migration before it: up → down must give back the schema from before up,
 * up again the schema after up, and rows in the tables the migration leaves
 * alone must survive both.
 */
export async function checkRoundTrip(step: RoundTripStep): Promise<RoundTripOutcome> {
  const started = performance.now();
  const { session, migrator, folder, migration } = step;
  const done = (
    problems: Problem[],
    consistent: boolean,
    facts: SchemaFacts | null,
    sampled = 0,
  ) => ({
    verdict: verdictOf(migration.tag, problems, sampled, performance.now() - started),
    consistent,
    facts,
  });

  const down = readDownScript(folder.dir, migration.tag);
  if (!down || down.manual) {
    // Nothing to prove; the migration is applied so that the next one finds its schema.
    const upFailure = await attempt(() => up(migrator, migration));
    if (upFailure) return done([{ reason: 'up failed', error: upFailure }], false, null);
    const verdict: MigrationVerdict = {
      tag: migration.tag,
      verdict: 'manual',
      reason: manualReason(folder, migration, down),
      sampledTables: 0,
      durationMs: performance.now() - started,
    };
    return { verdict, consistent: true, facts: null };
  }

  const before = step.before ?? (await readSchemaFacts(session));
  const untouched = (await listTables(session)).filter(
    (table) =>
      !mentionsTable(migration.sql, table) && !mentionsTable(down.statements.join('\n'), table),
  );
  const rows = await WatchedRows.watch(session, untouched, step.seed);
  const sampled = rows.sampled.length;
  const problems: Problem[] = [];

  const upFailure = await attempt(() => up(migrator, migration));
  if (upFailure) return done([{ reason: 'up failed', error: upFailure }], false, null, sampled);
  const after = await readSchemaFacts(session);

  const downFailure = await attempt(() => migrator.rollback({ steps: 1, allowDataLoss: true }));
  if (downFailure) {
    // The rollback's transaction left the database at "after up".
    await rows.release();
    return done([{ reason: 'down failed', error: downFailure }], true, after, sampled);
  }
  compare(
    problems,
    'after up → down the schema differs from before up',
    before,
    await readSchemaFacts(session),
  );
  await compareRows(problems, rows, 'down');

  const reupFailure = await attempt(() => up(migrator, migration));
  if (reupFailure) {
    problems.push({ reason: 'up after down failed', error: reupFailure });
    return done(problems, false, null, sampled);
  }
  const again = await readSchemaFacts(session);
  const reupDiffers = compare(
    problems,
    'after up → down → up the schema differs from after up',
    after,
    again,
  );
  await compareRows(problems, rows, 'down and up');
  await rows.release();
  return done(problems, !reupDiffers, again, sampled);
}

const up = (migrator: Migrator, migration: Migration) =>
  migrator.migrate({ to: migration.tag, allowOutOfOrder: true });

/** Why there is no script to prove: none was written, or it says why in its first note. */
function manualReason(
  folder: MigrationFolder,
  migration: Migration,
  down: DownScript | null,
): string {
  if (!down)
    return `no down script: write ${downScriptName(folder.dir, migration.tag)} or run \`jam-db generate-down\``;
  return down.notes[0] ?? 'the down script is marked "-- jam-db:manual" and gives no reason';
}

function verdictOf(
  tag: string,
  problems: Problem[],
  sampledTables: number,
  durationMs: number,
): MigrationVerdict {
  if (problems.length === 0) return { tag, verdict: 'exact', sampledTables, durationMs };
  const differences = problems.flatMap((p) => p.differences ?? []);
  const error = problems.find((p) => p.error)?.error;
  return {
    tag,
    verdict: 'wrong',
    reason: problems.map((p) => p.reason).join('; '),
    ...(differences.length > 0 ? { differences } : {}),
    ...(error ? { error } : {}),
    sampledTables,
    durationMs,
  };
}

/** Records a difference between two schemas; returns whether there was one. */
function compare(
  problems: Problem[],
  reason: string,
  expected: SchemaFacts,
  actual: SchemaFacts,
): boolean {
  const differences = diffSchemaFacts(expected, actual);
  if (differences.length > 0) problems.push({ reason, differences });
  return differences.length > 0;
}

async function compareRows(problems: Problem[], rows: WatchedRows, across: string): Promise<void> {
  for (const table of await rows.changed()) {
    // Said once, at the first step that changed them.
    if (problems.some((p) => p.reason.startsWith(`rows of ${table},`))) continue;
    problems.push({
      reason: `rows of ${table}, which the migration does not touch, changed across ${across}`,
    });
  }
}

/** Runs a step; returns the failure as one line instead of throwing. */
export async function attempt(step: () => Promise<unknown>): Promise<string | null> {
  try {
    await step();
    return null;
  } catch (error) {
    if (!(error instanceof JamDbError)) return oneLine(String((error as Error)?.message ?? error));
    // What failed and what the database said; the rest tells a migrate user what their run kept.
    const told = ['migration-failed', 'rollback-failed'].includes(error.code)
      ? error.message.split('\n').slice(0, 2).join(' ')
      : error.message;
    return oneLine(told);
  }
}

const oneLine = (text: string): string => text.replace(/\s*\n\s*/g, ' ').trim();

/**
 * Whether SQL names a table ("schema"."table", "table" or table), or alters or
 * drops its whole schema (a schema renamed takes every table with it), to leave
 * it out of the row check.
 */
function mentionsTable(sql: string, qualifiedTable: string): boolean {
  const [schema, table] = qualifiedTable.includes('.')
    ? qualifiedTable.split('.').map(unquote)
    : [null, unquote(qualifiedTable)];
  if (new RegExp(`(^|[^\\w$])"?${escapeRegExp(table!)}"?($|[^\\w$])`, 'i').test(sql)) return true;
  return (
    schema !== null &&
    new RegExp(
      `\\b(alter|drop)\\s+schema\\s+(if\\s+exists\\s+)?"?${escapeRegExp(schema!)}"?($|[^\\w$])`,
      'i',
    ).test(sql)
  );
}

const unquote = (name: string): string => name.replace(/^"|"$/g, '');
const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
