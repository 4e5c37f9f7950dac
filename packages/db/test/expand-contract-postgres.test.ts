import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { workBudget } from '@jam/testing/work-budget';
import { afterEach, expect, it } from 'vitest';
import { openSession } from '../src/engines/open-session.js';
import { diffSchemaFacts, readSchemaFacts } from '../src/introspect/schema-facts.js';
import type { Target } from '../src/target/target.js';
import { runCli } from './support/cli.js';
import {
  createScratchDatabase,
  describeServer,
  type ScratchDatabase,
} from './support/databases.js';
import { workDir } from './support/history-folder.js';

/** A unique column and a self-referencing foreign key, so that their copies are tested too. */
const defaultKeys = `code: text('code').unique('users_code_unique'), parent: uuid('parent').references(() => users.id, { onDelete: 'set null' })`;

/** A drizzle schema module: the users table with the given column definitions and extras. */
const usersModule = (table: string, columns: string, extras: string, keys = defaultKeys) =>
  `import { bigint, check, index, integer, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
export const users = pgTable('${table}', { id: uuid('id').primaryKey().defaultRandom(), ${columns}, ${keys} }, (t) => [${extras}]);
`;

const v1 = usersModule(
  'users',
  `name: text('name').notNull().default('anon'), age: integer('age').default(0)`,
  `index('users_name_idx').on(t.name), index('users_age_idx').on(t.age), check('users_name_check', sql\`length(\${t.name}) > 0\`)`,
);

const v1Columns = `name: text('name').notNull().default('anon'), age: integer('age').default(0)`;
const v1Extras = `index('users_name_idx').on(t.name), index('users_age_idx').on(t.age), check('users_name_check', sql\`length(\${t.name}) > 0\`)`;

const cases = {
  'rename a unique column': {
    v2: usersModule(
      'users',
      v1Columns,
      v1Extras,
      `code: text('ref_code').unique('users_code_unique'), parent: uuid('parent').references(() => users.id, { onDelete: 'set null' })`,
    ),
    flags: ['--rename', 'users.code:ref_code'],
    oldWrite: `INSERT INTO users (name, age, code) VALUES ('old-client', 1, 'old')`,
    newWrite: `INSERT INTO users (name, age, ref_code) VALUES ('new-client', 2, 'new')`,
    read: [
      'SELECT code AS v FROM users ORDER BY age, name',
      'SELECT ref_code AS v FROM users ORDER BY age, name',
    ],
  },
  'rename a foreign key column': {
    v2: usersModule(
      'users',
      v1Columns,
      v1Extras,
      `code: text('code').unique('users_code_unique'), parent: uuid('parent_id').references(() => users.id, { onDelete: 'set null' })`,
    ),
    flags: ['--rename', 'users.parent:parent_id'],
    oldWrite: `INSERT INTO users (name, age, parent) SELECT 'old-client', 1, min(id::text)::uuid FROM users`,
    newWrite: `INSERT INTO users (name, age, parent_id) SELECT 'new-client', 2, max(id::text)::uuid FROM users`,
    read: [
      'SELECT parent::text AS v FROM users ORDER BY age, name',
      'SELECT parent_id::text AS v FROM users ORDER BY age, name',
    ],
  },
  'rename a column': {
    v2: usersModule(
      'users',
      `name: text('full_name').notNull().default('anon'), age: integer('age').default(0)`,
      `index('users_name_idx').on(t.name), index('users_age_idx').on(t.age), check('users_name_check', sql\`length(\${t.name}) > 0\`)`,
    ),
    flags: ['--rename', 'users.name:full_name'],
    oldWrite: `INSERT INTO users (name, age) VALUES ('old-client', 1)`,
    newWrite: `INSERT INTO users (full_name, age) VALUES ('new-client', 2)`,
    read: [
      'SELECT name AS v FROM users ORDER BY age, name',
      'SELECT full_name AS v FROM users ORDER BY age, full_name',
    ],
  },
  'rename a table': {
    v2: usersModule(
      'members',
      `name: text('name').notNull().default('anon'), age: integer('age').default(0)`,
      `index('users_name_idx').on(t.name), index('users_age_idx').on(t.age), check('users_name_check', sql\`length(\${t.name}) > 0\`)`,
    ),
    flags: ['--rename', 'users:members'],
    oldWrite: `INSERT INTO users (name, age) VALUES ('old-client', 1)`,
    newWrite: `INSERT INTO members (name, age) VALUES ('new-client', 2)`,
    read: [
      'SELECT name AS v FROM users ORDER BY age, name',
      'SELECT name AS v FROM members ORDER BY age, name',
    ],
  },
  'change a column type': {
    v2: usersModule(
      'users',
      `name: text('name').notNull().default('anon'), age: bigint('age', { mode: 'number' }).default(0)`,
      `index('users_name_idx').on(t.name), index('users_age_idx').on(t.age), check('users_name_check', sql\`length(\${t.name}) > 0\`)`,
    ),
    flags: [],
    oldWrite: `INSERT INTO users (name, age) VALUES ('old-client', 1)`,
    newWrite: `INSERT INTO users (name, age) VALUES ('new-client', 2)`,
    read: [
      'SELECT age::text AS v FROM users ORDER BY age, name',
      'SELECT age_jam_new::text AS v FROM users ORDER BY age, name',
    ],
  },
  'add a NOT NULL column with a volatile default': {
    v2: usersModule(
      'users',
      `name: text('name').notNull().default('anon'), age: integer('age').default(0), token: uuid('token').notNull().defaultRandom()`,
      `index('users_name_idx').on(t.name), index('users_age_idx').on(t.age), check('users_name_check', sql\`length(\${t.name}) > 0\`)`,
    ),
    flags: [],
    oldWrite: `INSERT INTO users (name, age) VALUES ('old-client', 1)`,
    newWrite: `INSERT INTO users (name, age, token) VALUES ('new-client', 2, gen_random_uuid())`,
    read: [
      'SELECT name AS v FROM users ORDER BY age, name',
      'SELECT (token IS NOT NULL)::text AS v FROM users ORDER BY age, name',
    ],
  },
} as const;

