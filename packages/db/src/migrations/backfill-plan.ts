import type { Migration } from '../drizzle-kit/migration-folder.js';
import { JamDbError } from '../errors.js';
import { scanTokens } from '../sql/parse.js';
import {
  type FileStatement,
  readFileStatements,
  transactionContexts,
} from '../sql/transaction-control.js';
import {
  type BackfillDirective,
  BackfillDirectiveError,
  backfillMarker,
  findBackfillDirectives,
} from './backfill-directive.js';
import { type BackfillTarget, backfillTargetOf, ownWhereEnd } from './backfill-sql.js';
import { displayPath } from './failure.js';

/** One UPDATE of a migration that runs in batches: what the runner needs to cut it. */
export interface BackfillPlan {
  directive: BackfillDirective;
  target: BackfillTarget;
  /** The UPDATE as the file has it (the parser's text). */
  text: string;
  /** Byte offset after its own WHERE keyword, or null when it has none. */
  whereEnd: number | null;
}

/** Whether a file may hold a backfill (a cheap test before any parsing). */
export const mayHoldBackfill = (migration: Migration): boolean =>
  migration.sql.includes(backfillMarker);

/**
 * The batched UPDATEs of a migration, keyed by statement index, read from the
 * statements the runner cut (null: the parser rejected the file). Throws a
 * BackfillDirectiveError naming the line for a directive it cannot follow.
 */
export async function readBackfills(
  migration: Migration,
  statements: FileStatement[] | null,
): Promise<Map<number, BackfillPlan>> {
  if (!mayHoldBackfill(migration)) return new Map();
  if (statements === null) {
    const line = migration.sql.split('\n').findIndex((l) => l.includes(backfillMarker)) + 1;
    throw new BackfillDirectiveError(
      line,
      "PostgreSQL's parser rejects this file, so the UPDATE to batch cannot be found (`pnpm db:lint` shows the syntax error)",
    );
  }
  const directives = findBackfillDirectives(migration.sql, migration.statements, statements);
  const contexts = transactionContexts(statements.map((s) => s.control));
  const plans = new Map<number, BackfillPlan>();
  for (const [index, directive] of directives) {
    const statement = statements[index]!;
    const target = backfillTargetOf(statement.node);
    if ('problem' in target) throw new BackfillDirectiveError(directive.line, target.problem);
    if (contexts[index]!.insideInFileBlock) {
      throw new BackfillDirectiveError(
        directive.line,
        "a backfill commits each batch, so it cannot stand between the file's own BEGIN and COMMIT",
      );
    }
    const tokens = await scanTokens(statement.text);
    if (tokens === null) {
      throw new BackfillDirectiveError(directive.line, 'the UPDATE below cannot be scanned');
    }
    plans.set(index, { directive, target, text: statement.text, whereEnd: ownWhereEnd(tokens) });
  }
  return plans;
}

/** What the runner throws for a backfill it cannot follow: the file, the line and what to write instead. */
export function backfillRefusal(migration: Migration, error: BackfillDirectiveError): JamDbError {
  return new JamDbError(
    'migration-failed',
    `Migration ${migration.tag} has a backfill the runner cannot follow (line ${error.line} of ${displayPath(migration.path)}): ${error.problem}. Nothing was run.`,
    'Write the directive as `-- jam-db:backfill batch=<rows> pause=<duration>` on its own line right above an UPDATE of one table (e.g. batch=5000 pause=20ms); `pnpm db:lint` checks every directive of the folder.',
  );
}

/** The problems of a migration's backfill directives, for lint (empty when none). */
export async function backfillProblems(
  migration: Migration,
): Promise<{ line: number; problem: string }[]> {
  if (!mayHoldBackfill(migration)) return [];
  try {
    await readBackfills(migration, await readFileStatements(migration.statements));
    return [];
  } catch (error) {
    if (error instanceof BackfillDirectiveError) {
      return [{ line: error.line, problem: error.problem }];
    }
    throw error;
  }
}
