import { setTimeout as sleep } from 'node:timers/promises';
import packageJson from '../../package.json' with { type: 'json' };
import type { Target } from '../client/target.js';
import { type Migration, type MigrationFolder, sha256 } from '../drizzle-kit/migration-folder.js';
import { openMigrationSession } from '../engines/migration-session.js';
import { openSession } from '../engines/open-session.js';
import type { Session, SessionOptions } from '../engines/session.js';
import { JamDbError } from '../errors.js';
import { withAdoptionHint } from './adoption-hint.js';
import { type DownScript, downScriptPath, readDownScript } from './down-script.js';
import { addedEnumValues, type ExecutionMode, mentionsAny } from './execution-mode.js';
import { databaseMessage, locateStatement } from './failure.js';
import { compareHistory, type History } from './history.js';
import { finishInterruptedStatement } from './interrupted-statement.js';
import { withMigrationLock } from './lock.js';
import { describeFailedRun, type FailedRun } from './run-outcome.js';
import {
  appliedPartHash,
  type MigrationPlan,
  planMigration,
  type Segment,
  type SegmentedMigration,
} from './segments.js';
import { StatementFailure } from './statement-failure.js';
import { type Span, sqlStatementSpans } from './statement-spans.js';
import { joinStatements, positionInScript } from './statements.js';
import {
  acceptEditedFile,
  clearSegmentProgress,
  ensureTrackingTables,
  readAppliedRows,
  readSegmentProgress,
  recordApplied,
  removeApplied,
  type SegmentProgress,
  saveSegmentProgress,
} from './tracking.js';

export interface MigratorOptions {
  target: Target;
  folder: MigrationFolder;
  /** How long a run waits for another run's migration lock. Default 60 s. */
  lockWaitMs?: number | undefined;
  /** PostgreSQL `lock_timeout` per statement, so DDL never queues for long behind a long transaction. Default 5 s. */
  statementLockTimeoutMs?: number | undefined;
  /** How often a batch that hit `lock_timeout` is tried again, with growing pauses. Default 3. */
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

export type Direction = 'up' | 'down';

export type ProgressEvent =
  | { kind: 'start'; direction: Direction; tag: string; mode: ExecutionMode }
  | { kind: 'done'; direction: Direction; tag: string; durationMs: number; mode: ExecutionMode }
  | { kind: 'retry'; tag: string; attempt: number; waitMs: number }
  | { kind: 'accepted-edit'; tag: string }
  | { kind: 'enum-value-redo'; tag: string }
  /** A migration an earlier run applied in part continues after its committed segments. */
  | { kind: 'resume'; tag: string; segmentsDone: number; segmentsTotal: number }
  /** A statement run outside a transaction was interrupted; what it left was checked. */
  | { kind: 'interrupted-statement'; tag: string; finding: string }
  | { kind: 'down-changed'; tag: string };

export interface StepResult {
  tag: string;
  direction: Direction;
  durationMs: number;
  statements: string[];
  mode: ExecutionMode;
  /** For a down step: what its script says it loses, when it is marked `-- jam-db:data-loss`. */
  dataLoss?: { notes: string[] } | undefined;
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
  partial: SegmentProgress[];
}

export interface RollbackOptions {
  steps?: number | undefined;
  to?: string | undefined;
  dryRun?: boolean | undefined;
  allowDataLoss?: boolean | undefined;
}

const sharedTransaction: ExecutionMode = { kind: 'shared-transaction' };

/**
 * Applies and reverts the migrations of one folder on one database. Every public
 * method opens its own connection, holds the migration lock for the whole run and
 * releases both on every exit path.
 */
export class Migrator {
  private readonly lockWaitMs: number;
  private readonly statementLockTimeoutMs: number;
  private readonly lockRetries: number;

  constructor(private readonly options: MigratorOptions) {
    this.lockWaitMs = options.lockWaitMs ?? 60_000;
    this.statementLockTimeoutMs = options.statementLockTimeoutMs ?? 5_000;
    this.lockRetries = options.lockRetries ?? 3;
  }

  get folder(): MigrationFolder {
    return this.options.folder;
  }

  async status(): Promise<MigrationStatus> {
    // Reading needs no session state, so status also works through a transaction pooler.
    return this.withSession(openSession, async (session) => {
      const history = compareHistory(this.folder.migrations, await readAppliedRows(session));
      return { ...history, partial: partialOf(history, await readSegmentProgress(session)) };
    });
  }

