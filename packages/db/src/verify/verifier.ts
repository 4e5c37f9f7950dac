import type { Target } from '../client/target.js';
import type { MigrationFolder } from '../drizzle-kit/migration-folder.js';
import type { SchemaFacts } from '../introspect/schema-facts.js';
import { extensionsCreatedBy } from '../migrations/extensions.js';
import { Migrator } from '../migrations/migrator.js';
import { resolveRange, type VerifyRange } from './range.js';
import { attempt, checkRoundTrip } from './round-trip.js';
import { openScratchDatabase, type ScratchDatabase } from './scratch-database.js';
import type { MigrationVerdict } from './verdict.js';

export interface VerifyOptions extends VerifyRange {
  onVerdict?: ((verdict: MigrationVerdict) => void) | undefined;
  /** Told when the walk starts over on a fresh scratch database, and why. */
  onRebuild?: ((atTag: string) => void) | undefined;
  /** Told which server endpoint is used when it is not DATABASE_URL's (JAM_DB_DIRECT_URL, Neon's direct host). */
  onNotice?: ((line: string) => void) | undefined;
}

export interface VerifyReport {
  scratch: string;
  /** The first and last migration checked. */
  from: string | null;
  to: string | null;
  verdicts: MigrationVerdict[];
  /**
   * Set when a migration could not be applied even on a fresh database built up
   * to it, so none after it could be checked.
   */
  stopped: { tag: string; error: string; unchecked: string[] } | null;
  /** How often the walk started over on a fresh scratch database after a wrong round trip. */
  rebuilds: number;
  durationMs: number;
}

/**
 * Proves the down scripts of `folder` on a scratch database, migration by
 * migration in journal order. A wrong round trip can leave the database
 * different from what the next migration expects; the walk then starts over on
 * a fresh scratch database migrated (unchecked) up to that migration and goes
 * on, so one wrong script never hides the verdicts of the rest.
 */
export async function verifyMigrations(
  folder: MigrationFolder,
  home: Target,
  options: VerifyOptions = {},
): Promise<VerifyReport> {
  const started = performance.now();
  const { first, last } = resolveRange(folder, options);
  const migrations = folder.migrations;
  const verdicts: MigrationVerdict[] = [];
  let stopped: VerifyReport['stopped'] = null;
  let rebuilds = 0;
  let scratch: ScratchDatabase | null = null;
  let description = '';
  const historySql = folder.migrations
    .map((m) => m.sql)
    .join('\n')
    .toLowerCase();
  try {
    // Before the first step the database must be built; after a consistent step it is ready.
    let ready = false;
    let before: SchemaFacts | null = null;
    for (let position = first; position <= last; position++) {
      const migration = migrations[position]!;
      if (!ready) {
        if (scratch) {
          rebuilds++;
          options.onRebuild?.(migration.tag);
          await scratch.drop().catch(() => undefined);
          scratch = null;
        }
        scratch = await openScratchDatabase(home, {
          onNotice: rebuilds === 0 ? options.onNotice : undefined,
          ownsRole: (role) => historySql.includes(role.toLowerCase()),
          extensions: extensionsCreatedBy(folder.migrations),
        });
        description = scratch.description;
        const previous = migrations[position - 1];
        const failure = previous
          ? await attempt(() =>
              migratorFor(scratch!, folder).migrate({ to: previous.tag, allowOutOfOrder: true }),
            )
          : null;
        if (failure) {
          stopped = {
            tag: previous!.tag,
            error: failure,
            unchecked: migrations.slice(position, last + 1).map((m) => m.tag),
          };
          break;
        }
        before = null;
      }
      const outcome = await checkRoundTrip({
        session: scratch!.session,
        migrator: migratorFor(scratch!, folder),
        folder,
        migration,
        seed: position + 1,
        before,
      });
      verdicts.push(outcome.verdict);
      options.onVerdict?.(outcome.verdict);
      ready = outcome.consistent;
      before = outcome.facts;
    }
  } finally {
    await scratch?.drop().catch(() => undefined);
  }
  return {
    scratch: description,
    from: migrations[first]?.tag ?? null,
    to: migrations[last]?.tag ?? null,
    verdicts,
    stopped,
    rebuilds,
    durationMs: performance.now() - started,
  };
}

const migratorFor = (scratch: ScratchDatabase, folder: MigrationFolder) =>
  new Migrator({ target: scratch.target, folder, connection: scratch.session });
