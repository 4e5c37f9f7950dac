import type { Target } from '../client/target.js';
import { unwrapIdempotentDo } from '../drizzle-kit/breakpoints.js';
import type { Migration, MigrationFolder } from '../drizzle-kit/migration-folder.js';
import { parseRename, reverseRenameStatement } from '../drizzle-kit/renames.js';
import type { Session } from '../engines/session.js';
import { executionModeOf } from '../migrations/execution-mode.js';
import { extensionsCreatedBy } from '../migrations/extensions.js';
import { Migrator } from '../migrations/migrator.js';
import { openScratchDatabase } from '../verify/scratch-database.js';
import { catalogDown } from './catalog-diff.js';
import { type CatalogState, readCatalogState, stateDifferences } from './catalog-state.js';
import { type DerivedDown, deriveDown, findDataLoss, findRiskyNotNull } from './derive-down.js';
import { sqlOnlyEffects, strip } from './sql-inverses.js';

/**
 * Down scripts derived from real schema states: the folder's migrations are
 * applied one by one to a scratch database; before and after each wanted one
 * the catalogs are read, and the statements that take "after" back to
 * "before" are written from their difference (renames read from the up
 * script are undone first, so a renamed column keeps its rows). Each script is
 * then tried in a transaction that is rolled back: it must give back exactly
 * the schema `verify` compares, or the script falls back to the one derived
 * from snapshots and SQL, tried the same way, or is marked manual with the
 * difference as its reason.
 */
export async function deriveDownsOnScratch(
  folder: MigrationFolder,
  wanted: Set<number>,
  home: Target,
): Promise<Map<number, DerivedDown>> {
  const downs = new Map<number, DerivedDown>();
  const last = Math.max(-1, ...wanted);
  const scratch = await openScratchDatabase(home, {
    extensions: extensionsCreatedBy(folder.migrations),
  });
  try {
    const { session } = scratch;
    await copyExtensions(home, session);
    const migrator = new Migrator({ target: scratch.target, folder, connection: session });
    // States are read only around the migrations whose down is wanted.
    const needed = (position: number) => wanted.has(position) || wanted.has(position + 1);
    let state = needed(-1) ? await readCatalogState(session) : null;
    for (let position = 0; position <= last; position++) {
      const migration = folder.migrations[position]!;
      try {
        await migrator.migrate({ to: migration.tag, allowOutOfOrder: true });
      } catch (error) {
        // The scratch database cannot follow the history from here: the rest is derived without it.
        const cause = databaseSaid(error);
        for (let rest = position; rest <= last; rest++) {
          if (!wanted.has(rest)) continue;
          const whose = rest === position ? 'its up script' : `the up script of ${migration.tag}`;
          downs.set(
            rest,
            withNote(await deriveDown(folder, rest), `${whose} failed there (${cause})`),
          );
        }
        return downs;
      }
      const afterState = needed(position) ? await readCatalogState(session) : null;
      if (wanted.has(position))
        downs.set(position, await deriveOne(session, folder, position, state!, afterState!));
      state = afterState;
    }
    return downs;
  } finally {
    await scratch.drop().catch(() => undefined);
  }
}

async function deriveOne(
  session: Session,
  folder: MigrationFolder,
  position: number,
  before: CatalogState,
  after: CatalogState,
): Promise<DerivedDown> {
  const migration = folder.migrations[position]!;
  const upStatements = migration.statements.map(unwrapIdempotentDo);
  const renames = upStatements.flatMap((s) => {
    const rename = parseRename(s);
    return rename ? [reverseRenameStatement(rename)] : [];
  });
  const effects = sqlOnlyEffects(upStatements);

  // Up must run again after the down and give the same schema (a domain or role the
  // catalogs do not show, left behind, would make it fail). Only where up can run
  // inside the check's transaction.
  const reapply = canRunInTransaction(migration)
    ? { statements: migration.statements, after }
    : null;
  const check = { before, reapply };
  let catalogFailure = '';
  const tried = await tryScript(
    session,
    check,
    async () => {
      for (const statement of [...renames].reverse()) await session.exec(statement);
      const renamed = renames.length > 0 ? await readCatalogState(session) : after;
      const plan = catalogDown(renamed, before);
      if (plan.unsupported.length > 0)
        throw new Error(`not derivable: ${plan.unsupported.join('; ')}`);
      const statements = [
        ...effects.first,
        ...[...renames].reverse(),
        ...plan.statements,
        ...effects.last,
      ];
      for (const statement of statements.slice(effects.first.length + renames.length))
        await runStatement(session, statement);
      return { statements, notes: plan.notes };
    },
    effects.first,
  );
  if (tried.ok) {
    return {
      statements: tried.value.statements,
      dataLoss: findDataLoss(tried.value.statements),
      manual: [],
      notes: [...tried.value.notes, ...effects.notes, ...findRiskyNotNull(tried.value.statements)],
    };
  }
  catalogFailure = tried.reason;

  const fromSnapshots = await deriveDown(folder, position);
  if (fromSnapshots.manual.length === 0) {
    const checked = await tryScript(
      session,
      check,
      async () => {
        for (const statement of fromSnapshots.statements) await runStatement(session, statement);
        return null;
      },
      [],
    );
    if (checked.ok) return fromSnapshots;
    catalogFailure += `; the script derived from snapshots and SQL ${checked.reason}`;
  } else catalogFailure += `; ${fromSnapshots.manual.join('; ')}`;
  return { ...fromSnapshots, manual: [`the derived down script ${catalogFailure}`] };
}

