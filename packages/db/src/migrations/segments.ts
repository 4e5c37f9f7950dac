import { type Migration, sha256 } from '../drizzle-kit/migration-folder.js';
import { JamDbError } from '../errors.js';
import {
  describeControl,
  isTransactionBoundary,
  mayHoldTransactionControl,
  readFileStatements,
  type TransactionControl,
} from '../sql/transaction-control.js';
import { BackfillDirectiveError } from './backfill-directive.js';
import {
  type BackfillPlan,
  backfillRefusal,
  mayHoldBackfill,
  readBackfills,
} from './backfill-plan.js';
import {
  type ExecutionMode,
  executionModeOf,
  noTransactionMarker,
  refusedInTransaction,
} from './execution-mode.js';
import { displayPath, lineOf } from './failure.js';
import { statementSummary } from './statements.js';

/**
 * A migration that cannot run as one transaction runs as ordered segments, each
 * committed with a record of how far the migration got, so a failure or a kill
 * leaves a state the next run continues from. A segment is a run of statements
 * committed together, or one statement PostgreSQL refuses inside a transaction,
 * which runs on its own (autocommit).
 */
export interface Segment {
  /** Indexes into the file's statements. */
  statements: number[];
  /** False for the one statement PostgreSQL refuses in a transaction block. */
  transactional: boolean;
  /** The one UPDATE of a `-- jam-db:backfill`, run batch by batch (backfill-runner.ts). */
  backfill?: boolean;
}

export interface SegmentedMigration {
  /** Every statement of the file as the parser cut it (transaction control included). */
  statements: string[];
  /** libpg-query's node of each statement (null when the file could not be parsed). */
  nodes: unknown[];
  segments: Segment[];
  /** The batched UPDATEs, by statement index. */
  backfills?: Map<number, BackfillPlan>;
}

export interface MigrationPlan {
  mode: ExecutionMode;
  /** Null: the whole file runs in the run's shared transaction. */
  segmented: SegmentedMigration | null;
}

/** What the cutter needs to know of a statement. */
export interface CutInput {
  control: TransactionControl | null;
  /** Why PostgreSQL refuses it in a transaction, or null. */
  refused: string | null;
  /** `ALTER TYPE … ADD VALUE`: the value is usable only once its transaction committed. */
  addsEnumValue?: boolean;
  /** Runs in batches, each its own transaction: a segment of its own. */
  backfill?: boolean;
}

/**
 * Cuts a file's statements into segments at its transaction boundaries (which
 * are not run: the runner opens and commits each segment's transaction itself);
 * a statement refused in a transaction is a segment of its own, and a segment
 * ends after each `ADD VALUE`, so the statements after it can use the value.
 * With `onePerStatement` (a file marked `-- jam-db:no-transaction`), each
 * statement outside an in-file BEGIN … COMMIT block is its own segment, as
 * psql's autocommit would run it.
 */
export function cutSegments(statements: CutInput[], onePerStatement: boolean): Segment[] {
  const segments: Segment[] = [];
  let current: number[] = [];
  let insideBlock = false;
  const close = () => {
    if (current.length > 0) segments.push({ statements: current, transactional: true });
    current = [];
  };
  for (const [index, statement] of statements.entries()) {
    const { control } = statement;
    if (isTransactionBoundary(control)) {
      close();
      insideBlock = control!.kind === 'begin' || control!.chain;
      continue;
    }
    if (statement.backfill) {
      close();
      segments.push({ statements: [index], transactional: true, backfill: true });
      continue;
    }
    if (statement.refused !== null) {
      close();
      segments.push({ statements: [index], transactional: false });
      continue;
    }
    current.push(index);
    if (statement.addsEnumValue || (onePerStatement && !insideBlock)) close();
  }
  close();
  return segments;
}

const addsEnumValue = (node: unknown): boolean => {
  const alter = (node as { AlterEnumStmt?: { newVal?: string; oldVal?: string } } | null)
    ?.AlterEnumStmt;
  return alter?.newVal !== undefined && alter.oldVal === undefined;
};

