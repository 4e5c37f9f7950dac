import packageJson from '../../package.json' with { type: 'json' };
import type { Target } from '../client/target.js';
import { openSession } from '../engines/open-session.js';
import type { Session, SessionOptions } from '../engines/session.js';
import { JamDbError } from '../errors.js';
import { type DownScript, readDownScript } from './down-script.js';
import { databaseMessage, locateStatement } from './failure.js';
import { compareHistory, type History } from './history.js';
import type { Migration, MigrationFolder } from './journal.js';
import { withMigrationLock } from './lock.js';
import { ensureTrackingTables, readAppliedRows, recordApplied, removeApplied } from './tracking.js';

export interface MigratorOptions {
  target: Target;
  folder: MigrationFolder;
  /** How long a run waits for another run's migration lock. */
  lockWaitMs?: number;
  /** PostgreSQL `lock_timeout` for each statement, so DDL never queues behind a long transaction for long. */
  statementLockTimeoutMs?: number;
  session?: Partial<SessionOptions>;
  onProgress?: (event: ProgressEvent) => void;
}

export type ProgressEvent =
  | { kind: 'start'; direction: 'up' | 'down'; tag: string }
  | { kind: 'done'; direction: 'up' | 'down'; tag: string; durationMs: number };

export interface StepResult {
  tag: string;
  direction: 'up' | 'down';
  durationMs: number;
  statements: string[];
}

export interface MigrateOptions {
  to?: string | undefined;
  dryRun?: boolean | undefined;
}

export interface RollbackOptions {
  steps?: number | undefined;
  to?: string | undefined;
  dryRun?: boolean | undefined;
  allowDataLoss?: boolean | undefined;
}

/**
 * Applies and reverts the migrations of one folder on one database. Every public
 * method opens its own connection, holds the migration lock for the whole run and
 * releases both on every exit path.
 */
export class Migrator {
  private readonly lockWaitMs: number;
  private readonly statementLockTimeoutMs: number;

  constructor(private readonly options: MigratorOptions) {
    this.lockWaitMs = options.lockWaitMs ?? 60_000;
    this.statementLockTimeoutMs = options.statementLockTimeoutMs ?? 5_000;
  }

  get folder(): MigrationFolder {
    return this.options.folder;
  }

  async status(): Promise<History> {
    return this.withSession(async (session) =>
      compareHistory(this.folder.migrations, await readAppliedRows(session)),
    );
  }

  async migrate(options: MigrateOptions = {}): Promise<StepResult[]> {
    return this.withLockedSession(async (session) => {
      if (!options.dryRun) await ensureTrackingTables(session);
      const history = compareHistory(this.folder.migrations, await readAppliedRows(session));
      refuseInconsistentHistory(history);
      const plan = this.upTo(history.pending, options.to, history);
      if (options.dryRun || plan.length === 0) {
        return plan.map((m) => ({
          tag: m.tag,
          direction: 'up',
          durationMs: 0,
          statements: m.statements,
        }));
      }
      return this.inTransaction(session, () => this.applyAll(session, plan));
    });
  }

  async rollback(options: RollbackOptions = {}): Promise<StepResult[]> {
    return this.withLockedSession(async (session) => {
      const history = compareHistory(this.folder.migrations, await readAppliedRows(session));
      refuseInconsistentHistory(history);
      const newestFirst = [...history.applied].sort((a, b) => b.row.id - a.row.id);
      const plan = this.rollbackPlan(newestFirst, options);
      const scripts = plan.map(({ migration }) => this.downScriptFor(migration, options));
      if (options.dryRun) {
        return scripts.map((s) => ({
          tag: s.tag,
          direction: 'down',
          durationMs: 0,
          statements: s.statements,
        }));
      }
      await ensureTrackingTables(session);
      const results: StepResult[] = [];
      for (const [i, script] of scripts.entries()) {
        const { row } = plan[i]!;
        // Each step is its own transaction: a failure leaves the earlier steps rolled back and this one untouched.
        results.push(
          await this.inTransaction(session, async () => {
            const result = await this.runStatements(
              session,
              script.tag,
              script.path,
              script.statements,
              'down',
            );
            await removeApplied(session, row.id);
            return result;
          }),
        );
      }
      return results;
    });
  }

  private upTo(pending: Migration[], to: string | undefined, history: History): Migration[] {
    if (to === undefined) return pending;
    const target = this.folder.migrations.find((m) => m.tag === to);
    if (!target) throw unknownTag(to, this.folder);
    if (history.applied.some((a) => a.migration === target)) return [];
    return pending.filter((m) => m.idx <= target.idx);
  }

  private rollbackPlan(
    newestFirst: History['applied'],
    options: RollbackOptions,
  ): History['applied'] {
    if (options.to !== undefined) {
      const target = this.folder.migrations.find((m) => m.tag === options.to);
      if (!target) throw unknownTag(options.to, this.folder);
      const keep = newestFirst.findIndex((a) => a.migration === target);
      if (keep < 0) {
        throw new JamDbError(
          'usage',
          `--to ${options.to}: that migration is not applied, so there is nothing to roll back to.`,
          'Run `jam-db status` to see the applied migrations.',
        );
      }
      return newestFirst.slice(0, keep);
    }
    return newestFirst.slice(0, options.steps ?? 1);
  }

