import { splitStatementsAt, unwrapIdempotentDo } from '../drizzle-kit/breakpoints.js';
import { checkStatement } from '../lint/check-statement.js';
import { readAllowances } from '../lint/lint-folder.js';
import { type Rule, rules } from '../lint/rules.js';
import type { SchemaModel } from '../lint/schema-model.js';
import { refusedInTransaction } from '../migrations/execution-mode.js';
import { statementSummary } from '../migrations/statements.js';
import { type AstNode, dottedName, kindOf, list, nodeOf, relationName } from '../sql/ast.js';
import { parseStatementSpans, scanTokens } from '../sql/parse.js';
import { isTransactionBoundary, transactionControlOf } from '../sql/transaction-control.js';
import { withOnlineHeader } from './header.js';
import {
  concurrentIndexBuild,
  concurrentIndexDrop,
  type NoSafeForm,
  notNullThroughCheck,
  type SafeForm,
  type StatementText,
  uniqueThroughIndex,
  validatedLater,
} from './safe-forms.js';
import { splitAlterTable } from './split-alter-table.js';

/** One statement of a migration written into its online-safe form. */
export interface StatementRewrite {
  /** Which statement of the migration, counted from 0 as lint counts them. */
  index: number;
  rule: string;
  /** The statement as it was, shortened. */
  statement: string;
  change: string;
  /** The statements that replace it, in order. */
  into: string[];
}

/** A statement lint flags that keeps its plain form, and why. */
export interface NotRewritten {
  index: number;
  rule: string;
  statement: string;
  reason: string;
}

export interface OnlineRewrite {
  /** The whole file after the rewrite (the same text when nothing was rewritten). */
  sql: string;
  rewrites: StatementRewrite[];
  notRewritten: NotRewritten[];
}

/** The findings a safe form removes. */
const fixable: ReadonlySet<Rule> = new Set([
  rules.indexWithoutConcurrently,
  rules.dropIndexWithoutConcurrently,
  rules.foreignKeyWithoutNotValid,
  rules.checkWithoutNotValid,
  rules.setNotNull,
  rules.uniqueConstraint,
]);

/** The findings only an expand/contract migration avoids (issue #12). */
const expandContract: ReadonlySet<Rule> = new Set([rules.volatileDefault, rules.changeColumnType]);

const breakpoint = '\n--> statement-breakpoint\n';

interface Edit {
  start: number;
  end: number;
  text: string;
}

/**
 * Rewrites a migration's statements into their online-safe forms, judged by
 * lint's own rules against the schema the migrations before it built (`model`,
 * which this advances past the migration, as lint does): only a statement lint
 * flags on a table that existed before is rewritten, so a table created in the
 * same migration, a statement already in its safe form and a rewritten file
 * are left as they are. Everything else keeps its text byte for byte.
 */
export async function rewriteMigration(sql: string, model: SchemaModel): Promise<OnlineRewrite> {
  // An ALTER TABLE with several changes is first cut into one statement per change (tried on a copy of the model).
  const split = await rewritePass(sql, model.clone(), 'split');
  const result = await rewritePass(split.sql, model, 'rewrite');
  const rewrites = [...split.rewrites, ...result.rewrites].sort((a, b) => a.index - b.index);
  if (rewrites.length === 0) return { sql, rewrites, notRewritten: result.notRewritten };
  return {
    sql: withOnlineHeader(result.sql, rewrites.length),
    rewrites,
    notRewritten: result.notRewritten,
  };
}

/** `split` only cuts ALTER TABLE statements with several changes; `rewrite` writes the safe forms. */
type Pass = 'split' | 'rewrite';

async function rewritePass(sql: string, model: SchemaModel, pass: Pass): Promise<OnlineRewrite> {
  const allowed = readAllowances(sql).reasons;
  const edits: Edit[] = [];
  const rewrites: StatementRewrite[] = [];
  const notRewritten: NotRewritten[] = [];
  const statements = await readStatements(sql);
  // Statements a split adds before the current one: `index` counts in the file as written.
  let added = 0;
  const controlsTransactions = statements.some((s) =>
    isTransactionBoundary(transactionControlOf(s.node)),
  );
  for (const [index, statement] of statements.entries()) {
    if (statement.node === null) continue;
    const partitioned = touchesPartitionedTable(statement.node, model);
    const verdict = checkStatement(statement.node, model);
    const summary = statementSummary(statement.text.text);
    for (const rule of verdict.broken.filter((r) => expandContract.has(r) && !allowed.has(r.name)))
      notRewritten.push({
        index,
        rule: rule.name,
        statement: summary,
        reason:
          'needs expand/contract (issue #12): not rewritten automatically yet; see "Online migrations" in the README',
      });
    const flagged = verdict.broken.filter((r) => fixable.has(r) && !allowed.has(r.name));
    if (flagged.length === 0 || (pass === 'split' && !severalChanges(statement.node))) continue;
    const rule = flagged.map((r) => r.name).join(', ');
    const form = formFor(statement, flagged, { controlsTransactions, partitioned, pass });
    if ('reason' in form) {
      notRewritten.push({ index, rule, statement: summary, reason: form.reason });
      continue;
    }
    const into = [...form.before, form.edited, ...form.after];
    const at = index + added;
    added += into.length - 1;
    edits.push({
      start: statement.start!,
      end: statement.start! + statement.text.text.length,
      text: [
        ...form.before.map((s) => `${s};${breakpoint}`),
        form.edited,
        ...form.after.map((s) => `;${breakpoint}${s}`),
      ].join(''),
    });
    rewrites.push({ index: at, rule, statement: summary, change: form.change, into });
  }
  let rewritten = sql;
  for (const edit of edits.sort((a, b) => b.start - a.start))
    rewritten = rewritten.slice(0, edit.start) + edit.text + rewritten.slice(edit.end);
  return { sql: rewritten, rewrites, notRewritten };
}

