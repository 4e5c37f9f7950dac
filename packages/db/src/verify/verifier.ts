import type { Target } from '../client/target.js';
import type { Session } from '../engines/session.js';
import { JamDbError } from '../errors.js';
import { diffSchemaFacts, readSchemaFacts } from '../introspect/schema-facts.js';
import { readDownScript } from '../migrations/down-script.js';
import { extensionsCreatedBy } from '../migrations/extensions.js';
import type { Migration, MigrationFolder } from '../migrations/journal.js';
import { Migrator } from '../migrations/migrator.js';
import { fingerprint, insertSampleRows, listTables } from './sample-rows.js';
import { openScratchDatabase } from './scratch-database.js';

export interface MigrationVerdict {
  tag: string;
  ok: boolean;
  problems: string[];
  /** Tables the migration leaves alone that held a row through down and up. */
  sampledTables: number;
  durationMs: number;
}

export interface VerifyReport {
  scratch: string;
  verdicts: MigrationVerdict[];
  /** Set when a migration's up script failed, which stops the walk there. */
  stoppedAt: string | null;
  durationMs: number;
}

/**
 * Proves every down script on a scratch database: for each migration in order,
 * up → down must give back the schema from before up, up again must give the
 * schema after up, and rows in tables the migration does not touch must survive.
 */
export async function verifyMigrations(
  folder: MigrationFolder,
  home: Target,
  onVerdict: (verdict: MigrationVerdict) => void = () => {},
): Promise<VerifyReport> {
  const started = performance.now();
  const scratch = await openScratchDatabase(home, extensionsCreatedBy(folder.migrations));
  const verdicts: MigrationVerdict[] = [];
  let stoppedAt: string | null = null;
  try {
    const migrator = new Migrator({ target: scratch.target, folder, connection: scratch.session });
    for (const [position, migration] of folder.migrations.entries()) {
      const verdict = await verifyOne(scratch.session, migrator, folder, migration, position);
      verdicts.push(verdict);
      onVerdict(verdict);
      if (verdict.problems.some((p) => p.startsWith('up failed'))) {
        stoppedAt = migration.tag;
        break;
      }
    }
  } finally {
    await scratch.drop().catch(() => undefined);
  }
  return {
    scratch: scratch.description,
    verdicts,
    stoppedAt,
    durationMs: performance.now() - started,
  };
}

async function verifyOne(
  session: Session,
  migrator: Migrator,
  folder: MigrationFolder,
  migration: Migration,
  position: number,
): Promise<MigrationVerdict> {
  const started = performance.now();
  const problems: string[] = [];
  const down = readDownScript(folder.dir, migration.tag);
  const before = await readSchemaFacts(session);
  const untouched = (await listTables(session)).filter(
    (table) =>
      !mentionsTable(migration.sql, table) &&
      !(down && mentionsTable(down.statements.join('\n'), table)),
  );
  await session.exec('BEGIN');
  const sampled = await insertSampleRows(session, untouched, position + 1);
  await session.exec('COMMIT');
  const prints = await fingerprints(session, sampled);
  const verdict = () => ({
    tag: migration.tag,
    ok: problems.length === 0,
    problems,
    sampledTables: sampled.length,
    durationMs: performance.now() - started,
  });

  const upFailure = await attempt(() =>
    migrator.migrate({ to: migration.tag, allowOutOfOrder: true }),
  );
  if (upFailure) {
    problems.push(`up failed: ${upFailure}`);
    return verdict();
  }
  const after = await readSchemaFacts(session);

  if (!down) problems.push(`no down script (${migration.tag}.down.sql)`);
  else if (down.manual)
    problems.push(`the down script is marked "-- jam-db:manual": it still has to be written`);
  if (problems.length > 0) return finish();

  const downFailure = await attempt(() => migrator.rollback({ steps: 1, allowDataLoss: true }));
  if (downFailure) {
    problems.push(`down failed: ${downFailure}`);
    return finish();
  }
  const restored = await readSchemaFacts(session);
  report('after up → down the schema differs from before up', diffSchemaFacts(before, restored));
  await compareRows('down', prints);

  const reupFailure = await attempt(() =>
    migrator.migrate({ to: migration.tag, allowOutOfOrder: true }),
  );
  if (reupFailure) {
    problems.push(`up after down failed: ${reupFailure}`);
    return finish();
  }
  report(
    'after up → down → up the schema differs from after up',
    diffSchemaFacts(after, await readSchemaFacts(session)),
  );
  await compareRows('down and up', prints);
  return finish();

  function report(heading: string, differences: string[]) {
    if (differences.length > 0)
      problems.push(`${heading}:\n${differences.map((d) => `  ${d}`).join('\n')}`);
  }
  async function compareRows(step: string, expected: Map<string, string>) {
    const now = await fingerprints(session, [...expected.keys()]);
    for (const [table, digest] of expected) {
      if (now.get(table) !== digest)
        problems.push(
          `rows of ${table}, which the migration does not touch, changed across ${step}`,
        );
    }
  }
  /** Sample rows go again, so that a later migration meets the tables as it would on a fresh database. */
  async function finish() {
    if (sampled.length > 0)
      await session.exec(`TRUNCATE ${sampled.join(', ')} CASCADE`).catch(() => undefined);
    return verdict();
  }
}

async function fingerprints(session: Session, tables: string[]): Promise<Map<string, string>> {
  const prints = new Map<string, string>();
  for (const table of tables) prints.set(table, await fingerprint(session, table));
  return prints;
}

/** Runs a step; returns the failure as one line instead of throwing. */
async function attempt(step: () => Promise<unknown>): Promise<string | null> {
  try {
    await step();
    return null;
  } catch (error) {
    const message =
      error instanceof JamDbError ? error.message : String((error as Error)?.message ?? error);
    return message.replace(/\s*\n\s*/g, ' ');
  }
}

/** Whether SQL names a table ("schema"."table", "table" or table), to leave it out of the row check. */
function mentionsTable(sql: string, qualifiedTable: string): boolean {
  const bare = qualifiedTable.split('.').pop()!.replace(/^"|"$/g, '');
  const escaped = bare.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^\\w$])"?${escaped}"?($|[^\\w$])`, 'i').test(sql);
}