  async migrate(options: MigrateOptions = {}): Promise<StepResult[]> {
    return this.withLockedSession(async (session) => {
      let history = compareHistory(this.folder.migrations, await readAppliedRows(session));
      if (options.acceptChanged?.length) {
        if (!options.dryRun) await ensureTrackingTables(session, this.folder.layout);
        history = await this.acceptEdits(session, history, options.acceptChanged, options.dryRun);
      }
      refuseInconsistentHistory(history);
      const plan = this.upTo(history.pending, options.to, history);
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
      try {
        return await this.applyPlan(session, plan, plans, partial);
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
      const plan = this.rollbackPlan(newestFirst, options);
      // A preview refuses nothing it can show: it marks what the real run will refuse.
      const scripts = plan.map(({ migration }) =>
        this.downScriptFor(migration, {
          ...options,
          allowDataLoss: options.allowDataLoss || options.dryRun,
        }),
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
      const results: StepResult[] = [];
      for (const [i, script] of scripts.entries()) {
        const { row } = plan[i]!;
        try {
          // Each step is its own transaction: a failure keeps the steps before it and nothing of itself.
          const result = await this.withLockRetries(script.tag, () =>
            this.inTransaction(session, async () => {
              const step = await this.runScript(session, script, 'down', sharedTransaction);
              await removeApplied(session, row.id);
              return step;
            }),
          );
          results.push(result);
        } catch (error) {
          await this.locateByReplay(session, [script], error);
          throw this.explainFailure(error, {
            direction: 'down',
            mode: sharedTransaction,
            sameTransaction: [],
            committed: results.map((r) => r.tag),
            notRun: scripts.slice(i + 1).map((s) => s.tag),
          });
        }
      }
      return results;
    });
  }

  /**
   * Runs the plan in as few transactions as PostgreSQL allows: one shared
   * transaction for consecutive ordinary migrations, cut only where a migration
   * must run outside a transaction. A new enum value cannot be used before the
   * transaction that added it commits; rather than guess from the SQL and commit
   * (an fsync each) at every `ADD VALUE`, the run tries without those cuts and,
   * if PostgreSQL reports such a use (55P04), redoes the rest with them.
   */
  private async applyPlan(
    session: Session,
    plan: Migration[],
    plans: Map<Migration, MigrationPlan>,
    partial: Map<string, SegmentProgress>,
  ): Promise<StepResult[]> {
    const results: StepResult[] = [];
    let cutAtNewEnumValues = false;
    const planOf = (migration: Migration) => plans.get(migration)!;
    let batches = toBatches(plan, planOf, cutAtNewEnumValues);
    while (batches.length > 0) {
      const batch = batches.shift()!;
      try {
        results.push(...(await this.applyBatch(session, batch, partial)));
      } catch (error) {
        if (!cutAtNewEnumValues && usesUncommittedEnumValue(error) && !error.segment) {
          cutAtNewEnumValues = true;
          this.options.onProgress?.({ kind: 'enum-value-redo', tag: error.tag });
          batches = toBatches(plan.slice(results.length), planOf, cutAtNewEnumValues);
          continue;
        }
        await this.locateByReplay(session, batch.migrations, error);
        throw this.explainFailure(error, {
          direction: 'up',
          mode: batch.mode,
          sameTransaction: tagsBefore(batch.migrations, error),
          committed: results.map((r) => r.tag),
          notRun: [
            ...tagsAfter(batch.migrations, error),
            ...batches.flatMap((b) => b.migrations.map((m) => m.tag)),
          ],
        });
      }
    }
    return results;
  }

  private async applyBatch(
    session: Session,
    batch: Batch,
    partial: Map<string, SegmentProgress>,
  ): Promise<StepResult[]> {
    const { mode, migrations, segmented } = batch;
    if (segmented) {
      const migration = migrations[0]!;
      return [
        await this.applySegments(session, migration, mode, segmented, partial.get(migration.tag)),
      ];
    }
    return this.withLockRetries(migrations[0]!.tag, () =>
      this.inTransaction(session, async () => {
        const steps: StepResult[] = [];
        for (const migration of migrations) {
          steps.push(await this.runScript(session, migration, 'up', mode));
        }
        const entries = steps.map((step, i) => ({
          migration: migrations[i]!,
          durationMs: step.durationMs,
          downHash: this.downHashOf(migrations[i]!),
        }));
        await recordApplied(session, entries, packageJson.version);
        return steps;
      }),
    );
  }

  /**
   * One segment after the other, each committed with the migration's progress
   * (the last with its drizzle row), so a failure or a kill leaves a recorded
   * state. A segment PostgreSQL refuses in a transaction runs alone and is marked
   * as running first, so a run after a kill knows to check what it left.
   */
  private async applySegments(
    session: Session,
    migration: Migration,
    mode: ExecutionMode,
    segmented: SegmentedMigration,
    progress: SegmentProgress | undefined,
  ): Promise<StepResult> {
    const { tag } = migration;
    const total = segmented.segments.length;
    const done = progress?.segmentsDone ?? 0;
    this.options.onProgress?.({ kind: 'start', direction: 'up', tag, mode });
    if (progress) {
      this.options.onProgress?.({
        kind: 'resume',
        tag,
        segmentsDone: done,
        segmentsTotal: total,
      });
    }
    const started = performance.now();
    const recordCommitted = async (count: number) => {
      if (count < total) {
        await saveSegmentProgress(
          session,
          {
            tag,
            hash: migration.hash,
            appliedPartHash: appliedPartHash(segmented, count),
            segmentsDone: count,
            segmentsTotal: total,
            runningSegment: null,
            runningHash: null,
          },
          packageJson.version,
        );
        return;
      }
      const durationMs = performance.now() - started;
      await recordApplied(
        session,
        [{ migration, durationMs, downHash: this.downHashOf(migration) }],
        packageJson.version,
      );
      await clearSegmentProgress(session, tag);
    };
    if (total === 0) await this.inTransaction(session, () => recordCommitted(0));
    for (let index = done; index < total; index++) {
      const segment = segmented.segments[index]!;
      try {
        if (segment.transactional) {
          await this.withLockRetries(tag, () =>
            this.inTransaction(session, async () => {
              await this.runSegment(session, migration, segmented, segment);
              await recordCommitted(index + 1);
            }),
          );
        } else {
          await this.runAloneWithProgress(session, migration, segmented, index, progress);
          // Saves a commit per statement: the next segment's record says this one finished.
          // A kill before it leaves this one marked running, and the next run checks what it left.
          if (index + 1 === total) await this.inTransaction(session, () => recordCommitted(total));
        }
      } catch (error) {
        const before = segmented.segments[index - 1];
        if (index > done && before && !before.transactional) {
          // The segment before ran alone and finished; its record was to come with this one.
          await this.inTransaction(session, () => recordCommitted(index)).catch(() => undefined);
        }
        if (error instanceof StatementFailure) {
          if (segment.transactional) await this.locateInSegment(session, segmented, segment, error);
          error.segment = { index, total, transactional: segment.transactional };
        }
        throw error;
      }
    }
    const durationMs = performance.now() - started;
    this.options.onProgress?.({ kind: 'done', direction: 'up', tag, durationMs, mode });
    return { tag, direction: 'up', durationMs, statements: migration.statements, mode };
  }

  /**
   * A statement PostgreSQL refuses in a transaction (CREATE INDEX CONCURRENTLY,
   * VACUUM, …) in autocommit. It is marked as running before it starts; when a
   * run finds it marked (a kill, a failure) or a lock_timeout interrupted it, what
   * it left is checked first: a VALID index counts as built, an INVALID one is
   * dropped and built again.
   */
  private async runAloneWithProgress(
    session: Session,
    migration: Migration,
    segmented: SegmentedMigration,
    index: number,
    progress: SegmentProgress | undefined,
  ): Promise<void> {
    const segment = segmented.segments[index]!;
    const position = segment.statements[0]!;
    const statementHash = sha256(segmented.statements[position]!);
    await saveSegmentProgress(
      session,
      {
        tag: migration.tag,
        hash: migration.hash,
        appliedPartHash: appliedPartHash(segmented, index),
        segmentsDone: index,
        segmentsTotal: segmented.segments.length,
        runningSegment: index,
        runningHash: statementHash,
      },
      packageJson.version,
    );
    let mayBeHalfDone = progress?.runningSegment === index;
    const unchanged = !mayBeHalfDone || progress?.runningHash === statementHash;
    await this.withLockRetries(migration.tag, async () => {
      if (mayBeHalfDone) {
        const outcome = await finishInterruptedStatement(
          session,
          segmented.nodes[position],
          unchanged,
        );
        if (outcome) {
          this.options.onProgress?.({
            kind: 'interrupted-statement',
            tag: migration.tag,
            finding: outcome.finding,
          });
          if (outcome.done) return;
        }
      }
      mayBeHalfDone = true;
      await this.runSegment(session, migration, segmented, segment);
    });
  }

  /** A segment's statements in one round trip; the failing one is traced back from the error position. */
  private async runSegment(
    session: Session,
    migration: Migration,
    segmented: SegmentedMigration,
    segment: Segment,
  ): Promise<void> {
    const joined = joinStatements(segment.statements.map((i) => segmented.statements[i]!));
    try {
      await session.exec(joined.text);
    } catch (error) {
      const at = positionInScript(joined, errorPosition(error));
      const index = segment.statements.length === 1 ? 0 : (at?.index ?? null);
      throw new StatementFailure(
        migration.tag,
        migration.path,
        index === null ? null : segment.statements[index]!,
        segmented.statements,
        error,
        at?.offset ?? null,
      );
    }
  }

  /** Names the failing statement of a rolled-back segment by replaying it in a transaction that is always rolled back. */
  private async locateInSegment(
    session: Session,
    segmented: SegmentedMigration,
    segment: Segment,
    failure: StatementFailure,
  ): Promise<void> {
    if (failure.position !== null || failure.isLockTimeout) return;
    try {
      await session.exec('BEGIN');
      for (const position of segment.statements) {
        try {
          await session.exec(segmented.statements[position]!);
        } catch {
          failure.position = position;
          return;
        }
      }
    } catch {
      // The replay went differently from the run; the statement stays unnamed.
    } finally {
      await session.exec('ROLLBACK').catch(() => undefined);
    }
  }

  /** The whole script in one round trip; the statement that failed is traced back from the error position. */
  private async runScript(
    session: Session,
    script: { tag: string; path: string; statements: string[] },
    direction: Direction,
    mode: ExecutionMode,
  ): Promise<StepResult> {
    this.options.onProgress?.({ kind: 'start', direction, tag: script.tag, mode });
    const started = performance.now();
    const joined = joinStatements(script.statements);
    if (script.statements.length > 0) {
      try {
        await session.exec(joined.text);
      } catch (error) {
        const at = positionInScript(joined, errorPosition(error));
        throw new StatementFailure(
          script.tag,
          script.path,
          at?.index ?? null,
          script.statements,
          error,
          at?.offset ?? null,
        );
      }
    }
    const durationMs = performance.now() - started;
    this.options.onProgress?.({ kind: 'done', direction, tag: script.tag, durationMs, mode });
    return { tag: script.tag, direction, durationMs, statements: script.statements, mode };
  }

  /**
   * When the database did not say where a script failed (runtime errors carry no
   * position), replay the batch statement by statement in a transaction that is
   * always rolled back, to name the statement. Only on the failure path.
   */
  private async locateByReplay(
    session: Session,
    batch: { tag: string; statements: string[] }[],
    failure: unknown,
  ): Promise<void> {
    if (
      !(failure instanceof StatementFailure) ||
      failure.position !== null ||
      failure.isLockTimeout
    )
      return;
    try {
      await session.exec('BEGIN');
      for (const script of batch) {
        if (script.tag !== failure.tag) {
          await session.exec(joinStatements(script.statements).text);
          continue;
        }
        for (const [position, statement] of script.statements.entries()) {
          // A statement holding several: a savepoint lets them be replayed one by one once it fails.
          const spans = sqlStatementSpans(statement);
          if (spans.length > 1) await session.exec('SAVEPOINT jam_db_replay');
          try {
            await session.exec(statement);
          } catch {
            failure.position = position;
            if (spans.length > 1)
              failure.replayedOffset = await firstFailingSpan(session, statement, spans);
            return;
          }
        }
        return;
      }
    } catch {
      // The replay went differently from the run; the statement stays unnamed.
    } finally {
      await session.exec('ROLLBACK').catch(() => undefined);
    }
  }

  /** Recorded at apply time, so a rollback can tell when the down script changed since. */
  private downHashOf(migration: Migration): string | null {
    return readDownScript(this.folder.dir, migration.tag)?.hash ?? null;
  }

  /** Retries work that hit lock_timeout, pausing 0.5 s, 1 s, 2 s, … between attempts. */
  private async withLockRetries<T>(tag: string, work: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await work();
      } catch (error) {
        const retry =
          error instanceof StatementFailure && error.isLockTimeout && attempt <= this.lockRetries;
        if (!retry) throw error;
        const waitMs = 500 * 2 ** (attempt - 1);
        this.options.onProgress?.({ kind: 'retry', tag, attempt, waitMs });
        await sleep(waitMs);
      }
    }
  }

