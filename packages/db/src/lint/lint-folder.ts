import type { MigrationFolder } from '../migrations/journal.js';
import { statementSummary, unwrapIdempotentDo } from '../migrations/statements.js';
import { checkStatement } from './check-statement.js';
import { overlongIdentifiers, parseStatements } from './parse.js';
import { type Rule, rules } from './rules.js';
import { SchemaModel } from './schema-model.js';

export interface Finding {
  rule: string;
  severity: Rule['severity'];
  statement: string;
  explanation: string;
  alternative: string;
}

export interface MigrationLint {
  tag: string;
  classification: 'additive' | 'breaking';
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
  const results: MigrationLint[] = [];
  for (const migration of folder.migrations) {
    const before = model.clone();
    const findings: Finding[] = [];
    let concurrent: string[] = [];
    let transactionControl = false;
    let statementCount = 0;
    for (const chunk of migration.statements.map(unwrapIdempotentDo)) {
      const parsed = await parseStatements(chunk);
      if (parsed === null) {
        findings.push(finding(rules.unparsable, chunk));
        continue;
      }
      for (const name of await overlongIdentifiers(chunk)) {
        findings.push(
          finding(
            rules.identifierTooLong,
            `${chunk.trim().split('\n')[0]} (${name.slice(0, 20)}…: ${Buffer.byteLength(name)} bytes)`,
          ),
        );
      }
      for (const { node, text } of parsed) {
        statementCount++;
        const verdict = checkStatement(node, { before, current: model });
        for (const rule of verdict.broken) findings.push(finding(rule, text));
        if (verdict.concurrent) concurrent.push(text);
        transactionControl ||= verdict.transactionControl;
      }
    }
    if (concurrent.length > 0 && transactionControl) {
      findings.push(...concurrent.map((text) => finding(rules.concurrentlyInTransaction, text)));
    } else if (concurrent.length > 0 && statementCount > concurrent.length) {
      findings.push(...concurrent.map((text) => finding(rules.concurrentlyWithOthers, text)));
    }
    concurrent = [];
    const allowances = readAllowances(migration.sql);
    const allowed = findings
      .filter((f) => allowances.reasons.has(f.rule))
      .map((f) => ({ ...f, reason: allowances.reasons.get(f.rule)! }));
    const remaining = [
      ...findings.filter((f) => !allowances.reasons.has(f.rule)),
      ...allowances.withoutReason.map((line) => finding(rules.allowWithoutReason, line)),
    ];
    const breaking = remaining.some(
      (f) => Object.values(rules).find((r) => r.name === f.rule)?.breaking,
    );
    results.push({
      tag: migration.tag,
      classification: breaking ? 'breaking' : 'additive',
      findings: remaining,
      allowed,
    });
  }
  return results;
}

const finding = (rule: Rule, statement: string): Finding => ({
  rule: rule.name,
  severity: rule.severity,
  statement: statementSummary(statement),
  explanation: rule.explanation,
  alternative: rule.alternative,
});

/** `-- jam-db:allow <rule> <reason>` lines: a reason is required, or the line silences nothing. */
function readAllowances(sql: string): { reasons: Map<string, string>; withoutReason: string[] } {
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
