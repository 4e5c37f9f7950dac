import type { Migration, MigrationFolder } from '../drizzle-kit/migration-folder.js';
import { openMigrationSession } from '../engines/migration-session.js';
import { openSession } from '../engines/open-session.js';
import type { Session, SessionOptions } from '../engines/session.js';
import type { Target } from '../target/target.js';
import { acceptEdits } from './accept-edits.js';
import { withAdoptionHint } from './adoption-hint.js';
import { applyPlan } from './apply-plan.js';
import { requireDownScript } from './down-script-checks.js';
import { compareHistory, type History } from './history.js';
import {
  partialOf,
  refuseChangedAppliedPart,
  refuseInconsistentHistory,
  refuseOutOfOrder,
  refuseRollbackOverPartial,
} from './history-guards.js';
import { withMigrationLock } from './lock.js';
import { defaultLockRetries, defaultLockTimeoutMs } from './lock-settings.js';
import { type PartialMigration, withNextStatement } from './next-statement.js';
import { appliedToRollBack, pendingUpTo } from './plan-selection.js';
import { readRunRelations } from './relation-uses.js';
import { revertPlan } from './revert-plan.js';
import {
  type ProgressEvent,
  type RunContext,
  type StepResult,
  sharedTransaction,
} from './run-context.js';
import { type MigrationPlan, planMigration } from './segments.js';
import { ensureTrackingTables, readAppliedRows, readSegmentProgress } from './tracking.js';

export { describeProgress } from './history-guards.js';
export type { Direction, ProgressEvent, StepResult } from './run-context.js';

export interface MigratorOptions {
  target: Target;
  folder: MigrationFolder;
  /** How long a run waits for another run's migration lock. Default 60 s. */
  lockWaitMs?: number | undefined;
  /**
   * PostgreSQL `lock_timeout` per statement, so DDL never queues the writes of a
   * busy table behind it for longer than this. Default 200 ms.
   */
  statementLockTimeoutMs?: number | undefined;
  /** How often a transaction that hit `lock_timeout` is tried again, with growing pauses. Default 10. */
  lockRetries?: number | undefined;
  session?: Partial<SessionOptions> | undefined;
  /**
   * Work on this open connection instead of opening one per call, and leave it
   * open: `verify` runs many steps on one scratch database (an in-memory PGlite
   * lives only as long as its connection).
   */
  connection?: Session | undefined;
  onProgress?: ((event: ProgressEvent) => void) | undefined;
}

export interface MigrateOptions {
  to?: string | undefined;
  dryRun?: boolean | undefined;
  /** Apply pending migrations that are older than applied ones instead of refusing. */
  allowOutOfOrder?: boolean | undefined;
  /** Tags of applied migrations whose file was edited on purpose: record the new hash, run nothing. */
  acceptChanged?: string[] | undefined;
}

/** The history, plus the migrations applied in part (pending, with their segment progress). */
export interface MigrationStatus extends History {
  partial: PartialMigration[];
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
 * releases both on every exit path. What a run does step by step lives beside it:
 * apply-plan.ts and segment-runner.ts up, revert-plan.ts down.
 */
export class Migrator {
  private readonly lockWaitMs: number;
  private readonly statementLockTimeoutMs: number;
  private readonly lockRetries: number;

  constructor(private readonly options: MigratorOptions) {
    this.lockWaitMs = options.lockWaitMs ?? 60_000;
    this.statementLockTimeoutMs = options.statementLockTimeoutMs ?? defaultLockTimeoutMs;
    this.lockRetries = options.lockRetries ?? defaultLockRetries;
  }

  get folder(): MigrationFolder {
    return this.options.folder;
  }

  async status(): Promise<MigrationStatus> {
    // Reading needs no session state, so status also works through a transaction pooler.
    return this.withSession(openSession, async (session) => {
      const history = compareHistory(this.folder.migrations, await readAppliedRows(session));
      const progress = partialOf(history, await readSegmentProgress(session));
      const partial = await Promise.all(
        progress.map((p) =>
          withNextStatement(
            history.pending.find((m) => m.tag === p.tag),
            p,
          ),
        ),
      );
      return { ...history, partial };
    });
  }

