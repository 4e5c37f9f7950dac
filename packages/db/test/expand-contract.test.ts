import { describe, expect, it } from 'vitest';
import type { Snapshot, SnapshotTable } from '../src/drizzle-kit/snapshots.js';
import { emptySnapshot } from '../src/drizzle-kit/snapshots.js';
import { replaceColumn } from '../src/expand-contract/column-copies.js';
import {
  contractHeader,
  expandHeader,
  phaseMigration,
} from '../src/expand-contract/phase-migration.js';
import { recognise } from '../src/expand-contract/recognise.js';
import { temporaryName } from '../src/expand-contract/sql-names.js';

/** The schema before: users with a NOT NULL, defaulted, indexed and checked name; posts referencing users.id. */
function before(): Snapshot {
  const snapshot = emptySnapshot();
  const column = (name: string, type: string, extra: Record<string, unknown> = {}) => ({
    name,
    type,
    primaryKey: false,
    notNull: false,
    ...extra,
  });
  snapshot.tables['public.users'] = {
    name: 'users',
    schema: '',
    columns: {
      id: column('id', 'uuid', { primaryKey: true, notNull: true }),
      name: column('name', 'text', { notNull: true, default: "'anon'" }),
      age: column('age', 'integer', { default: 0 }),
    },
    indexes: {
      users_name_idx: {
        name: 'users_name_idx',
        columns: [{ expression: 'name', isExpression: false, asc: true, nulls: 'last' }],
      },
      users_lower_name_idx: {
        name: 'users_lower_name_idx',
        columns: [{ expression: 'lower("name")', isExpression: true, asc: true, nulls: 'last' }],
      },
    },
    foreignKeys: {},
    compositePrimaryKeys: {},
    uniqueConstraints: {},
    checkConstraints: {
      users_name_check: { name: 'users_name_check', value: 'length("users"."name") > 0' },
    },
  } as unknown as SnapshotTable;
  snapshot.tables['public.posts'] = {
    name: 'posts',
    schema: '',
    columns: {
      id: column('id', 'integer', { primaryKey: true }),
      author: column('author', 'uuid'),
    },
    indexes: {},
    foreignKeys: {
      posts_author_fk: {
        name: 'posts_author_fk',
        tableFrom: 'posts',
        tableTo: 'users',
        columnsFrom: ['author'],
        columnsTo: ['id'],
        onDelete: 'cascade',
      },
    },
    compositePrimaryKeys: {},
    uniqueConstraints: {},
  } as unknown as SnapshotTable;
  return snapshot;
}

describe('recognising the statements drizzle-kit writes', () => {
  it('reads renames, type changes and volatile defaults, with a schema or without', () => {
    expect(recognise('ALTER TABLE "users" RENAME COLUMN "name" TO "full_name";')).toEqual({
      kind: 'rename-column',
      schema: 'public',
      table: 'users',
      from: 'name',
      to: 'full_name',
    });
    expect(recognise('ALTER TABLE "app"."users" RENAME TO "members";')).toEqual({
      kind: 'rename-table',
      schema: 'app',
      from: 'users',
      to: 'members',
    });
    expect(
      recognise('ALTER TABLE "t" ALTER COLUMN "c" SET DATA TYPE jsonb USING "c"::jsonb;'),
    ).toMatchObject({
      kind: 'change-column-type',
      column: 'c',
      type: 'jsonb',
      using: '"c"::jsonb',
    });
    expect(
      recognise('ALTER TABLE "t" ADD COLUMN "x" uuid DEFAULT gen_random_uuid() NOT NULL;'),
    ).toMatchObject({
      kind: 'volatile-default',
      column: 'x',
      type: 'uuid',
      default: 'gen_random_uuid()',
      notNull: true,
    });
  });

  it('leaves constant defaults and other statements alone', () => {
    expect(recognise('ALTER TABLE "t" ADD COLUMN "x" integer DEFAULT 0 NOT NULL;')).toBeNull();
    expect(recognise('ALTER TABLE "t" ADD COLUMN "x" timestamp DEFAULT now();')).toBeNull();
    expect(recognise('CREATE INDEX "i" ON "t" ("x");')).toBeNull();
  });
});