  /** Turns a failure into one paragraph that also says what this run kept and what it rolled back. */
  private explainFailure(error: unknown, run: Omit<FailedRun, 'failed'>): unknown {
    if (!(error instanceof StatementFailure)) return error;
    const action = run.direction === 'up' ? 'Migration' : 'Rollback of';
    const lockHint = error.isLockTimeout
      ? `Another transaction held a lock on the table for longer than lock_timeout (${this.statementLockTimeoutMs} ms) in ${this.lockRetries + 1} attempts. Find it in pg_stat_activity, run again when traffic is lower, or raise --lock-timeout.`
      : error.segment && error.segment.index > 0
        ? 'Fix the failing statement (leave the segments already applied as they are) and run the command again: it continues with the failing segment.'
        : 'Fix the statement and run the command again.';
    return new JamDbError(
      run.direction === 'up' ? 'migration-failed' : 'rollback-failed',
      `${action} ${error.tag} failed at ${locateStatement(error)}\n` +
        `The database said: ${databaseMessage(error.cause, this.options.target)}\n` +
        describeFailedRun({ ...run, failed: error.tag, segment: error.segment }),
      lockHint,
      { cause: error.cause },
    );
  }

  private async acceptEdits(
    session: Session,
    history: History,
    tags: string[],
    dryRun: boolean | undefined,
  ): Promise<History> {
    for (const tag of tags) {
      const edit = history.changed.find((c) => c.migration.tag === tag);
      if (!edit) {
        throw new JamDbError(
          'usage',
          `--accept-changed ${tag}: that migration is not applied with a different file, so there is no edit to accept.`,
          'Run `pnpm db:status` to see which applied migrations changed.',
        );
      }
      if (!dryRun) await acceptEditedFile(session, edit.row.id, edit.migration.hash);
      this.options.onProgress?.({ kind: 'accepted-edit', tag });
    }
    const accepted = new Set(tags);
    const changed = history.changed.filter((c) => !accepted.has(c.migration.tag));
    const nowApplied = history.changed.filter((c) => accepted.has(c.migration.tag));
    return { ...history, changed, applied: [...history.applied, ...nowApplied] };
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
          'Run `pnpm db:status` to see the applied migrations.',
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
        `Migration ${migration.tag} has no down script (${downScriptPath(this.folder.dir, migration.tag)} beside ${migration.path}). Nothing was rolled back.`,
        'Write the down script, or run `pnpm db:generate-down` to derive it.',
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

interface Batch {
  mode: ExecutionMode;
  migrations: Migration[];
  /** Set for a migration that runs alone, in segments. */
  segmented?: SegmentedMigration | undefined;
}

/**
 * Consecutive ordinary migrations share one transaction. The batch is cut before
 * a migration that must run outside a transaction and, when asked, before one
 * that may use an enum value the batch added.
 */
function toBatches(
  plan: Migration[],
  planOf: (migration: Migration) => MigrationPlan,
  cutAtNewEnumValues: boolean,
): Batch[] {
  const batches: Batch[] = [];
  let addedInBatch: string[] = [];
  for (const migration of plan) {
    const { mode, segmented } = planOf(migration);
    const last = batches.at(-1);
    const joinsLast =
      !segmented &&
      !last?.segmented &&
      mode.kind === 'shared-transaction' &&
      last?.mode.kind === 'shared-transaction' &&
      !(cutAtNewEnumValues && mentionsAny(migration, addedInBatch));
    if (joinsLast) {
      last.migrations.push(migration);
    } else {
      batches.push({ mode, migrations: [migration], segmented: segmented ?? undefined });
      addedInBatch = [];
    }
    addedInBatch.push(...addedEnumValues(migration));
  }
  return batches;
}

/** The 1-based character position of a database error, NaN when it gave none. */
const errorPosition = (error: unknown): number => Number((error as { position?: string }).position);

/** Back at the savepoint before `statement`, runs its SQL statements one by one; where the first failing one starts. */
async function firstFailingSpan(
  session: Session,
  statement: string,
  spans: Span[],
): Promise<number | null> {
  await session.exec('ROLLBACK TO SAVEPOINT jam_db_replay');
  for (const span of spans) {
    try {
      await session.exec(statement.slice(span.start, span.end));
    } catch {
      return span.start;
    }
  }
  return null;
}

/** Tags of the batch's migrations that ran before the one that failed. */
function tagsBefore(migrations: Migration[], error: unknown): string[] {
  const at = failedIndex(migrations, error);
  return migrations.slice(0, Math.max(at, 0)).map((m) => m.tag);
}

function tagsAfter(migrations: Migration[], error: unknown): string[] {
  const at = failedIndex(migrations, error);
  return at < 0 ? [] : migrations.slice(at + 1).map((m) => m.tag);
}

const failedIndex = (migrations: Migration[], error: unknown): number =>
  error instanceof StatementFailure ? migrations.findIndex((m) => m.tag === error.tag) : -1;

/** PostgreSQL's unsafe_new_enum_value_usage: a value used in the transaction that added it. */
const usesUncommittedEnumValue = (error: unknown): error is StatementFailure =>
  error instanceof StatementFailure && (error.cause as { code?: string })?.code === '55P04';

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
    const tags = history.changed.map((c) => c.migration.tag);
    throw new JamDbError(
      'history-mismatch',
      `Applied migration file changed since it was applied: ${tags.join(', ')}. Nothing was run.`,
      `Restore the file as it was applied (see git history) and change the schema with a new migration; or, if the edit was deliberate and the database already matches it, record it with ${tags.map((t) => `--accept-changed ${t}`).join(' ')}.`,
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

/** drizzle would skip these silently; jam-db applies them only when asked to. */
function refuseOutOfOrder(plan: Migration[], history: History): void {
  const late = plan.filter((m) => history.outOfOrder.includes(m));
  if (late.length === 0) return;
  const newest = history.applied.reduce<Migration | undefined>(
    (found, { migration }) =>
      found === undefined || migration.idx > found.idx ? migration : found,
    undefined,
  );
  throw new JamDbError(
    'history-mismatch',
    `Pending migration${late.length > 1 ? 's' : ''} ${late.map((m) => m.tag).join(', ')} ${late.length > 1 ? 'are' : 'is'} older than the applied ${newest?.tag ?? 'migrations'} (merged late?). Nothing was run.`,
    'Check that it does not conflict with what was applied after it, then run `pnpm db:migrate --allow-out-of-order` to apply it.',
  );
}

/**
 * A migration applied in part continues after its committed segments only when
 * those segments are still what the file says; a failed segment may be fixed.
 */
function refuseChangedAppliedPart(
  migration: Migration,
  plan: MigrationPlan,
  progress: SegmentProgress,
): void {
  const applied = progress.segmentsDone;
  const same =
    plan.segmented !== null &&
    plan.segmented.segments.length >= applied &&
    appliedPartHash(plan.segmented, applied) === progress.appliedPartHash;
  if (same) return;
  throw new JamDbError(
    'history-mismatch',
    `Migration ${migration.tag} is applied in part (${describeProgress(progress)}), and the part of ${migration.path} already applied changed since. Nothing was run.`,
    `Restore the statements of its first ${applied} segment(s) as they were applied (see git history) and run migrate again: it continues after them; put further changes in the segments not yet applied or in a new migration. To start ${migration.tag} over instead, undo by hand what its applied segments did, then delete the record: DELETE FROM drizzle.__jam_progress WHERE tag = '${migration.tag}'.`,
  );
}

/** Progress rows of pending migrations (a row left for one finished by another tool means nothing). */
const partialOf = (history: History, progress: SegmentProgress[]): SegmentProgress[] =>
  progress.filter((p) => history.pending.some((m) => m.tag === p.tag));

/** "2 of 3 segments applied" */
export function describeProgress(progress: SegmentProgress): string {
  return `${progress.segmentsDone} of ${progress.segmentsTotal} segments applied${
    progress.runningSegment === null ? '' : `, segment ${progress.runningSegment + 1} interrupted`
  }`;
}

/** A down script undoes a whole migration; one applied in part has to be finished (or repaired) first. */
function refuseRollbackOverPartial(partial: SegmentProgress[]): void {
  if (partial.length === 0) return;
  const list = partial.map((p) => `${p.tag} (${describeProgress(p)})`).join(', ');
  throw new JamDbError(
    'history-mismatch',
    `Cannot roll back while a migration is applied in part: ${list}. Its down script undoes the whole migration, and the migrations before it must not be rolled back under it. Nothing was rolled back.`,
    'Run `pnpm db:migrate` to finish it (fix the failing segment first), then roll back; `pnpm db:status` shows where it stopped.',
  );
}
