import packageJson from '../../package.json' with { type: 'json' };
import type { Migration } from '../drizzle-kit/migration-folder.js';
import { type Batch, tagsAfter, tagsBefore, toBatches } from './batches.js';
import { downHashOf } from './down-script-checks.js';
import { explainFailure } from './explain-failure.js';
import { locateByReplay } from './failure-location.js';
import { withLockRetries } from './lock-retries.js';
import { type RunRelations, touchedBy } from './relation-uses.js';
import type { RunContext, StepResult } from './run-context.js';
import { runScript } from './script-runner.js';
import { applySegments } from './segment-runner.js';
import type { MigrationPlan } from './segments.js';
import { StatementFailure } from './statement-failure.js';
import { recordApplied, type SegmentProgress } from './tracking.js';
import { inTransaction } from './transaction.js';

/**
 * Runs the plan in the batches `toBatches` cuts: one shared transaction for
 * consecutive migrations that touch only relations the run creates, a
 * transaction of its own for one that touches a relation that existed before
 * the run, segments for one that must run outside a transaction. A new enum value cannot be used before the
 * transaction that added it commits; rather than guess from the SQL and commit
 * (an fsync each) at every `ADD VALUE`, the run tries without those cuts and,
 * if PostgreSQL reports such a use (55P04), redoes the rest with them.
 */
export async function applyPlan(
  run: RunContext,
  plan: Migration[],
  plans: Map<Migration, MigrationPlan>,
  partial: Map<string, SegmentProgress>,
  relations: RunRelations,
): Promise<StepResult[]> {
  const results: StepResult[] = [];
  let cutAtNewEnumValues = false;
  const planOf = (migration: Migration) => plans.get(migration)!;
  let batches = toBatches(plan, planOf, cutAtNewEnumValues, relations);
  while (batches.length > 0) {
    const batch = batches.shift()!;
    try {
      results.push(
        ...(await applyBatch(run, batch, partial, () =>
          touchedBy(batch.migrations, relations, planOf),
        )),
      );
    } catch (error) {
      if (!cutAtNewEnumValues && usesUncommittedEnumValue(error) && !error.segment) {
        cutAtNewEnumValues = true;
        run.onProgress?.({ kind: 'enum-value-redo', tag: error.tag });
        batches = toBatches(plan.slice(results.length), planOf, cutAtNewEnumValues, relations);
        continue;
      }
      await locateByReplay(run.session, batch.migrations, error);
      const failedTag = error instanceof StatementFailure ? error.tag : null;
      throw explainFailure(run, error, {
        direction: 'up',
        mode: batch.mode,
        sameTransaction: tagsBefore(batch.migrations, failedTag),
        committed: results.map((r) => r.tag),
        notRun: [
          ...tagsAfter(batch.migrations, failedTag),
          ...batches.flatMap((b) => b.migrations.map((m) => m.tag)),
        ],
      });
    }
  }
  return results;
}

async function applyBatch(
  run: RunContext,
  batch: Batch,
  partial: Map<string, SegmentProgress>,
  touched: () => Promise<string[]>,
): Promise<StepResult[]> {
  const { mode, migrations, segmented } = batch;
  if (segmented) {
    const migration = migrations[0]!;
    return [await applySegments(run, migration, mode, segmented, partial.get(migration.tag))];
  }
  return withLockRetries(
    run,
    migrations[0]!.tag,
    () =>
      inTransaction(run.session, async () => {
        const steps: StepResult[] = [];
        for (const migration of migrations) {
          steps.push(await runScript(run, migration, 'up', mode));
        }
        const entries = steps.map((step, i) => ({
          migration: migrations[i]!,
          durationMs: step.durationMs,
          downHash: downHashOf(run.folder, migrations[i]!),
        }));
        await recordApplied(run.session, entries, packageJson.version);
        return steps;
      }),
    touched,
  );
}

/** PostgreSQL's unsafe_new_enum_value_usage: a value used in the transaction that added it. */
const usesUncommittedEnumValue = (error: unknown): error is StatementFailure =>
  error instanceof StatementFailure && (error.cause as { code?: string })?.code === '55P04';
