import { parseStatements } from './parse.js';

/**
 * Transaction-control statements written into a migration file (`BEGIN;`,
 * `COMMIT;`, …), read with PostgreSQL's own parser so that the `BEGIN` and `END`
 * of a `DO $$ … $$` body or a function never count. The runner cuts a migration
 * into segments at them; lint reads them to know which statements ran after the
 * file's own COMMIT.
 */
export type TransactionControlKind =
  /** BEGIN, START TRANSACTION */
  | 'begin'
  /** COMMIT, END (also COMMIT AND CHAIN, with `chain`) */
  | 'commit'
  /** ROLLBACK, ABORT */
  | 'rollback'
  | 'savepoint'
  | 'release'
  | 'rollback-to-savepoint'
  /** PREPARE TRANSACTION, COMMIT PREPARED, ROLLBACK PREPARED: two-phase commit */
  | 'two-phase';

export interface TransactionControl {
  kind: TransactionControlKind;
  /** `COMMIT AND CHAIN` / `ROLLBACK AND CHAIN`: a new transaction starts at once. */
  chain: boolean;
}

const kinds: Record<string, TransactionControlKind> = {
  TRANS_STMT_BEGIN: 'begin',
  TRANS_STMT_START: 'begin',
  TRANS_STMT_COMMIT: 'commit',
  TRANS_STMT_ROLLBACK: 'rollback',
  TRANS_STMT_SAVEPOINT: 'savepoint',
  TRANS_STMT_RELEASE: 'release',
  TRANS_STMT_ROLLBACK_TO: 'rollback-to-savepoint',
  TRANS_STMT_PREPARE: 'two-phase',
  TRANS_STMT_COMMIT_PREPARED: 'two-phase',
  TRANS_STMT_ROLLBACK_PREPARED: 'two-phase',
};

/** What a parsed statement (a node of libpg-query's tree) does to the transaction, or null for any other statement. */
export function transactionControlOf(node: unknown): TransactionControl | null {
  const statement = (node as { TransactionStmt?: { kind?: string; chain?: boolean } } | null)
    ?.TransactionStmt;
  if (!statement) return null;
  const kind = kinds[statement.kind ?? ''];
  return kind ? { kind, chain: statement.chain === true } : null;
}

/** Whether a control statement ends or starts a transaction (savepoints live inside one). */
export const isTransactionBoundary = (control: TransactionControl | null): boolean =>
  control !== null &&
  (control.kind === 'begin' || control.kind === 'commit' || control.kind === 'rollback');

/**
 * Comments, string literals, quoted identifiers and dollar-quoted bodies: what
 * must not be read as a statement's first word.
 */
const opaque =
  /--[^\n]*|\/\*[\s\S]*?\*\/|[eE]'(?:[^'\\]|\\[\s\S]|'')*'|'(?:[^']|'')*'|"(?:[^"]|"")*"|\$([A-Za-z_\u0080-\uffff][\w\u0080-\uffff]*)?\$[\s\S]*?\$\1\$/g;

const controlWord =
  /^\s*(begin|start\s+transaction|commit|end|rollback|abort|savepoint|release|prepare\s+transaction)\b/i;

/**
 * A cheap test on the raw text: true when some statement of `sql` may start
 * with a transaction-control keyword. Built to miss none (comments, strings,
 * quoted names and dollar-quoted bodies are blanked first); a rare false
 * positive only costs a parse. Lets the runner skip loading the parser for the
 * ordinary migration.
 */
export function mayHoldTransactionControl(sql: string): boolean {
  return sql
    .replace(opaque, ' ')
    .split(';')
    .some((piece) => controlWord.test(piece));
}

/** One statement of a migration file as PostgreSQL's parser reads it. */
export interface FileStatement {
  /** The statement's own text, cut verbatim from its chunk (no trailing `;`). */
  text: string;
  /** Index of the drizzle-kit chunk (between `--> statement-breakpoint`) it came from. */
  chunk: number;
  /** libpg-query's node for it. */
  node: unknown;
  control: TransactionControl | null;
}

/**
 * The statements of a file's chunks, in order, or null when the parser rejects
 * a chunk (then the database will say why when it runs).
 */
export async function readFileStatements(chunks: string[]): Promise<FileStatement[] | null> {
  const statements: FileStatement[] = [];
  for (const [chunk, text] of chunks.entries()) {
    const parsed = await parseStatements(text);
    if (parsed === null) return null;
    for (const statement of parsed) {
      statements.push({
        text: statement.text,
        chunk,
        node: statement.node,
        control: transactionControlOf(statement.node),
      });
    }
  }
  return statements;
}

/** Where a statement stands relative to the transaction control written in its file. */
export interface TransactionContext {
  /** A `COMMIT`/`END`/`ROLLBACK` of the file came before it. */
  afterInFileCommit: boolean;
  /** It lies between the file's own `BEGIN` and the `COMMIT` that ends it. */
  insideInFileBlock: boolean;
}

/** The context of each statement, given each statement's control (null for ordinary ones). */
export function transactionContexts(controls: (TransactionControl | null)[]): TransactionContext[] {
  let afterInFileCommit = false;
  let insideInFileBlock = false;
  return controls.map((control) => {
    const context = { afterInFileCommit, insideInFileBlock };
    if (control?.kind === 'begin') insideInFileBlock = true;
    if (control?.kind === 'commit' || control?.kind === 'rollback') {
      afterInFileCommit = true;
      insideInFileBlock = control.chain;
    }
    return context;
  });
}

/** How a control statement is written, to name it in a message. */
export function describeControl(control: TransactionControl): string {
  const names: Record<TransactionControlKind, string> = {
    begin: 'BEGIN',
    commit: 'COMMIT',
    rollback: 'ROLLBACK',
    savepoint: 'SAVEPOINT',
    release: 'RELEASE SAVEPOINT',
    'rollback-to-savepoint': 'ROLLBACK TO SAVEPOINT',
    'two-phase': 'PREPARE TRANSACTION / COMMIT PREPARED / ROLLBACK PREPARED',
  };
  return `${names[control.kind]}${control.chain ? ' AND CHAIN' : ''}`;
}