const severalChanges = (node: unknown): boolean =>
  list(nodeOf(node, 'AlterTableStmt')?.cmds).length > 1;

/** The safe form of a flagged statement, or why it keeps its plain form. */
function formFor(
  statement: ReadStatement,
  flagged: Rule[],
  file: { controlsTransactions: boolean; partitioned: boolean; pass: Pass },
): SafeForm | NoSafeForm {
  if (file.controlsTransactions)
    return {
      reason: 'the file commits on its own (BEGIN/COMMIT): its transactions are kept as written',
    };
  if (statement.start === null)
    return { reason: 'it sits inside a DO block, which is kept as written' };
  if (file.partitioned)
    return {
      reason:
        'the table is partitioned: PostgreSQL builds no index on it CONCURRENTLY and takes no NOT VALID foreign key or USING INDEX there; change each partition instead',
    };
  const form = safeFormOf(statement.node, statement.text, flagged, file.pass);
  if ('reason' in form || concurrentlySeen(form)) return form;
  return {
    reason:
      'a comment stands between its first words, so the runner would not see CONCURRENTLY and would run it in a transaction: move the comment',
  };
}

interface ReadStatement {
  node: unknown;
  text: StatementText;
  /** Where the statement's first token sits in the file; null when its text cannot be edited there (a DO block's inside). */
  start: number | null;
}

/** Every statement of the file in lint's order, with its text and tokens (a chunk the parser rejects counts as one, unread). */
async function readStatements(sql: string): Promise<ReadStatement[]> {
  const read: ReadStatement[] = [];
  for (const chunk of splitStatementsAt(sql)) {
    const unwrapped = unwrapIdempotentDo(chunk.text);
    const spans = await parseStatementSpans(unwrapped);
    if (spans === null) {
      read.push({ node: null, text: { text: chunk.text, tokens: [] }, start: null });
      continue;
    }
    for (const span of spans) {
      const raw = unwrapped.slice(span.start, span.end);
      const tokens = (await scanTokens(raw))?.filter((t) => !t.comment && t.text !== ';') ?? [];
      const first = tokens[0]?.start ?? 0;
      const last = tokens.at(-1)?.end ?? raw.length;
      const text = raw.slice(first, last);
      read.push({
        node: span.node,
        text: {
          text,
          tokens: tokens.map((t) => ({ ...t, start: t.start - first, end: t.end - first })),
        },
        start: unwrapped === chunk.text ? chunk.start + span.start + first : null,
      });
    }
  }
  return read;
}

/** The safe form of a statement lint flagged with `flagged` (each one of the fixable rules). */
function safeFormOf(
  node: unknown,
  statement: StatementText,
  flagged: Rule[],
  pass: Pass,
): SafeForm | NoSafeForm {
  const kind = kindOf(node);
  const body = nodeOf(node, kind) ?? {};
  if (kind === 'IndexStmt') return concurrentIndexBuild(statement);
  if (kind === 'DropStmt') return concurrentIndexDrop(statement, body);
  if (kind !== 'AlterTableStmt') return { reason: `no safe form is known for ${kind}` };
  const commands = list(body.cmds).map((c) => nodeOf(c, 'AlterTableCmd') ?? {});
  if (commands.length !== 1) {
    const split = splitAlterTable(statement, commands);
    // The rewrite pass sees only what the split pass could not cut.
    if (pass === 'split' || 'reason' in split) return split;
    return {
      reason: `one ALTER TABLE makes ${commands.length} changes: split it into one statement per change`,
    };
  }
  const command = commands[0]!;
  const table = (body.relation as { relname?: string } | undefined)?.relname ?? '';
  if (command.subtype === 'AT_SetNotNull')
    return notNullThroughCheck(statement, table, `${command.name}`);
  if (command.subtype !== 'AT_AddConstraint')
    return {
      reason: `the constraint comes with the column (${flagged.map((r) => r.name).join(', ')}): add the column, then the constraint in a statement of its own`,
    };
  const constraint = nodeOf(command.def, 'Constraint') ?? {};
  if (constraint.contype === 'CONSTR_FOREIGN' || constraint.contype === 'CONSTR_CHECK')
    return validatedLater(statement, constraint as AstNode);
  return uniqueThroughIndex(statement, constraint as AstNode, table);
}

/** Whether the statement works on a table created `PARTITION BY` (as far as the migrations tell). */
function touchesPartitionedTable(node: unknown, model: SchemaModel): boolean {
  const kind = kindOf(node);
  const body = nodeOf(node, kind) ?? {};
  if (kind === 'IndexStmt' || kind === 'AlterTableStmt')
    return model.isPartitioned(relationName(body.relation));
  if (kind !== 'DropStmt' || body.removeType !== 'OBJECT_INDEX') return false;
  return list(body.objects).some((object) => {
    const table = model.tableOfIndex(dottedName(nodeOf(object, 'List')?.items ?? [object]));
    return table !== undefined && model.isPartitioned(table);
  });
}

/** Every CONCURRENTLY statement of the form is one the runner recognises, and so runs outside a transaction. */
const concurrentlySeen = (form: SafeForm): boolean =>
  [...form.before, form.edited, ...form.after]
    .filter((statement) => /\bconcurrently\b/i.test(statement))
    .every((statement) => refusedInTransaction(statement) !== null);