  async migrate(options: MigrateOptions = {}): Promise<StepResult[]> {
    return this.withLockedSession(async (session) => {
      let history = compareHistory(this.folder.migrations, await readAppliedRows(session));
      if (options.acceptChanged?.length) {
        if (!options.dryRun) await ensureTrackingTables(session, this.folder.layout);
        history = await acceptEdits(
          session,
          history,
          options.acceptChanged,
          options.dryRun,
          this.options.onProgress,
        );
      }
      refuseInconsistentHistory(history);
      const plan = pendingUpTo(this.folder, history, options.to);
      if (!options.allowOutOfOrder) refuseOutOfOrder(plan, history);
      const plans = new Map<Migration, MigrationPlan>();
      for (const migration of plan) plans.set(migration, await planMigration(migration));
      if (options.dryRun || plan.length === 0) {
        return plan.map((m) => ({
          tag: m.tag,
          direction: 'up',
          durationMs: 0,
          statements: m.statements,
          mode: plans.get(m)!.mode,
        }));
      }
      // Only now: a no-op run takes no DDL locks and costs no round trip for this.
      await ensureTrackingTables(session, this.folder.layout);
      const partial = new Map((await readSegmentProgress(session)).map((p) => [p.tag, p]));
      for (const migration of plan) {
        const progress = partial.get(migration.tag);
        if (progress) refuseChangedAppliedPart(migration, plans.get(migration)!, progress);
      }
      const relations = await readRunRelations(session, plan, (m) => plans.get(m)!);
      try {
        return await applyPlan(this.runContext(session), plan, plans, partial, relations);
      } catch (error) {
        throw withAdoptionHint(error, history, this.folder);
      }
    });
  }

  async rollback(options: RollbackOptions = {}): Promise<StepResult[]> {
    return this.withLockedSession(async (session) => {
      const history = compareHistory(this.folder.migrations, await readAppliedRows(session));
      refuseInconsistentHistory(history);
      refuseRollbackOverPartial(partialOf(history, await readSegmentProgress(session)));
      const newestFirst = [...history.applied].sort((a, b) => b.row.id - a.row.id);
      const plan = appliedToRollBack(this.folder, newestFirst, options);
      // A preview refuses nothing it can show: it marks what the real run will refuse.
      const scripts = plan.map(({ migration }) =>
        requireDownScript(this.folder, migration, options.allowDataLoss || options.dryRun),
      );
      for (const [i, script] of scripts.entries()) {
        const recorded = plan[i]!.row.downHash;
        if (recorded && recorded !== script.hash) {
          this.options.onProgress?.({ kind: 'down-changed', tag: script.tag });
        }
      }
      if (options.dryRun) {
        return scripts.map((s) => ({
          tag: s.tag,
          direction: 'down',
          durationMs: 0,
          statements: s.statements,
          mode: sharedTransaction,
          dataLoss: s.dataLoss ? { notes: s.notes } : undefined,
        }));
      }
      await ensureTrackingTables(session, this.folder.layout);
      return revertPlan(this.runContext(session), plan, scripts);
    });
  }

  private runContext(session: Session): RunContext {
    return {
      session,
      folder: this.folder,
      target: this.options.target,
      statementLockTimeoutMs: this.statementLockTimeoutMs,
      lockRetries: this.lockRetries,
      onProgress: this.options.onProgress,
    };
  }

  private async withSession<T>(
    open: typeof openSession,
    work: (session: Session) => Promise<T>,
  ): Promise<T> {
    if (this.options.connection) return work(this.options.connection);
    const session = await open(this.options.target, this.options.session);
    try {
      return await work(session);
    } finally {
      await session.close().catch(() => undefined);
    }
  }

  private async withLockedSession<T>(work: (session: Session) => Promise<T>): Promise<T> {
    return this.withSession(openMigrationSession, async (session) => {
      if (session.engine !== 'pglite') {
        await session.exec(
          `SET lock_timeout = ${Math.max(1, Math.round(this.statementLockTimeoutMs))}`,
        );
      }
      return withMigrationLock(session, this.lockWaitMs, () => work(session));
    });
  }
}
