import type { Migration } from '../drizzle-kit/migration-folder.js';
import { displayPath } from '../migrations/failure.js';
import type { Finding } from './finding.js';
import { rules } from './rules.js';

/** A finding about a migration's phase, placed by line, never by statement. */
type PhasedFinding = Omit<Finding, 'index'>;

const breaking = new Set(
  Object.values(rules)
    .filter((r) => r.breaking)
    .map((r) => r.name),
);

/**
 * Rewords the safe alternative of breaking findings for a phased migration.
 * In a contract migration a drop or rename is the point: the finding stays
 * (release-check still wants a major bump), but "expand, then contract" is
 * done already, so it says when the migration may run instead. In an expand
 * migration a breaking statement defeats the phase, so it says to move it.
 */
export function withPhaseAlternatives<F extends PhasedFinding>(
  migration: Migration,
  findings: F[],
): F[] {
  const phase = migration.phase;
  if (!phase) return findings;
  const alternative =
    phase.kind === 'contract'
      ? `this is the contract of ${phase.expands}: \`pnpm db:migrate\` holds it back until \`--contract\`; run that once every app instance runs the code released with ${phase.expands} and nothing uses what this removes`
      : `an expand migration must be safe while the previous app version runs: move this statement into the contract migration ("-- jam-db:phase contract ${migration.tag}")`;
  return findings.map((f) => (breaking.has(f.rule) ? { ...f, alternative } : f));
}

/** The finding for a phase line `migrate` would refuse, placed at its line. */
export function phaseProblemFinding(migration: Migration): PhasedFinding | null {
  const problem = migration.phaseProblem;
  if (!problem) return null;
  const rule = rules.phaseDirective;
  return {
    rule: rule.name,
    severity: rule.severity,
    statement: migration.sql.split('\n')[problem.line - 1]?.trim() ?? '',
    explanation: `${rule.explanation}: ${problem.message}`,
    alternative: problem.hint,
    location: `line ${problem.line} of ${displayPath(migration.path)}`,
  };
}