  private downScriptFor(migration: Migration, options: RollbackOptions): DownScript {
    const script = readDownScript(this.folder.dir, migration.tag);
    if (!script) {
      throw new JamDbError(
        'down-script',
        `Migration ${migration.tag} has no down script (${migration.tag}.down.sql beside ${migration.path}). Nothing was rolled back.`,
        'Write the down script, or run `jam-db generate-down` to derive it.',
      );
    }
    if (script.manual) {
      throw new JamDbError(
        'down-script',
        `The down script ${script.path} is marked "-- jam-db:manual": no one has written it yet. Nothing was rolled back.`,
        'Write the statements that undo the migration and remove the marker line.',
      );
    }
    if (script.dataLoss && !options.allowDataLoss) {
      const what = script.notes.length > 0 ? ` It ${script.notes.join(' ')}` : '';
      throw new JamDbError(
        'data-loss',
        `Rolling back ${migration.tag} loses data: ${script.path} is marked "-- jam-db:data-loss".${what} Nothing was rolled back.`,
        'Back up what you need, then run the rollback again with --allow-data-loss.',
      );
    }
    return script;
  }

  private async applyAll(session: Session, plan: Migration[]): Promise<StepResult[]> {
    const results: StepResult[] = [];
    for (const migration of plan) {
      const result = await this.runStatements(
        session,
        migration.tag,
        migration.path,
        migration.statements,
        'up',
      );
      await recordApplied(session, migration, result.durationMs, packageJson.version);
      results.push(result);
    }
    return results;
  }

  private async runStatements(
    session: Session,
    tag: string,
    path: string,
    statements: string[],
    direction: 'up' | 'down',
  ): Promise<StepResult> {
    this.options.onProgress?.({ kind: 'start', direction, tag });
    const started = performance.now();
    for (const [position, statement] of statements.entries()) {
      try {
        await session.exec(statement);
      } catch (error) {
        throw new JamDbError(
          direction === 'up' ? 'migration-failed' : 'rollback-failed',
          `${direction === 'up' ? 'Migration' : 'Rollback of'} ${tag} failed at ${locateStatement(path, statement, position)}\n` +
            `The database said: ${databaseMessage(error, this.options.target)}\n` +
            'Nothing of this run was kept: its transaction was rolled back.',
          'Fix the statement and run the command again.',
          { cause: error },
        );
      }
    }
    const durationMs = performance.now() - started;
    this.options.onProgress?.({ kind: 'done', direction, tag, durationMs });
    return { tag, direction, durationMs, statements };
  }

  private async inTransaction<T>(session: Session, work: () => Promise<T>): Promise<T> {
    await session.exec('BEGIN');
    try {
      const result = await work();
      await session.exec('COMMIT');
      return result;
    } catch (error) {
      await session.exec('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }

  private async withSession<T>(work: (session: Session) => Promise<T>): Promise<T> {
    const session = await openSession(this.options.target, this.options.session);
    try {
      return await work(session);
    } finally {
      await session.close().catch(() => undefined);
    }
  }

  private async withLockedSession<T>(work: (session: Session) => Promise<T>): Promise<T> {
    return this.withSession(async (session) => {
      if (session.engine !== 'pglite') {
        await session.exec(
          `SET lock_timeout = ${Math.max(1, Math.round(this.statementLockTimeoutMs))}`,
        );
      }
      return withMigrationLock(session, this.lockWaitMs, () => work(session));
    });
  }
}

function unknownTag(tag: string, folder: MigrationFolder): JamDbError {
  const tags = folder.migrations.map((m) => m.tag);
  return new JamDbError(
    'usage',
    `--to ${tag}: no migration with that tag in ${folder.dir}.`,
    tags.length > 0 ? `Known tags: ${tags.join(', ')}.` : 'The folder holds no migrations yet.',
  );
}

/** Changed or vanished migrations mean the folder and the database disagree about the past. */
function refuseInconsistentHistory(history: History): void {
  if (history.changed.length > 0) {
    const tags = history.changed.map((c) => c.migration.tag).join(', ');
    throw new JamDbError(
      'history-mismatch',
      `Applied migration file changed since it was applied: ${tags}. Nothing was run.`,
      'Restore the file as it was applied (see git history); change the schema with a new migration instead.',
    );
  }
  if (history.unknown.length > 0) {
    const rows = history.unknown
      .map((r) => r.tag ?? `drizzle id ${r.id} (hash ${r.hash.slice(0, 12)})`)
      .join(', ');
    throw new JamDbError(
      'history-mismatch',
      `The database has applied migrations that the migrations folder does not have: ${rows}. Nothing was run.`,
      'Check that --migrations points at the right folder and that your branch includes every applied migration.',
    );
  }
}
