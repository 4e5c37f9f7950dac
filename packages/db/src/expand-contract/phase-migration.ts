import { phaseDirective } from '../drizzle-kit/phase-directive.js';
import type { Snapshot } from '../drizzle-kit/snapshots.js';
import { noTransactionMarker } from '../migrations/execution-mode.js';
import { findTable } from './column-copies.js';
import { NoCopy, phasedForm } from './phased-forms.js';
import { leadingComments, type PhasedChange, recognise } from './recognise.js';

/** A statement written as its phased form. */
export interface PhasedStatement {
  statement: string;
  kind: PhasedChange['kind'];
  change: string;
}

/** A statement the phased form covers that keeps drizzle-kit's text, and why. */
export interface KeptPlain {
  statement: string;
  kind: PhasedChange['kind'];
  reason: string;
}

export interface PhasedMigration {
  /** The expand migration's statements (the migration itself when `contract` is empty). */
  expand: string[];
  /** The contract migration's statements; empty when no change needs one. */
  contract: string[];
  phased: PhasedStatement[];
  kept: KeptPlain[];
}

/**
 * Splits a migration's statements into an expand and a contract migration:
 * each rename, type change and volatile default takes its phased form (read
 * against `before`, the snapshot of the schema before the migration), every
 * other statement stays in the expand as it is, in order. Pure: writes nothing.
 */
export function phaseMigration(statements: string[], before: Snapshot): PhasedMigration {
  // Later statements name tables and columns as the earlier ones left them.
  const working = structuredClone(before);
  const result: PhasedMigration = { expand: [], contract: [], phased: [], kept: [] };
  const dropped = droppedNames(statements);
  for (const statement of statements) {
    const change = recognise(statement);
    if (!change) {
      result.expand.push(statement);
      continue;
    }
    const form = phasedForm(change, working, dropped);
    follow(working, change);
    if (form instanceof NoCopy) {
      result.kept.push({ statement, kind: change.kind, reason: form.reason });
      result.expand.push(statement);
      continue;
    }
    // Comment lines above the statement (a directive, a note) stay above its first step.
    const comments = leadingComments.exec(statement)?.[0] ?? '';
    result.expand.push(...form.expand.map((step, i) => (i === 0 ? comments + step : step)));
    result.contract.push(...form.contract);
    result.phased.push({ statement, kind: change.kind, change: form.change });
  }
  return result;
}

/** Names of the constraints and indexes the migration drops: a copy of one would outlive it. */
function droppedNames(statements: string[]): Set<string> {
  const names = new Set<string>();
  const pattern =
    /\bDROP (?:CONSTRAINT|INDEX(?: CONCURRENTLY)?)(?: IF EXISTS)? (?:"(?:[^"]|"")+"\.)?"((?:[^"]|"")+)"/gi;
  for (const statement of statements)
    for (const match of statement.matchAll(pattern)) names.add(match[1]!.replace(/""/g, '"'));
  return names;
}

function follow(snapshot: Snapshot, change: PhasedChange): void {
  if (change.kind === 'rename-table') {
    const table = findTable(snapshot, change.schema, change.from);
    if (table) table.name = change.to;
  }
  if (change.kind === 'rename-column') {
    const table = findTable(snapshot, change.schema, change.table);
    const column = table?.columns[change.from];
    if (table && column) {
      delete table.columns[change.from];
      table.columns[change.to] = { ...column, name: change.to };
    }
  }
}

/**
 * The lines an expand file starts with: its phase, the runner's
 * no-transaction mode (its CONCURRENTLY builds and backfill run on their own),
 * and the lint findings its phased form answers.
 */
export function expandHeader(migration: PhasedMigration): string[] {
  const lines = [
    ...(migration.contract.length > 0 ? [`${phaseDirective} expand`] : []),
    noTransactionMarker,
  ];
  for (const { kind, statement } of migration.phased)
    if (kind === 'rename-table')
      lines.push(
        `-- jam-db:allow rename-table the old name stays as an updatable view until the contract (${statement.replace(/\s+/g, ' ')})`,
      );
  return lines;
}

export function contractHeader(migration: PhasedMigration, expandTag: string): string[] {
  const lines = [`${phaseDirective} contract ${expandTag}`];
  if (migration.phased.some((p) => p.kind === 'rename-column' || p.kind === 'change-column-type'))
    lines.push(
      `-- jam-db:allow drop-column the column it drops was replaced in ${expandTag}, and the app uses the new one since that release`,
    );
  if (migration.phased.some((p) => p.kind === 'change-column-type'))
    lines.push(
      `-- jam-db:allow rename-column the column of the new type, filled since ${expandTag}, takes the old one's name in the same transaction that drops the old one`,
    );
  return lines;
}
