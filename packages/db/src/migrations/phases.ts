import type { Migration } from '../drizzle-kit/migration-folder.js';
import { phaseDirective } from '../drizzle-kit/phase-directive.js';
import { JamDbError } from '../errors.js';
import type { Target } from '../target/target.js';
import { displayPath } from './failure.js';
import type { History } from './history.js';

/**
 * What `migrate` does with expand / contract phases: contract migrations wait
 * until every app instance runs the code of their expand's release, so a run
 * stops before the first one unless told to apply it.
 */
export interface PhaseOptions {
  /** Hold back the first pending contract migration and everything after it. */
  holdContracts: boolean;
  /** Told what the run holds back (before anything runs; also on a dry run). */
  onHeldBack?: ((heldBack: HeldBack[]) => void) | undefined;
}

/** A pending migration a run does not apply: a contract, or one that comes after it. */
export interface HeldBack {
  tag: string;
  /** The expand migration it contracts; null when it only waits behind a held-back contract. */
  contracts: string | null;
}

export const applyContractVariable = 'JAM_DB_APPLY_CONTRACT';

/**
 * Whether a run applies contract migrations: `--contract` always does;
 * otherwise JAM_DB_APPLY_CONTRACT (1 or 0) decides, and without it local
 * development on PGlite, which deploys code and schema together, applies them
 * while a server holds them back.
 */
export function appliesContracts(
  flag: boolean,
  setting: string | undefined,
  target: Target,
): boolean {
  if (flag) return true;
  const value = setting?.trim().toLowerCase();
  if (value === undefined || value === '') return target.engine === 'pglite';
  if (value === '1' || value === 'true') return true;
  if (value === '0' || value === 'false') return false;
  throw new JamDbError(
    'config',
    `${applyContractVariable} is "${setting}"; it takes 1 (apply contract migrations) or 0 (hold them back).`,
    `Set ${applyContractVariable}=1 where code and schema deploy together, 0 (or leave it unset on a server) where app instances roll over; \`--contract\` applies them for one run.`,
  );
}

/** A migration of the run with a phase line jam-db cannot act on stops it before anything runs. */
export function refuseBadPhases(plan: Migration[]): void {
  const bad = plan.find((m) => m.phaseProblem);
  if (!bad) return;
  throw new JamDbError(
    'migrations-folder',
    `${bad.tag} has a ${phaseDirective} line jam-db cannot act on (line ${bad.phaseProblem!.line} of ${displayPath(bad.path)}): ${bad.phaseProblem!.message} Nothing was applied.`,
    bad.phaseProblem!.hint,
  );
}

/**
 * Splits a run's plan at its first contract migration when contracts are held
 * back: the migrations before it run, it and everything after it wait (history
 * stays linear). A `--to` that reaches a held-back contract is refused, since
 * the user asked for exactly that migration.
 */
export function holdBackContracts(
  plan: Migration[],
  holdContracts: boolean,
  to: string | undefined,
): { apply: Migration[]; heldBack: HeldBack[] } {
  const first = holdContracts ? plan.findIndex((m) => m.phase?.kind === 'contract') : -1;
  if (first < 0) return { apply: plan, heldBack: [] };
  const contract = plan[first]!;
  const expands = contractedBy(contract)!;
  if (to !== undefined) {
    const before = first > 0 ? plan[first - 1]!.tag : null;
    throw new JamDbError(
      'usage',
      `--to ${to} ${to === contract.tag ? 'is' : 'goes past'} ${contract.tag}, the contract of ${expands}, which migrate holds back until every app instance runs the new code.`,
      `Add --contract once no running code uses what ${contract.tag} removes${before ? `, or stop before it with --to ${before}` : ''}.`,
    );
  }
  return {
    apply: plan.slice(0, first),
    heldBack: plan.slice(first).map((m) => ({ tag: m.tag, contracts: contractedBy(m) })),
  };
}

const contractedBy = (m: Migration): string | null =>
  m.phase?.kind === 'contract' ? m.phase.expands : null;

/** What `migrate` says about each held-back migration, in order. */
export function describeHeldBack(heldBack: HeldBack[]): string[] {
  const blocking = heldBack[0]?.tag;
  return heldBack.map((h) =>
    h.contracts !== null && h.tag === blocking
      ? `Held back ${h.tag} (contract of ${h.contracts}): run \`pnpm db:migrate --contract\` once every app instance runs the new code.`
      : h.contracts !== null
        ? `Held back ${h.tag} (contract of ${h.contracts}) too: it comes after ${blocking}.`
        : `Held back ${h.tag} too: it comes after ${blocking}, and migrations apply in order.`,
  );
}

/** An applied expand migration whose contract is not applied (null: no contract migration yet). */
export interface Expanded {
  tag: string;
  contract: string | null;
}

/** The applied expand migrations whose contract is still pending or not written yet. */
export function expandedNotContracted(migrations: Migration[], history: History): Expanded[] {
  const applied = new Set(history.applied.map((a) => a.migration.tag));
  const changed = new Set(history.changed.map((c) => c.migration.tag));
  const expanded: Expanded[] = [];
  for (const expand of migrations) {
    if (expand.phase?.kind !== 'expand' || !(applied.has(expand.tag) || changed.has(expand.tag)))
      continue;
    const contracts = migrations.filter((m) => contractedBy(m) === expand.tag);
    if (contracts.length === 0) expanded.push({ tag: expand.tag, contract: null });
    for (const contract of contracts)
      if (!applied.has(contract.tag) && !changed.has(contract.tag))
        expanded.push({ tag: expand.tag, contract: contract.tag });
  }
  return expanded;
}

/** `status`'s lines for the expanded migrations: a heading, then one line each. */
export function describeExpanded(expanded: Expanded[]): string[] {
  if (expanded.length === 0) return [];
  const width = Math.max(...expanded.map((e) => e.tag.length));
  return [
    'Expanded, not contracted:',
    ...expanded.map(
      (e) =>
        `  ${e.tag.padEnd(width)}  ${
          e.contract === null
            ? 'no contract migration yet'
            : `contract ${e.contract} pending: \`pnpm db:migrate --contract\` applies it once every app instance runs the new code`
        }`,
    ),
  ];
}