type Tried<T> = { ok: true; value: T } | { ok: false; reason: string };

interface Check {
  before: CatalogState;
  reapply: { statements: string[]; after: CatalogState } | null;
}

const listed = (differences: string[]) =>
  `${differences.slice(0, 3).join('; ')}${differences.length > 3 ? ` (and ${differences.length - 3} more)` : ''}`;

/**
 * Runs a candidate down script in a transaction that is always rolled back: ok
 * when it gives the schema from before the migration back, and up, run again,
 * gives the schema after it.
 */
async function tryScript<T>(
  session: Session,
  check: Check,
  script: () => Promise<T>,
  first: string[],
): Promise<Tried<T>> {
  await session.exec('BEGIN');
  try {
    for (const statement of first) await runStatement(session, statement);
    const value = await script();
    const differences = stateDifferences(check.before, await readCatalogState(session));
    if (differences.length > 0)
      return {
        ok: false,
        reason: `leaves the schema different from before the migration: ${listed(differences)}`,
      };
    if (check.reapply) {
      try {
        for (const statement of check.reapply.statements) await runStatement(session, statement);
      } catch (error) {
        return {
          ok: false,
          reason: `lets the up script fail when it runs again: ${oneLine(error)}`,
        };
      }
      const again = stateDifferences(check.reapply.after, await readCatalogState(session));
      if (again.length > 0)
        return {
          ok: false,
          reason: `lets the up script, run again, give another schema: ${listed(again)}`,
        };
    }
    return { ok: true, value };
  } catch (error) {
    return { ok: false, reason: `fails: ${oneLine(error)}` };
  } finally {
    await session.exec('ROLLBACK');
  }
}

/** Up runs inside the check's transaction unless it controls transactions itself or needs to run outside one. */
function canRunInTransaction(migration: Migration): boolean {
  if (executionModeOf(migration).kind !== 'shared-transaction') return false;
  // A COMMIT anywhere in the file would end the check's transaction and keep what it tried.
  return (
    !migration.statements.some((statement) =>
      /^(begin|commit|end|rollback|start\s+transaction|savepoint|release)\b/i.test(
        strip(statement),
      ),
    ) && !/^\s*(begin|commit|rollback|start\s+transaction)\s*;/im.test(migration.sql)
  );
}

async function runStatement(session: Session, statement: string): Promise<void> {
  try {
    await session.exec(statement);
  } catch (error) {
    throw new Error(`${statement.split('\n')[0]!.slice(0, 120)}: ${oneLine(error)}`);
  }
}

/**
 * A scratch database on a server starts without the extensions the project's
 * own database has (installed by hand or by the platform, as Supabase does), which
 * migrations often take for granted.
 */
async function copyExtensions(home: Target, scratch: Session): Promise<void> {
  if (home.engine === 'pglite') return;
  const { openSession } = await import('../engines/open-session.js');
  let names: string[] = [];
  try {
    const session = await openSession(home, { purpose: 'jam-db generate-down' });
    try {
      names = (
        await session.query<{ name: string }>(
          `select extname as name from pg_extension where extname <> 'plpgsql'`,
        )
      ).map((r) => r.name);
    } finally {
      await session.close();
    }
  } catch {
    return;
  }
  for (const name of names)
    await scratch
      .exec(`CREATE EXTENSION IF NOT EXISTS "${name.replace(/"/g, '""')}"`)
      .catch(() => undefined);
}

function withNote(down: DerivedDown, reason: string): DerivedDown {
  return { ...down, notes: [...down.notes, `not checked on a scratch database: ${reason}`] };
}

/** The database's own words from a failed migration ("… (SQLSTATE 0A000)"), else the message's start. */
function databaseSaid(error: unknown): string {
  const message = oneLine(error);
  return /The database said: (.*?\(SQLSTATE \w+\))/.exec(message)?.[1] ?? message.slice(0, 160);
}

const oneLine = (error: unknown) =>
  String((error as Error)?.message ?? error)
    .replace(/\s*\n\s*/g, ' ')
    .slice(0, 300);