describe('the phased form of a migration', () => {
  it('renames a column through a synced copy, its index, expression index and check built online', () => {
    const phased = phaseMigration(
      ['ALTER TABLE "users" RENAME COLUMN "name" TO "full_name";'],
      before(),
    );
    const expand = phased.expand.join('\n');
    expect(phased.expand[0]).toBe('ALTER TABLE "users" ADD COLUMN "full_name" text;');
    expect(expand).toContain('BEFORE INSERT OR UPDATE ON "users" FOR EACH ROW');
    expect(expand).toContain(
      '-- jam-db:backfill batch=1000 pause=10ms\nUPDATE "users" SET "full_name" = "name" WHERE "full_name" IS DISTINCT FROM "name";',
    );
    expect(expand).toContain('ALTER TABLE "users" ALTER COLUMN "full_name" SET NOT NULL;');
    expect(expand).toContain(
      'CREATE INDEX CONCURRENTLY "users_name_idx_jam_new" ON "users" USING btree ("full_name");',
    );
    expect(expand).toContain(
      'CREATE INDEX CONCURRENTLY "users_lower_name_idx_jam_new" ON "users" USING btree ((lower("full_name")));',
    );
    expect(expand).toContain(
      'ADD CONSTRAINT "users_name_check_jam_new" CHECK (length("users"."full_name") > 0) NOT VALID;',
    );
    expect(phased.contract).toEqual([
      'DROP TRIGGER "users_full_name_jam_sync" ON "users";',
      'DROP FUNCTION "users_full_name_jam_sync"();',
      'ALTER TABLE "users" DROP COLUMN "name";',
      `ALTER TABLE "users" ALTER COLUMN "full_name" SET DEFAULT 'anon';`,
      'ALTER INDEX "users_name_idx_jam_new" RENAME TO "users_name_idx";',
      'ALTER INDEX "users_lower_name_idx_jam_new" RENAME TO "users_lower_name_idx";',
      'ALTER TABLE "users" RENAME CONSTRAINT "users_name_check_jam_new" TO "users_name_check";',
    ]);
    expect(expandHeader(phased)).toEqual(['-- jam-db:phase expand', '-- jam-db:no-transaction']);
    expect(contractHeader(phased, '0004_x_expand')[0]).toBe(
      '-- jam-db:phase contract 0004_x_expand',
    );
  });

  it('copies a foreign key NOT VALID and validates it', () => {
    const phased = phaseMigration(
      ['ALTER TABLE "posts" RENAME COLUMN "author" TO "author_id";'],
      before(),
    );
    expect(phased.expand).toContain(
      'ALTER TABLE "posts" ADD CONSTRAINT "posts_author_fk_jam_new" FOREIGN KEY ("author_id") REFERENCES "users"("id") ON DELETE CASCADE NOT VALID;',
    );
    expect(phased.contract).toContain(
      'ALTER TABLE "posts" RENAME CONSTRAINT "posts_author_fk_jam_new" TO "posts_author_fk";',
    );
  });

  it('makes no copy of a constraint the same migration drops (drizzle-kit renames a foreign key so)', () => {
    const phased = phaseMigration(
      [
        'ALTER TABLE "posts" RENAME COLUMN "author" TO "author_id";',
        'ALTER TABLE "posts" DROP CONSTRAINT "posts_author_fk";',
        'ALTER TABLE "posts" ADD CONSTRAINT "posts_author_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id");',
      ],
      before(),
    );
    expect(phased.expand.join('\n')).not.toContain('_jam_new');
    expect(phased.contract.join('\n')).not.toContain('RENAME CONSTRAINT');
  });

  it('keeps the plain rename of a key column that a foreign key references, and says why', () => {
    const phased = phaseMigration(
      ['ALTER TABLE "users" RENAME COLUMN "id" TO "user_id";'],
      before(),
    );
    expect(phased.expand).toEqual(['ALTER TABLE "users" RENAME COLUMN "id" TO "user_id";']);
    expect(phased.contract).toEqual([]);
    expect(phased.kept[0]?.reason).toMatch(/part of the primary key/);
  });

  it('keeps the plain form where the table has no single-column key for the backfill', () => {
    const snapshot = before();
    snapshot.tables['public.posts']!.columns.id!.primaryKey = false;
    const phased = phaseMigration(
      ['ALTER TABLE "posts" ADD COLUMN "token" uuid DEFAULT gen_random_uuid();'],
      snapshot,
    );
    expect(phased.phased).toEqual([]);
    expect(phased.kept[0]?.reason).toBe(
      '"posts" has no single-column primary key, which the batched backfill follows',
    );
  });

  it('renames a table behind an updatable view, and drops the view in the contract', () => {
    const phased = phaseMigration(['ALTER TABLE "users" RENAME TO "members";'], before());
    expect(phased.expand).toEqual([
      'ALTER TABLE "users" RENAME TO "members";',
      'CREATE VIEW "users" AS SELECT * FROM "members";',
    ]);
    expect(phased.contract).toEqual(['DROP VIEW "users";']);
    expect(expandHeader(phased)[2]).toMatch(/^-- jam-db:allow rename-table /);
  });

  it('changes a type through a shadow column filled with the USING expression', () => {
    const phased = phaseMigration(
      ['ALTER TABLE "users" ALTER COLUMN "age" SET DATA TYPE bigint USING "age"::bigint;'],
      before(),
    );
    const expand = phased.expand.join('\n');
    expect(expand).toContain('ALTER TABLE "users" ADD COLUMN "age_jam_new" bigint;');
    expect(expand).toContain('NEW."age_jam_new" := NEW."age"::bigint;');
    expect(expand).toContain(
      'UPDATE "users" SET "age_jam_new" = "age"::bigint WHERE "age_jam_new" IS NULL AND "age" IS NOT NULL;',
    );
    expect(phased.contract).toEqual([
      'DROP TRIGGER "users_age_jam_new_jam_sync" ON "users";',
      'DROP FUNCTION "users_age_jam_new_jam_sync"();',
      'ALTER TABLE "users" DROP COLUMN "age";',
      'ALTER TABLE "users" RENAME COLUMN "age_jam_new" TO "age";',
      'ALTER TABLE "users" ALTER COLUMN "age" SET DEFAULT 0;',
    ]);
    expect(contractHeader(phased, '0004_x_expand')).toEqual([
      '-- jam-db:phase contract 0004_x_expand',
      expect.stringMatching(/^-- jam-db:allow drop-column /),
      expect.stringMatching(/^-- jam-db:allow rename-column /),
    ]);
  });

  it('adds a volatile default in one migration: nullable, default, backfill, NOT NULL through a check', () => {
    const phased = phaseMigration(
      [
        'ALTER TABLE "users" ADD COLUMN "token" uuid DEFAULT gen_random_uuid() NOT NULL;',
        'CREATE INDEX "x" ON "posts" ("id");',
      ],
      before(),
    );
    expect(phased.contract).toEqual([]);
    expect(phased.expand.slice(0, 3)).toEqual([
      'ALTER TABLE "users" ADD COLUMN "token" uuid;',
      'ALTER TABLE "users" ALTER COLUMN "token" SET DEFAULT gen_random_uuid();',
      '-- jam-db:backfill batch=1000 pause=10ms\nUPDATE "users" SET "token" = gen_random_uuid() WHERE "token" IS NULL;',
    ]);
    expect(phased.expand.at(-1)).toBe('CREATE INDEX "x" ON "posts" ("id");');
    expect(expandHeader(phased)).toEqual(['-- jam-db:no-transaction']);
  });

  it('follows a table renamed earlier in the same migration', () => {
    const phased = phaseMigration(
      [
        'ALTER TABLE "users" RENAME TO "members";',
        'ALTER TABLE "members" RENAME COLUMN "age" TO "years";',
      ],
      before(),
    );
    expect(phased.kept).toEqual([]);
    expect(phased.contract[0]).toBe('DROP VIEW "users";');
    expect(phased.contract).toContain('ALTER TABLE "members" DROP COLUMN "age";');
  });
});

describe('names and expressions', () => {
  it('cuts a temporary name to 63 bytes and keeps its suffix', () => {
    const name = temporaryName('x'.repeat(70));
    expect(Buffer.byteLength(name)).toBe(63);
    expect(name.endsWith('_jam_new')).toBe(true);
  });

  it('replaces quoted and bare references to a column only', () => {
    expect(replaceColumn('"t"."a" > a_b AND a < 3', 'a', '"b"')).toBe('"t"."b" > a_b AND "b" < 3');
  });
});
