import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { splitStatements, statementBreakpoint } from '../drizzle-kit/breakpoints.js';
import { journalPath } from '../drizzle-kit/layout.js';
import type { Migration, MigrationFolder } from '../drizzle-kit/migration-folder.js';
import { snapshotsAround } from '../drizzle-kit/snapshots.js';
import { noTransactionMarker } from '../migrations/execution-mode.js';
import {
  contractHeader,
  expandHeader,
  type PhasedStatement,
  phaseMigration,
} from './phase-migration.js';
import { recognise } from './recognise.js';

/** What `lint --fix` did with the statements an expand / contract pair replaces. */
export interface PendingPhasing {
  /** The migration it turned into an expand (and, where needed, the contract it added after it). */
  phased: {
    migration: Migration;
    contractTag: string | null;
    statements: PhasedStatement[];
    /** The new files' text (what a dry run prints). */
    expandSql: string;
    contractSql: string | null;
  } | null;
  /** Statements of migrations not applied that have a phased form but keep their plain one, and why. */
  left: { tag: string; statement: string; reason: string }[];
}

/**
 * `lint --fix`'s expand / contract step: the folder's last migration, when it
 * is not applied and holds a rename, type change or volatile default that
 * drizzle-kit wrote, becomes the expand; its contract is added as the next
 * migration (journal entry and snapshot, so drizzle-kit's next generate goes
 * on from it). Only the last: a contract must come after everything the
 * migrations in between build on the expand's schema.
 */
export async function phasePendingMigrations(
  folder: MigrationFolder,
  applied: ReadonlySet<string>,
  options: { write: boolean },
): Promise<PendingPhasing> {
  const result: PendingPhasing = { phased: null, left: [] };
  const last = folder.migrations.length - 1;
  for (const [position, migration] of folder.migrations.entries()) {
    if (applied.has(migration.tag) || migration.phase) continue;
    const candidates = migration.statements.filter((s) => recognise(s) !== null);
    if (candidates.length === 0) continue;
    const why = reasonToLeave(folder, migration, position === last);
    if (why) {
      for (const statement of candidates)
        result.left.push({ tag: migration.tag, statement, reason: why });
      continue;
    }
    const { before } = await snapshotsAround(folder, position);
    if (!before) {
      for (const statement of candidates)
        result.left.push({
          tag: migration.tag,
          statement,
          reason: 'no drizzle-kit snapshot records the schema before it',
        });
      continue;
    }
    result.phased = phaseFile(folder, migration, before, options.write, result);
  }
  return result;
}

function reasonToLeave(
  folder: MigrationFolder,
  migration: Migration,
  isLast: boolean,
): string | null {
  if (folder.layout !== 'journal')
    return "drizzle-kit 1.0's folder layout: generate the pair with `jam-db generate`, or write it by hand";
  if (!isLast)
    return "not the folder's last migration: its contract would have to follow migrations written against the plain change; move the statement into a migration of its own at the end (or regenerate), then run `lint --fix` again";
  if (!/^\d{4}_/.test(migration.tag))
    return `its tag ${migration.tag} has no index prefix (0007_…) to number a contract migration after it`;
  if (migration.sql.includes('BEGIN;') || /^\s*(BEGIN|COMMIT)\b/im.test(migration.sql))
    return 'the file controls its own transactions';
  return null;
}

function phaseFile(
  folder: MigrationFolder,
  migration: Migration,
  before: Parameters<typeof phaseMigration>[1],
  write: boolean,
  result: PendingPhasing,
): PendingPhasing['phased'] {
  const phasing = phaseMigration(splitStatements(migration.sql), before);
  result.left.push(
    ...phasing.kept.map(({ statement, reason }) => ({ tag: migration.tag, statement, reason })),
  );
  if (phasing.phased.length === 0) return null;
  const body = phasing.expand.join(`\n${statementBreakpoint}\n`);
  const header = expandHeader(phasing).filter(
    (line) => !(line === noTransactionMarker && migration.sql.includes(line)),
  );
  const expandSql = `${header.join('\n')}\n${body}\n`;
  if (phasing.contract.length === 0) {
    if (write) writeFileSync(migration.path, expandSql);
    return {
      migration,
      contractTag: null,
      statements: phasing.phased,
      expandSql,
      contractSql: null,
    };
  }
  const prefix = Number(migration.tag.slice(0, 4)) + 1;
  const contractTag = `${String(prefix).padStart(4, '0')}_${migration.tag.slice(5)}_contract`;
  const contractSql = `${contractHeader(phasing, migration.tag).join('\n')}\n${phasing.contract.join(`\n${statementBreakpoint}\n`)}\n`;
  if (write) {
    writeFileSync(migration.path, expandSql);
    writeFileSync(join(folder.dir, `${contractTag}.sql`), contractSql);
    addJournalEntry(folder, migration, contractTag);
  }
  return { migration, contractTag, statements: phasing.phased, expandSql, contractSql };
}

/** The contract's journal entry and snapshot: the expand's schema after the contract is the plain change's, as drizzle-kit recorded it. */
function addJournalEntry(folder: MigrationFolder, expand: Migration, contractTag: string): void {
  const file = journalPath(folder.dir);
  const journal = JSON.parse(readFileSync(file, 'utf8'));
  journal.entries.push({
    idx: expand.idx + 1,
    version: '7',
    // drizzle's migrator orders by this timestamp: the contract must come strictly later.
    when: expand.when + 1,
    tag: contractTag,
    breakpoints: true,
  });
  writeFileSync(file, `${JSON.stringify(journal, null, 2)}\n`);
  const meta = join(folder.dir, 'meta');
  const expandSnapshot = join(meta, `${expand.tag.slice(0, 4)}_snapshot.json`);
  let snapshot: Record<string, unknown>;
  try {
    snapshot = JSON.parse(readFileSync(expandSnapshot, 'utf8'));
  } catch {
    return;
  }
  const contract = {
    ...snapshot,
    id: randomUUID(),
    prevId: snapshot.id,
    _meta: { schemas: {}, tables: {}, columns: {} },
  };
  writeFileSync(
    join(meta, `${contractTag.slice(0, 4)}_snapshot.json`),
    `${JSON.stringify(contract, null, 2)}\n`,
  );
}
