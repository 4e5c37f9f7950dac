import { unwrapIdempotentDo } from '../drizzle-kit/breakpoints.js';
import type { Migration, MigrationFolder } from '../drizzle-kit/migration-folder.js';
import { backfillProblems } from '../migrations/backfill-plan.js';
import { displayPath, lineOf } from '../migrations/failure.js';
import { statementSummary } from '../migrations/statements.js';
import { kindOf, list, nodeOf } from '../sql/ast.js';
import { cutIdentifier } from '../sql/names.js';
import { overlongIdentifiers, parseStatements, syntaxErrorIn } from '../sql/parse.js';
import { transactionControlOf } from '../sql/transaction-control.js';
import { checkStatement } from './check-statement.js';
import type { Finding } from './finding.js';
import { phaseProblemFinding, withPhaseAlternatives } from './phase-findings.js';
import { type Rule, rules } from './rules.js';
import { SchemaModel } from './schema-model.js';
import { type ReadStatement, transactionFindings } from './transaction-findings.js';

export type { Finding } from './finding.js';

export interface MigrationLint {
  tag: string;
  classification: 'additive' | 'breaking';
  /** From its `-- jam-db:phase` line: expand, contract, or none. */
  phase: 'expand' | 'contract' | null;
  /** For a contract migration: the expand migration it completes. */
  contracts: string | null;
  findings: Finding[];
  /** Findings silenced by `-- jam-db:allow <rule> <reason>`, with the reason. */
  allowed: (Finding & { reason: string })[];
}

const allowComment = /^\s*--\s*jam-db:allow\b(.*)$/;

/**
 * Lints every migration of a folder, in order, each against the schema the
 * migrations before it built (only objects that existed before may hold rows).
 */
export async function lintFolder(folder: MigrationFolder): Promise<MigrationLint[]> {
  const model = new SchemaModel();
  // Names longer than PostgreSQL keeps, by the name PostgreSQL cuts them to.
  const longNames = new Map<string, string>();
  const results: MigrationLint[] = [];
  for (const migration of folder.migrations) {
    model.beginMigration();
    const findings: Finding[] = [];
    const read: ReadStatement[] = [];
    for (const [position, chunk] of migration.statements.map(unwrapIdempotentDo).entries()) {
      const parsed = await parseStatements(chunk);
      if (parsed === null) {
        const syntax = await syntaxFinding(migration, migration.statements[position]!, chunk);
        read.push({ text: chunk, index: read.length, control: null, concurrent: false });
        findings.push({ ...syntax, index: read.length - 1 });
        continue;
      }
      const drops = onlyDrops(parsed.map((p) => p.node));
      for (const name of await overlongIdentifiers(chunk)) {
        const cut = cutIdentifier(name);
        // A dropped name frees its 63 bytes for the next one (drizzle-kit drops, then adds).
        if (drops) {
          longNames.delete(cut);
          continue;
        }
        const earlier = longNames.get(cut);
        longNames.set(cut, name);
        if (earlier === undefined || earlier === name) continue;
        findings.push(
          finding(
            rules.identifierTooLong,
            `${chunk.trim().split('\n')[0]} (${name.slice(0, 20)}…: ${Buffer.byteLength(name)} bytes, cut to the same name as ${earlier.slice(0, 20)}…)`,
            read.length,
          ),
        );
      }
      for (const { node, text } of parsed) {
        const index = read.length;
        const verdict = checkStatement(node, model);
        for (const rule of verdict.broken) findings.push(finding(rule, text, index));
        read.push({
          text,
          index,
          control: transactionControlOf(node),
          concurrent: verdict.concurrent,
        });
      }
    }
    for (const { rule, statement } of transactionFindings(migration, read))
      findings.push(finding(rule, statement.text, statement.index));
    for (const { line, problem } of await backfillProblems(migration)) {
      findings.push({
        ...finding(rules.backfillDirective, migration.sql.split('\n')[line - 1] ?? ''),
        explanation: `${rules.backfillDirective.explanation}: ${problem}`,
        location: `line ${line} of ${displayPath(migration.path)}`,
      });
    }
    findings.sort((a, b) => (a.index ?? 0) - (b.index ?? 0));
    const allowances = readAllowances(migration.sql);
    const allowed = findings
      .filter((f) => allowances.reasons.has(f.rule))
      .map((f) => ({ ...f, reason: allowances.reasons.get(f.rule)! }));
    const phaseProblem = phaseProblemFinding(migration);
    const remaining = withPhaseAlternatives(migration, [
      ...(phaseProblem ? [phaseProblem] : []),
      ...findings.filter((f) => !allowances.reasons.has(f.rule)),
      ...allowances.withoutReason.map((line) => finding(rules.allowWithoutReason, line)),
    ]);
    const breaking = remaining.some(
      (f) => Object.values(rules).find((r) => r.name === f.rule)?.breaking,
    );
    results.push({
      tag: migration.tag,
      classification: breaking ? 'breaking' : 'additive',
      phase: migration.phase?.kind ?? null,
      contracts: migration.phase?.kind === 'contract' ? migration.phase.expands : null,
      findings: remaining,
      allowed,
    });
  }
  return results;
}

const dropCommands = new Set(['AT_DropConstraint', 'AT_DropColumn']);

/** Statements that only drop things (DROP …, ALTER TABLE … DROP CONSTRAINT/COLUMN). */
const onlyDrops = (nodes: unknown[]): boolean =>
  nodes.every(
    (node) =>
      kindOf(node) === 'DropStmt' ||
      (kindOf(node) === 'AlterTableStmt' &&
        list(nodeOf(node, 'AlterTableStmt')?.cmds).every((c) =>
          dropCommands.has(nodeOf(c, 'AlterTableCmd')?.subtype as string),
        )),
  );

const finding = (rule: Rule, statement: string, index?: number): Finding => ({
  rule: rule.name,
  severity: rule.severity,
  statement: statementSummary(statement),
  explanation: rule.explanation,
  alternative: rule.alternative,
  ...(index === undefined ? {} : { index }),
});

/** A chunk PostgreSQL's grammar rejects: the parser's words, and the file and line it points at. */
async function syntaxFinding(
  migration: Migration,
  statement: string,
  chunk: string,
): Promise<Finding> {
  const error = await syntaxErrorIn(chunk);
  const start = lineOf(migration.path, statement);
  // The parser's offset counts in the chunk; it is the statement's own text unless a DO wrapper was peeled off.
  const offset = chunk === statement ? (error?.offset ?? null) : null;
  const line =
    start === null
      ? null
      : start + (offset === null ? 0 : chunk.slice(0, offset).split('\n').length - 1);
  const base = finding(rules.syntaxError, chunk);
  return {
    ...base,
    explanation: `${base.explanation}: ${error?.message ?? 'syntax error'}`,
    location: `${line === null ? '' : `line ${line} of `}${displayPath(migration.path)}`,
  };
}

/** `-- jam-db:allow <rule> <reason>` lines: a reason is required, or the line silences nothing. */
export function readAllowances(sql: string): {
  reasons: Map<string, string>;
  withoutReason: string[];
} {
  const reasons = new Map<string, string>();
  const withoutReason: string[] = [];
  for (const line of sql.split('\n')) {
    const match = allowComment.exec(line);
    if (!match) continue;
    const [ruleName, ...why] = match[1]!.trim().split(/\s+/);
    if (!ruleName || why.length === 0) withoutReason.push(line.trim());
    else reasons.set(ruleName, why.join(' '));
  }
  return { reasons, withoutReason };
}
