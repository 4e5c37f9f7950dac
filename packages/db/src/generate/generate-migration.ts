import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { statementBreakpoint } from '../drizzle-kit/breakpoints.js';
import { detectLayout, journalPath } from '../drizzle-kit/layout.js';
import { readMigrationFolder } from '../drizzle-kit/migration-folder.js';
import {
  type Rename,
  reverseRenameStatement,
  undoRenameInSnapshot,
} from '../drizzle-kit/renames.js';
import { emptySnapshot, readSnapshot, type Snapshot } from '../drizzle-kit/snapshots.js';
import { stagesBetween } from '../drizzle-kit/staging.js';
import { JamDbError } from '../errors.js';
import {
  contractHeader,
  expandHeader,
  type PhasedMigration,
  phaseMigration,
} from '../expand-contract/phase-migration.js';
import { findAmbiguities } from './ambiguity.js';
import { decide } from './hints.js';

export interface GenerateOptions {
  dir: string;
  /** The module exporting the drizzle tables, enums, … (what drizzle-kit's `schema` points at). */
  schema: Record<string, unknown>;
  name?: string | undefined;
  renames?: string[] | undefined;
  created?: string[] | undefined;
  /** Journal timestamp; tests pass a fixed clock. */
  now?: number | undefined;
  /**
   * Write renames, type changes and volatile defaults as an expand migration
   * and (where one is needed) a contract migration instead of drizzle-kit's
   * statements (`generate` does unless `--plain`).
   */
  phased?: boolean | undefined;
}

export type GenerateResult =
  | {
      tag: string;
      path: string;
      statements: string[];
      /** The contract migration written right after it, when the change was phased. */
      contract: { tag: string; path: string } | null;
      phasing: PhasedMigration | null;
    }
  | { tag: null };

/**
 * drizzle-kit generate without a terminal: the same differ and file layout, but
 * renames come from `--rename` and `--created`, never from a prompt. Where
 * drizzle-kit would ask and no flag answers, it stops with the question and the
 * flags that answer it.
 */
export async function generateMigrationFiles(options: GenerateOptions): Promise<GenerateResult> {
  const layout = detectLayout(options.dir);
  if (layout === 'folders') throw folderLayoutError(options.dir);
  const { generateDrizzleJson, generateMigration } = await import('drizzle-kit/api');
  const folder =
    layout === 'journal'
      ? readMigrationFolder(options.dir)
      : { dir: options.dir, layout: 'journal' as const, migrations: [] };
  const last = folder.migrations.at(-1);
  const previous = (last ? await readSnapshot(folder, last) : null) ?? emptySnapshot();
  const next = generateDrizzleJson(options.schema, previous.id as string) as unknown as Snapshot;

  const { renames, unresolved } = decide(
    previous,
    next,
    findAmbiguities(previous, next),
    options.renames ?? [],
    options.created ?? [],
  );
  if (unresolved.length > 0) throw ambiguityError(unresolved);

  // Renames first (tables before their columns), written as RENAME statements,
  // so the differ sees matching names and only the rest of the change.
  const ordered = orderRenames(renames);
  const renamed = structuredClone(previous);
  for (const rename of ordered) undoRenameInSnapshot(renamed, swap(rename));
  const statements = ordered.map((rename) => reverseRenameStatement(swap(rename)));
  let from = renamed;
  for (const stage of stagesBetween(renamed, next)) {
    statements.push(...(await generateMigration(from as never, stage as never)));
    from = stage;
  }
  if (statements.length === 0) return { tag: null };

  const phasing = options.phased ? phaseMigration(statements, previous) : null;
  const phased = phasing !== null && phasing.phased.length > 0 ? phasing : null;
  const split = phased !== null && phased.contract.length > 0;
  const name = slug(options.name ?? 'migration');
  const idx = folder.migrations.length;
  const tag = `${String(idx).padStart(4, '0')}_${name}${split ? '_expand' : ''}`;
  const body = phased
    ? [...expandHeader(phased), joined(phased.expand)].join('\n')
    : joined(statements);
  const snapshot = { ...next, id: randomUUID(), prevId: previous.id, _meta: metaOf(ordered) };
  const path = writeEntry(options, idx, tag, body, snapshot);
  let contract: { tag: string; path: string } | null = null;
  if (split) {
    const contractTag = `${String(idx + 1).padStart(4, '0')}_${name}_contract`;
    const contractBody = [...contractHeader(phased, tag), joined(phased.contract)].join('\n');
    // The schema the contract leaves is the one drizzle-kit generated: the same snapshot, next in the chain.
    const after = { ...next, id: randomUUID(), prevId: snapshot.id, _meta: metaOf([]) };
    contract = {
      tag: contractTag,
      path: writeEntry(options, idx + 1, contractTag, contractBody, after, 1),
    };
  }
  return { tag, path, statements: phased ? phased.expand : statements, contract, phasing };
}

