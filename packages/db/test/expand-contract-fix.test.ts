import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { workBudget } from '@jam/testing/work-budget';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { useScratchDatabase } from './support/databases.js';
import { workDir } from './support/history-folder.js';

const schemaWith = (column: string, more = '') =>
  `import { index, integer, pgTable, text, uuid } from 'drizzle-orm/pg-core';
export const users = pgTable('users', { id: uuid('id').primaryKey().defaultRandom(), name: text('${column}').notNull(), age: integer('age')${more} }, (t) => [index('users_name_idx').on(t.name)]);
`;

describe('jam-db lint --fix: expand / contract', () => {
  const db = useScratchDatabase('pglite');
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  /** A folder where drizzle-kit's plain rename (generate --plain) is the last migration, and `versions` more after it. */
  async function plainRename(...versions: string[]) {
    const schemas = workDir('fix-schema-');
    const migrations = mkdtempSync(join(tmpdir(), 'jam-fix-'));
    dirs.push(schemas, migrations);
    const generate = async (source: string, ...flags: string[]) => {
      const file = join(schemas, `v${Math.random().toString(36).slice(2)}.mjs`);
      writeFileSync(file, source);
      const result = await runCli([
        'generate',
        '--migrations',
        migrations,
        '--schema',
        file,
        '--plain',
        ...flags,
      ]);
      expect(result.code).toBe(0);
    };
    await generate(schemaWith('name'), '--name', 'init');
    await generate(schemaWith('full_name'), '--name', 'rename', '--rename', 'users.name:full_name');
    for (const version of versions) await generate(version, '--name', 'more');
    return migrations;
  }

  const sql = (dir: string, tag: string) => readFileSync(join(dir, `${tag}.sql`), 'utf8');

  it(
    'turns the last migration into the expand and adds its contract, with down scripts verify finds exact',
    async () => {
      const dir = await plainRename();
      const fixed = await runCli(['lint', '--fix', '--migrations', dir], db.env);
      expect(fixed.stderr).toBe('');
      expect(fixed.code).toBe(0);
      expect(fixed.stdout).toContain(
        '0001_rename: expand/contract form: RENAME COLUMN → "full_name" kept in step with "name" by a trigger, backfilled (expand); "name" dropped (contract); added 0002_rename_contract (contract of 0001_rename)',
      );
      expect(fixed.stdout).toMatch(/0001_rename +additive +no findings +\(expand\)/);
      expect(sql(dir, '0001_rename')).toMatch(
        /^-- jam-db:phase expand\n-- jam-db:no-transaction\nALTER TABLE "users" ADD COLUMN "full_name" text;/,
      );
      expect(sql(dir, '0002_rename_contract')).toMatch(/^-- jam-db:phase contract 0001_rename\n/);
      const journal = JSON.parse(readFileSync(join(dir, 'meta', '_journal.json'), 'utf8'));
      expect(journal.entries.map((e: { tag: string }) => e.tag)).toEqual([
        '0000_init',
        '0001_rename',
        '0002_rename_contract',
      ]);
      const snapshots = ['0001', '0002'].map((i) =>
        JSON.parse(readFileSync(join(dir, 'meta', `${i}_snapshot.json`), 'utf8')),
      );
      expect(snapshots[1].prevId).toBe(snapshots[0].id);
      expect(readFileSync(join(dir, '0001_rename.down.sql'), 'utf8')).toContain('DROP FUNCTION');
      expect(existsSync(join(dir, '0002_rename_contract.down.sql'))).toBe(true);

      const verified = await runCli(['verify', '--migrations', dir], db.env);
      expect(verified.stdout).toMatch(/exact {2}0001_rename /);
      expect(verified.stdout).toMatch(/exact {2}0002_rename_contract /);
      expect(verified.code).toBe(0);

      const again = await runCli(['lint', '--fix', '--migrations', dir], db.env);
      expect(again.stdout).not.toMatch(/expand\/contract form/);
      expect(readdirSync(dir).filter((f) => f.endsWith('.sql'))).toHaveLength(6);
    },
    workBudget({ cliRuns: 6 }),
  );

  it(
    'prints both files on a dry run and writes nothing; --json says what it would do',
    async () => {
      const dir = await plainRename();
      const before = sql(dir, '0001_rename');
      const dry = await runCli(['lint', '--fix', '--dry-run', '--migrations', dir], db.env);
      expect(dry.stdout).toContain('would add 0002_rename_contract');
      expect(dry.stdout).toContain(
        '--- 0002_rename_contract as --fix would write it (not written):\n-- jam-db:phase contract 0001_rename',
      );
      expect(sql(dir, '0001_rename')).toBe(before);
      expect(existsSync(join(dir, '0002_rename_contract.sql'))).toBe(false);
      const json = JSON.parse(
        (await runCli(['lint', '--fix', '--dry-run', '--json', '--migrations', dir], db.env))
          .stdout,
      );
      expect(json.phased).toEqual({
        tag: '0001_rename',
        contract: '0002_rename_contract',
        changes: [
          expect.objectContaining({
            kind: 'rename-column',
            statement: 'ALTER TABLE "users" RENAME COLUMN "name" TO "full_name";',
          }),
        ],
      });
      expect(json.notPhased).toEqual([]);
    },
    workBudget({ cliRuns: 4 }),
  );

  it(
    'leaves a rename that is not the last migration as it is, and says why',
    async () => {
      const dir = await plainRename(schemaWith('full_name', `, nick: text('nick')`));
      const before = sql(dir, '0001_rename');
      const fixed = await runCli(['lint', '--fix', '--migrations', dir], db.env);
      expect(fixed.code).toBe(1);
      expect(fixed.stdout).toContain(
        `0001_rename: no expand/contract form: ALTER TABLE "users" RENAME COLUMN "name" TO "full_name": not the folder's last migration`,
      );
      expect(fixed.stdout).toMatch(/error +rename-column: /);
      expect(sql(dir, '0001_rename')).toBe(before);
    },
    workBudget({ cliRuns: 4 }),
  );
  it(
    'says why the last migration keeps a rename of its key column plain',
    async () => {
      const schemas = workDir('fix-schema-');
      const dir = mkdtempSync(join(tmpdir(), 'jam-fix-'));
      dirs.push(schemas, dir);
      const keyed = (key: string) =>
        `import { pgTable, text, uuid } from 'drizzle-orm/pg-core';\nexport const users = pgTable('users', { id: uuid('${key}').primaryKey().defaultRandom(), name: text('name') });\n`;
      writeFileSync(join(schemas, 'v1.mjs'), keyed('id'));
      writeFileSync(join(schemas, 'v2.mjs'), keyed('key'));
      const generate = (file: string, ...flags: string[]) =>
        runCli([
          'generate',
          '--migrations',
          dir,
          '--schema',
          join(schemas, file),
          '--plain',
          ...flags,
        ]);
      expect((await generate('v1.mjs')).code).toBe(0);
      expect((await generate('v2.mjs', '--rename', 'users.id:key', '--name', 'key')).code).toBe(0);
      const fixed = await runCli(['lint', '--fix', '--json', '--migrations', dir], db.env);
      expect(JSON.parse(fixed.stdout).notPhased).toEqual([
        {
          tag: '0001_key',
          statement: 'ALTER TABLE "users" RENAME COLUMN "id" TO "key";',
          reason: '"users"."id" is part of the primary key',
        },
      ]);
      expect(existsSync(join(dir, '0002_key_contract.sql'))).toBe(false);
    },
    workBudget({ cliRuns: 3 }),
  );
});