/** Words that make a file worth parsing even without transaction control. */
const mayRefuseTransaction = /\bconcurrently\b|\bvacuum\b/i;

/**
 * How a migration runs. The parser (a WebAssembly module) is loaded only for a
 * file that a cheap text test says may hold transaction control or a statement
 * PostgreSQL refuses in a transaction; the ordinary migration costs nothing here.
 */
export async function planMigration(migration: Migration): Promise<MigrationPlan> {
  const mode = executionModeOf(migration);
  const worthParsing =
    mode.kind !== 'shared-transaction' ||
    mayHoldTransactionControl(migration.sql) ||
    mayRefuseTransaction.test(migration.sql) ||
    mayHoldBackfill(migration);
  if (!worthParsing) return { mode, segmented: null };
  const parsed = await readFileStatements(migration.statements);
  // The parser rejects the file: run it as written, and let the database say why.
  const statements =
    parsed ?? migration.statements.map((text) => ({ text, node: null, control: null, chunk: 0 }));
  refuseUnsupportedControl(migration, statements);
  const backfills = await readBackfills(migration, parsed).catch((error: unknown) => {
    throw error instanceof BackfillDirectiveError ? backfillRefusal(migration, error) : error;
  });
  const inputs = statements.map((s, index) => ({
    control: s.control,
    refused: s.control ? null : refusedInTransaction(s.text),
    addsEnumValue: addsEnumValue(s.node),
    backfill: backfills.has(index),
  }));
  const boundary = statements.find((s) => isTransactionBoundary(s.control));
  const refused = inputs.find((s) => s.refused !== null)?.refused;
  const segmentMode: ExecutionMode =
    mode.kind !== 'shared-transaction'
      ? mode
      : boundary?.control
        ? { kind: 'segments', reason: `it holds ${describeControl(boundary.control)}` }
        : refused
          ? { kind: 'no-transaction', reason: `it holds ${refused}` }
          : backfills.size > 0
            ? { kind: 'segments', reason: 'it holds a batched backfill' }
            : mode;
  if (segmentMode.kind === 'shared-transaction') return { mode, segmented: null };
  return {
    mode: segmentMode,
    segmented: {
      statements: statements.map((s) => s.text),
      nodes: statements.map((s) => s.node),
      segments: cutSegments(inputs, migration.sql.includes(noTransactionMarker)),
      backfills,
    },
  };
}

/**
 * A fingerprint of what the first `count` segments run, so a later run can tell
 * whether the part of the file already applied is still the same (fixing a
 * segment that failed is fine; editing one that was committed is not).
 */
export function appliedPartHash(segmented: SegmentedMigration, count: number): string {
  const texts = segmented.segments
    .slice(0, count)
    .map((segment) => segment.statements.map((i) => segmented.statements[i]).join('\n;\n'));
  return sha256(texts.join('\n--> segment\n'));
}

/**
 * ROLLBACK throws away what the file did since its BEGIN, and two-phase commit
 * hands the transaction to another session: neither can be applied and recorded
 * truthfully, so the run refuses before changing anything.
 */
function refuseUnsupportedControl(
  migration: Migration,
  statements: { text: string; control: TransactionControl | null }[],
): void {
  const unsupported = statements.find(
    (s) => s.control?.kind === 'rollback' || s.control?.kind === 'two-phase',
  );
  if (!unsupported?.control) return;
  const line = lineOf(migration.path, unsupported.text);
  const where =
    line === null ? displayPath(migration.path) : `line ${line} of ${displayPath(migration.path)}`;
  throw new JamDbError(
    'migration-failed',
    `Migration ${migration.tag} holds ${describeControl(unsupported.control)} (${where}: ${statementSummary(unsupported.text)}). jam-db commits a migration's statements and records them as applied; a file that rolls back or prepares its own transaction cannot be recorded truthfully. Nothing was run.`,
    unsupported.control.kind === 'rollback'
      ? 'Remove the ROLLBACK and the statements it would undo. BEGIN and COMMIT may stay: jam-db runs the statements between them as one transaction.'
      : 'Remove the two-phase commit statements: jam-db commits each part of the migration itself.',
  );
}