const joined = (statements: string[]) =>
  statements.map((s) => s.trim()).join(`\n${statementBreakpoint}\n`);

/** The migration file, its snapshot and its journal entry, as drizzle-kit writes them. */
function writeEntry(
  options: GenerateOptions,
  idx: number,
  tag: string,
  sql: string,
  snapshot: Record<string, unknown>,
  // drizzle's migrator orders by this timestamp: the contract must come strictly later.
  laterBy = 0,
): string {
  mkdirSync(join(options.dir, 'meta'), { recursive: true });
  const path = join(options.dir, `${tag}.sql`);
  writeFileSync(path, sql);
  writeFileSync(
    join(options.dir, 'meta', `${String(idx).padStart(4, '0')}_snapshot.json`),
    `${JSON.stringify(snapshot, null, 2)}\n`,
  );
  const journalFile = journalPath(options.dir);
  const journal = existsSync(journalFile)
    ? JSON.parse(readFileSync(journalFile, 'utf8'))
    : { version: '7', dialect: 'postgresql', entries: [] };
  journal.entries.push({
    idx,
    version: '7',
    when: (options.now ?? Date.now()) + laterBy,
    tag,
    breakpoints: true,
  });
  writeFileSync(journalFile, `${JSON.stringify(journal, null, 2)}\n`);
  return path;
}

const swap = (rename: Rename): Rename =>
  ({ ...rename, from: rename.to, to: rename.from }) as Rename;

/** Table renames first; a column rename then names its table by the new name, as the SQL will. */
function orderRenames(renames: Rename[]): Rename[] {
  const tables = renames.filter((r) => r.kind === 'table');
  const others = renames
    .filter((r) => r.kind !== 'table')
    .map((r) => {
      if (r.kind !== 'column') return r;
      const moved = tables.find((t) => t.schema === r.schema && t.from === r.table);
      return moved ? { ...r, table: moved.to } : r;
    });
  return [...tables, ...others];
}

/** drizzle-kit records the renames of a migration in its snapshot's `_meta`. */
function metaOf(renames: Rename[]) {
  const q = (schema: string, ...names: string[]) =>
    [...(schema === 'public' ? [] : [schema]), ...names].map((n) => `"${n}"`).join('.');
  const meta = {
    schemas: {} as Record<string, string>,
    tables: {} as Record<string, string>,
    columns: {} as Record<string, string>,
  };
  for (const r of renames) {
    if (r.kind === 'table') meta.tables[q(r.schema, r.from)] = q(r.schema, r.to);
    if (r.kind === 'column')
      meta.columns[q(r.schema, r.table, r.from)] = q(r.schema, r.table, r.to);
  }
  return meta;
}

const slug = (name: string) =>
  name
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_|_$/g, '') || 'migration';

function ambiguityError(unresolved: ReturnType<typeof findAmbiguities>): JamDbError {
  const lines = unresolved.map(
    (a) =>
      `  ${a.scope}: ${a.appeared.join(', ')} appeared while ${a.disappeared.join(', ')} disappeared`,
  );
  const flags = unresolved.flatMap((a) =>
    a.appeared.map(
      (name) => `  --rename ${a.disappeared[0]}:${name.split('.').pop()}   or   --created ${name}`,
    ),
  );
  return new JamDbError(
    'usage',
    `drizzle-kit would ask whether these were renamed, and jam-db generate never asks:\n${lines.join('\n')}`,
    `Answer with one flag per new name and run again:\n${flags.join('\n')}`,
  );
}

/**
 * jam-db generates with drizzle-kit 0.31, which writes only the 0.x layout:
 * writing a journal into a 1.0 folder would leave a folder neither version
 * reads as a whole, so a 1.0 folder is generated with drizzle-kit 1.0 itself.
 */
function folderLayoutError(dir: string): JamDbError {
  return new JamDbError(
    'migrations-folder',
    `${dir} uses drizzle-kit 1.0's layout (a <timestamp>_<name>/ folder per migration), but jam-db generate runs drizzle-kit 0.31, which writes the 0.x layout (meta/_journal.json); nothing was written.`,
    'Generate with drizzle-kit 1.0 (`npx drizzle-kit generate`), then `pnpm db:generate-down` writes the down script (<folder>/down.sql) and `pnpm db:lint` checks the migration; every other jam-db command reads the 1.0 layout.',
  );
}
