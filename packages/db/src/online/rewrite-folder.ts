import { writeFileSync } from 'node:fs';
import type { Migration, MigrationFolder } from '../drizzle-kit/migration-folder.js';
import { SchemaModel } from '../lint/schema-model.js';
import { type OnlineRewrite, rewriteMigration } from './rewrite-migration.js';

export interface MigrationRewrite extends OnlineRewrite {
  migration: Migration;
}

/**
 * The online-safe form of every migration of a folder, each judged against the
 * schema the migrations before it built, as lint judges them. Writes nothing.
 */
export async function rewriteFolder(folder: MigrationFolder): Promise<MigrationRewrite[]> {
  const model = new SchemaModel();
  const results: MigrationRewrite[] = [];
  for (const migration of folder.migrations) {
    model.beginMigration();
    results.push({ migration, ...(await rewriteMigration(migration.sql, model)) });
  }
  return results;
}

export interface FolderFix {
  /** Migrations not applied whose statements were rewritten (written unless a dry run). */
  fixed: MigrationRewrite[];
  /** Applied migrations that have statements a rewrite would change: never touched. */
  leftApplied: MigrationRewrite[];
  /** Statements lint flags that no safe form covers, in migrations not applied. */
  notRewritten: MigrationRewrite[];
}

/**
 * `lint --fix`: rewrites, in place, the migrations the database has not
 * applied. An applied migration is never changed: its hash is recorded, and the
 * runner would refuse the edited file.
 */
export async function fixFolder(
  folder: MigrationFolder,
  applied: ReadonlySet<string>,
  options: { write: boolean },
): Promise<FolderFix> {
  const fix: FolderFix = { fixed: [], leftApplied: [], notRewritten: [] };
  for (const result of await rewriteFolder(folder)) {
    const { tag } = result.migration;
    if (applied.has(tag)) {
      if (result.rewrites.length > 0) fix.leftApplied.push(result);
      continue;
    }
    if (result.notRewritten.length > 0) fix.notRewritten.push(result);
    if (result.rewrites.length === 0) continue;
    if (options.write) writeFileSync(result.migration.path, result.sql);
    fix.fixed.push(result);
  }
  return fix;
}

/** `generate`: writes the online-safe form of the migration just generated (the folder's `tag`). */
export async function rewriteGenerated(
  folder: MigrationFolder,
  tag: string,
): Promise<MigrationRewrite | undefined> {
  const result = (await rewriteFolder(folder)).find((r) => r.migration.tag === tag);
  if (result && result.rewrites.length > 0) writeFileSync(result.migration.path, result.sql);
  return result;
}

/** "2 statement(s) rewritten: CREATE INDEX → CONCURRENTLY; FOREIGN KEY → NOT VALID + VALIDATE" */
export const describeRewrites = (result: OnlineRewrite): string =>
  `${result.rewrites.length} statement(s) rewritten: ${result.rewrites.map((r) => r.change).join('; ')}`;