async function schemaFacts(target: Target) {
  const session = await openSession(target);
  try {
    return await readSchemaFacts(session);
  } finally {
    await session.close();
  }
}

describeServer('expand / contract on PostgreSQL', () => {
  const cleanup: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0)) await step();
  });

  /** A migrations folder with v1 then v2 generated into it (phased unless --plain). */
  async function folder(v2: string, flags: readonly string[]) {
    const dir = workDir('expand-');
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(join(dir, 'v1.mjs'), v1);
    writeFileSync(join(dir, 'v2.mjs'), v2);
    // Outside the repository, so that generate writes no changeset stub into it.
    const migrations = mkdtempSync(join(tmpdir(), 'jam-expand-'));
    cleanup.push(() => rmSync(migrations, { recursive: true, force: true }));
    const generate = (schema: string, ...more: string[]) =>
      runCli(['generate', '--migrations', migrations, '--schema', join(dir, schema), ...more]);
    expect((await generate('v1.mjs', '--name', 'init')).code).toBe(0);
    const second = await generate('v2.mjs', '--name', 'change', ...flags);
    expect(second.stderr).toBe('');
    expect(second.code).toBe(0);
    return { migrations, output: second.stdout };
  }

  async function database(): Promise<ScratchDatabase> {
    const db = await createScratchDatabase('postgres');
    cleanup.push(() => db.drop());
    return db;
  }

  for (const [name, change] of Object.entries(cases)) {
    it(
      `${name}: old and new clients both work during the expand, and the final schema is the plain one's`,
      async () => {
        const plain = await folder(change.v2, [...change.flags, '--plain']);
        const phased = await folder(change.v2, change.flags);
        expect(phased.output).toMatch(/Expand\/contract form: /);
        const [plainDb, phasedDb] = await Promise.all([database(), database()]);
        expect(
          (await runCli(['migrate', '--contract', '--migrations', plain.migrations], plainDb.env))
            .code,
        ).toBe(0);

        expect(
          (
            await runCli(
              ['migrate', '--to', '0000_init', '--migrations', phased.migrations],
              phasedDb.env,
            )
          ).code,
        ).toBe(0);
        await phasedDb.sql(
          `INSERT INTO users (name, age, code) SELECT 'row ' || i, i + 10, 'c' || i FROM generate_series(1, 2500) i`,
        );
        const expand = await runCli(['migrate', '--migrations', phased.migrations], phasedDb.env);
        expect(expand.stderr).toBe('');
        if (name !== 'rename a table') expect(expand.stdout).toMatch(/backfilled 2.?500 rows/);
        const splits = change.flags.length > 0 || name === 'change a column type';
        if (splits)
          expect(expand.stdout).toMatch(
            /Held back 0002_change_contract \(contract of 0001_change_expand\)/,
          );

        await phasedDb.sql(change.oldWrite);
        await phasedDb.sql(change.newWrite);
        const [viaOld, viaNew] = await Promise.all(
          change.read.map((q) => phasedDb.sql<{ v: string }>(q)),
        );
        expect(viaOld).toHaveLength(2502);
        expect(viaNew).toHaveLength(2502);
        if (name !== 'add a NOT NULL column with a volatile default')
          expect(viaNew).toEqual(viaOld);
        else expect(viaNew!.every((r) => r.v === 'true')).toBe(true);

        if (splits) {
          const contract = await runCli(
            ['migrate', '--contract', '--migrations', phased.migrations],
            phasedDb.env,
          );
          expect(contract.stderr).toBe('');
          expect(contract.stdout).toMatch(/ran {6}0002_change_contract/);
        }
        expect(
          diffSchemaFacts(await schemaFacts(plainDb.target), await schemaFacts(phasedDb.target)),
        ).toEqual([]);
        const table = name === 'rename a table' ? 'members' : 'users';
        const [count] = await phasedDb.sql<{ rows: string }>(
          `SELECT count(*)::text AS rows FROM ${table}`,
        );
        expect(count?.rows).toBe('2502');
        expect(await phasedDb.sql('SELECT indexrelid FROM pg_index WHERE NOT indisvalid')).toEqual(
          [],
        );
        expect(
          readFileSync(
            join(phased.migrations, `0001_change${splits ? '_expand' : ''}.sql`),
            'utf8',
          ),
        ).toMatch(/^-- jam-db:/);
      },
      workBudget({ cliRuns: 7 }),
    );
  }
});
