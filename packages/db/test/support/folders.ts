import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';

export interface FixtureMigration {
  tag: string;
  sql: string;
  /** Journal timestamp; defaults to one second after the previous entry. */
  when?: number;
  down?: string;
}

/** Writes a drizzle-kit style migrations folder: meta/_journal.json and <tag>.sql files. */
export function writeMigrationsFolder(
  migrations: FixtureMigration[],
  dir = mkdtempSync(join(tmpdir(), 'jam-fixture-')),
): string {
  mkdirSync(join(dir, 'meta'), { recursive: true });
  let when = 1_700_000_000_000;
  const entries = migrations.map((m, idx) => {
    when = m.when ?? when + 1000;
    writeFileSync(join(dir, `${m.tag}.sql`), m.sql);
    if (m.down !== undefined) writeFileSync(join(dir, `${m.tag}.down.sql`), m.down);
    return { idx, version: '7', when, tag: m.tag, breakpoints: true };
  });
  writeFileSync(
    join(dir, 'meta/_journal.json'),
    JSON.stringify({ version: '7', dialect: 'postgresql', entries }, null, 2),
  );
  return dir;
}

/** Appends a migration to an existing folder's journal. */
export function appendMigration(dir: string, migration: FixtureMigration & { when: number }): void {
  const path = join(dir, 'meta/_journal.json');
  const journal = JSON.parse(readFileSync(path, 'utf8'));
  journal.entries.push({
    idx: journal.entries.length,
    version: '7',
    when: migration.when,
    tag: migration.tag,
    breakpoints: true,
  });
  writeFileSync(path, JSON.stringify(journal, null, 2));
  writeFileSync(join(dir, `${migration.tag}.sql`), migration.sql);
}

export const bp = '\n--> statement-breakpoint\n';

/**
 * For a suite whose tests each write their own small folders: returns a
 * writer whose folders are removed after every test.
 */
export function useMigrationsFolders(): (...migrations: FixtureMigration[]) => string {
  const written: string[] = [];
  afterEach(() => {
    for (const dir of written.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  return (...migrations) => {
    const dir = writeMigrationsFolder(migrations);
    written.push(dir);
    return dir;
  };
}
