import type { PendingPhasing } from '../expand-contract/phase-pending.js';
import { statementSummary } from '../migrations/statements.js';
import type { Output } from './output.js';

const summary = (statement: string) => statementSummary(statement).replace(/;\s*$/, '');

/** What `lint --fix` wrote as expand / contract, and what it left plain, in the human report. */
export function reportPhasing(out: Output, phasing: PendingPhasing, dryRun: boolean): void {
  const { phased } = phasing;
  if (phased) {
    const { tag } = phased.migration;
    out.line(
      `${tag}: expand/contract form: ${phased.statements.map((s) => s.change).join('; ')}${phased.contractTag ? `; ${dryRun ? 'would add' : 'added'} ${phased.contractTag} (contract of ${tag})` : ''}`,
    );
    if (dryRun) {
      out.line(`--- ${tag} as --fix would write it (not written):`);
      out.line(phased.expandSql.trimEnd());
      if (phased.contractSql) {
        out.line(`--- ${phased.contractTag} as --fix would write it (not written):`);
        out.line(phased.contractSql.trimEnd());
      }
      out.line('---');
    }
  }
  for (const left of phasing.left)
    out.line(`${left.tag}: no expand/contract form: ${summary(left.statement)}: ${left.reason}`);
}

/** The expand / contract part of `lint --fix --json`. */
export function phasingDocument(phasing: PendingPhasing) {
  const { phased } = phasing;
  return {
    phased: phased && {
      tag: phased.migration.tag,
      contract: phased.contractTag,
      changes: phased.statements.map(({ kind, statement, change }) => ({
        kind,
        statement,
        change,
      })),
    },
    notPhased: phasing.left,
  };
}
