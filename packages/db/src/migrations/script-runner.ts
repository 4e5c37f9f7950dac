import type { ExecutionMode } from './execution-mode.js';
import type { Direction, RunContext, StepResult } from './run-context.js';
import { StatementFailure } from './statement-failure.js';
import { joinStatements, positionInScript } from './statements.js';

/** The 1-based character position of a database error, NaN when it gave none. */
export const errorPosition = (error: unknown): number =>
  Number((error as { position?: string }).position);

/** The whole script in one round trip; the statement that failed is traced back from the error position. */
export async function runScript(
  run: RunContext,
  script: { tag: string; path: string; statements: string[] },
  direction: Direction,
  mode: ExecutionMode,
): Promise<StepResult> {
  run.onProgress?.({ kind: 'start', direction, tag: script.tag, mode });
  const started = performance.now();
  const joined = joinStatements(script.statements);
  if (script.statements.length > 0) {
    try {
      await run.session.exec(joined.text);
    } catch (error) {
      const at = positionInScript(joined, errorPosition(error));
      throw new StatementFailure(
        script.tag,
        script.path,
        // A lock timeout carries no position; a one-statement script needs none.
        at?.index ?? (script.statements.length === 1 ? 0 : null),
        script.statements,
        error,
        at?.offset ?? null,
      );
    }
  }
  const durationMs = performance.now() - started;
  run.onProgress?.({ kind: 'done', direction, tag: script.tag, durationMs, mode });
  return { tag: script.tag, direction, durationMs, statements: script.statements, mode };
}
