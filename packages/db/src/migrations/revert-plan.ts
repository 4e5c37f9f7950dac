import { touchedRelations } from '../sql/relations.js';
import { readFileStatements } from '../sql/transaction-control.js';
import type { DownScript } from './down-script.js';
import { explainFailure } from './explain-failure.js';
import { locateByReplay } from './failure-location.js';
import type { History } from './history.js';
import { withLockRetries } from './lock-retries.js';
import { type RunContext, type StepResult, sharedTransaction } from './run-context.js';
import { runScript } from './script-runner.js';
import { removeApplied } from './tracking.js';
import { inTransaction } from './transaction.js';

/**
 * Runs the down scripts newest first. Each step is its own transaction: a
 * failure keeps the steps before it and nothing of itself.
 */
export async function revertPlan(
  run: RunContext,
  plan: History['applied'],
  scripts: DownScript[],
): Promise<StepResult[]> {
  const results: StepResult[] = [];
  for (const [i, script] of scripts.entries()) {
    const { row } = plan[i]!;
    try {
      const result = await withLockRetries(
        run,
        script.tag,
        () =>
          inTransaction(run.session, async () => {
            const step = await runScript(run, script, 'down', sharedTransaction);
            await removeApplied(run.session, row.id);
            return step;
          }),
        // Parsed only when the last attempt failed, to name who held the lock.
        async () =>
          touchedRelations((await readFileStatements(script.statements))?.map((s) => s.node) ?? []),
      );
      results.push(result);
    } catch (error) {
      await locateByReplay(run.session, [script], error);
      throw explainFailure(run, error, {
        direction: 'down',
        mode: sharedTransaction,
        sameTransaction: [],
        committed: results.map((r) => r.tag),
        notRun: scripts.slice(i + 1).map((s) => s.tag),
      });
    }
  }
  return results;
}
