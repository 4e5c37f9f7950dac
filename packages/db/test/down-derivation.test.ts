import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { catalogDown } from '../src/down/catalog-diff.js';
import {
  type CatalogColumn,
  type CatalogState,
  emptyCatalogState,
} from '../src/down/catalog-state.js';
import {
  castOnRetype,
  deriveDown,
  findDataLoss,
  namePrimaryKey,
  orderDrops,
} from '../src/down/derive-down.js';
import { sqlOnlyEffects } from '../src/down/sql-inverses.js';
import { formatDownScript } from '../src/down/write-down.js';
import { splitStatements } from '../src/drizzle-kit/breakpoints.js';
import { readMigrationFolder } from '../src/drizzle-kit/migration-folder.js';
import { parseRename, reverseRenameStatement } from '../src/drizzle-kit/renames.js';
import { emptySnapshot, type Snapshot, snapshotsAround } from '../src/drizzle-kit/snapshots.js';
import { runCli } from './support/cli.js';
import { bp, writeMigrationsFolder } from './support/folders.js';

/** Catalog states written by hand: what the scratch database would report. */
function state(build: (s: CatalogState) => void = () => {}): CatalogState {
  const s = emptyCatalogState();
  build(s);
  return s;
}

const table = (s: CatalogState, name: string, columns: Partial<CatalogColumn>[]) => {
  s.tables.set(`public.${name}`, {
    schema: 'public',
    name,
    rowLevelSecurity: false,
    forceRowLevelSecurity: false,
    options: [],
    partitioned: false,
  });
  for (const column of columns) {
    s.columns.set(`public.${name}.${column.name}`, {
      schema: 'public',
      table: name,
      name: column.name!,
      type: 'integer',
      notNull: false,
      default: null,
      identity: '',
      generated: false,
      enumKey: null,
      ...column,
    });
  }
};

const position = (statements: string[], pattern: RegExp) => {
  const at = statements.findIndex((s) => pattern.test(s));
  expect(at, `no statement matches ${pattern}`).toBeGreaterThanOrEqual(0);
  return at;
};

describe('down statements from two catalog states', () => {
  const before = state((s) => table(s, 'teams', [{ name: 'id', notNull: true }]));

  it('drops only what the migration created: a table that existed before stays', () => {
    // CREATE TABLE IF NOT EXISTS "teams" of an existing table changes no state, so nothing is dropped.
    expect(catalogDown(before, before).statements).toEqual([]);
    const after = state((s) => {
      table(s, 'teams', [{ name: 'id', notNull: true }]);
      table(s, 'members', [{ name: 'team_id' }]);
    });
    const down = catalogDown(after, before).statements;
    expect(down).toEqual(['DROP TABLE "public"."members";']);
  });

  it('drops a foreign key before the table it points at, and an index before its column', () => {
    const after = state((s) => {
      table(s, 'teams', [
        { name: 'id', notNull: true },
        { name: 'slug', type: 'text' },
      ]);
      table(s, 'members', [{ name: 'team_id' }]);
      s.constraints.set('public.teams.teams_pkey', {
        schema: 'public',
        table: 'teams',
        name: 'teams_pkey',
        kind: 'p',
        definition: 'PRIMARY KEY (id)',
      });
      s.constraints.set('public.members.members_team_fk', {
        schema: 'public',
        table: 'members',
        name: 'members_team_fk',
        kind: 'f',
        definition: 'FOREIGN KEY (team_id) REFERENCES teams(id)',
      });
      s.indexes.set('public.teams_slug_idx', {
        schema: 'public',
        table: 'teams',
        name: 'teams_slug_idx',
        definition: 'CREATE INDEX teams_slug_idx ON public.teams USING btree (slug)',
        ofConstraint: false,
      });
      s.indexes.set('public.teams_pkey', {
        schema: 'public',
        table: 'teams',
        name: 'teams_pkey',
        definition: 'CREATE UNIQUE INDEX teams_pkey ON public.teams USING btree (id)',
        ofConstraint: true,
      });
    });
    const down = catalogDown(after, before).statements;
    expect(position(down, /DROP CONSTRAINT "members_team_fk"/)).toBeLessThan(
      position(down, /DROP TABLE "public"."members"/),
    );
    expect(position(down, /DROP CONSTRAINT "teams_pkey"/)).toBeGreaterThan(
      position(down, /DROP CONSTRAINT "members_team_fk"/),
    );
    expect(position(down, /DROP INDEX "public"."teams_slug_idx"/)).toBeLessThan(
      position(down, /DROP COLUMN "slug"/),
    );
    // The primary key's index goes with the constraint; dropping it again would fail.
    expect(down.some((s) => /DROP INDEX "public"."teams_pkey"/.test(s))).toBe(false);
  });

  it('drops an extension and a function only after what uses them', () => {
    const after = state((s) => {
      table(s, 'teams', [
        { name: 'id', notNull: true },
        { name: 'embedding', type: 'vector(3)' },
      ]);
      s.extensions.set('vector', { name: 'vector', schema: 'public', version: '0.8.0' });
      s.functions.set('public.touch()', {
        schema: 'public',
        name: 'touch',
        signature: '',
        definition: 'CREATE OR REPLACE FUNCTION public.touch() RETURNS trigger AS $$…$$',
      });
      s.triggers.set('public.teams.teams_touch', {
        schema: 'public',
        table: 'teams',
        name: 'teams_touch',
        definition: 'CREATE TRIGGER teams_touch BEFORE UPDATE ON public.teams …',
      });
    });
    const down = catalogDown(after, before).statements;
    expect(position(down, /DROP EXTENSION "vector"/)).toBeGreaterThan(
      position(down, /DROP COLUMN "embedding"/),
    );
    expect(position(down, /DROP FUNCTION "public"."touch"\(\)/)).toBeGreaterThan(
      position(down, /DROP TRIGGER "teams_touch"/),
    );
  });

  it('gives a replaced function its previous definition back instead of dropping it', () => {
    const withFunction = (body: string) =>
      state((s) =>
        s.functions.set('public.total()', {
          schema: 'public',
          name: 'total',
          signature: '',
          definition: `CREATE OR REPLACE FUNCTION public.total()\n RETURNS integer\n LANGUAGE sql\nAS $function$${body}$function$\n`,
        }),
      );
    const down = catalogDown(withFunction('select 2'), withFunction('select 1')).statements;
    expect(down.some((s) => /^DROP FUNCTION/.test(s))).toBe(false);
    expect(down.join('\n')).toMatch(/CREATE OR REPLACE FUNCTION public\.total\(\)[\s\S]*select 1/);
  });

  it('changes a type back with the default dropped first and restored after', () => {
    const column = (type: string, dflt: string) =>
      state((s) => table(s, 'teams', [{ name: 'size', type, default: dflt }]));
    const down = catalogDown(column('text', "'small'::text"), column('integer', '0')).statements;
    expect(down).toEqual([
      'ALTER TABLE "public"."teams" ALTER COLUMN "size" DROP DEFAULT;',
      'ALTER TABLE "public"."teams" ALTER COLUMN "size" SET DATA TYPE integer USING "size"::integer;',
      'ALTER TABLE "public"."teams" ALTER COLUMN "size" SET DEFAULT 0;',
    ]);
  });

  it('takes a value added to an enum out again by rebuilding the type, and says when that fails', () => {
    const withMood = (labels: string[]) =>
      state((s) => {
        s.enums.set('public.mood', { schema: 'public', name: 'mood', labels });
        table(s, 'teams', [
          { name: 'mood', type: 'mood', enumKey: 'public.mood', default: "'ok'::mood" },
        ]);
      });
    const plan = catalogDown(withMood(['ok', 'great']), withMood(['ok']));
    expect(plan.statements).toEqual([
      'ALTER TYPE "public"."mood" RENAME TO "mood_jam_down_old";',
      `CREATE TYPE "public"."mood" AS ENUM ('ok');`,
      'ALTER TABLE "public"."teams" ALTER COLUMN "mood" DROP DEFAULT;',
      'ALTER TABLE "public"."teams" ALTER COLUMN "mood" SET DATA TYPE "public"."mood" USING "mood"::text::"public"."mood";',
      `ALTER TABLE "public"."teams" ALTER COLUMN "mood" SET DEFAULT 'ok'::mood;`,
      'DROP TYPE "public"."mood_jam_down_old";',
    ]);
    expect(plan.notes.join()).toMatch(/fails while rows hold 'great'/);
    // Every row keeps its value or the script fails: no data-loss marker for that.
    expect(findDataLoss(plan.statements)).toEqual([]);
    expect(
      findDataLoss([
        'ALTER TABLE "public"."teams" ALTER COLUMN "size" SET DATA TYPE integer USING "size"::integer;',
      ]),
    ).toEqual(['changes "teams"."size" back to its earlier type']);
  });

  it('takes a view over a retyped column down first and brings it back last, with the views reading it', () => {
    const withViews = (type: string) =>
      state((s) => {
        table(s, 'teams', [{ name: 'size', type }]);
        s.views.set('public.team_sizes', {
          schema: 'public',
          name: 'team_sizes',
          definition: ' SELECT teams.size FROM teams;',
          materialized: false,
        });
        s.views.set('public.big_teams', {
          schema: 'public',
          name: 'big_teams',
          definition: ' SELECT team_sizes.size FROM team_sizes WHERE size > 9;',
          materialized: false,
        });
      });
    const down = catalogDown(withViews('bigint'), withViews('integer')).statements;
    expect(down.map((s) => s.split(' AS ')[0])).toEqual([
      'DROP VIEW "public"."big_teams";',
      'DROP VIEW "public"."team_sizes";',
      'ALTER TABLE "public"."teams" ALTER COLUMN "size" SET DATA TYPE integer USING "size"::integer;',
      'CREATE VIEW "public"."team_sizes"',
      'CREATE VIEW "public"."big_teams"',
    ]);
  });

  it('turns an identity column back into a serial one, and the other way round', () => {
    const sequence = () => ({
      schema: 'public',
      name: 'teams_id_seq',
      dataType: 'integer',
      start: '1',
      increment: '1',
      min: '1',
      max: '2147483647',
      cache: '1',
      cycle: false,
      ownedBy: 'public.teams.id',
    });
    const serial = state((s) => {
      table(s, 'teams', [
        { name: 'id', notNull: true, default: "nextval('teams_id_seq'::regclass)" },
      ]);
      s.sequences.set('public.teams_id_seq', sequence());
    });
    const identity = state((s) => {
      table(s, 'teams', [{ name: 'id', notNull: true, identity: 'a' }]);
      s.sequences.set('public.teams_id_seq', sequence());
    });
    expect(catalogDown(identity, serial).statements).toEqual([
      'ALTER TABLE "public"."teams" ALTER COLUMN "id" DROP IDENTITY;',
      'CREATE SEQUENCE "public"."teams_id_seq" AS integer INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1;',
      `ALTER TABLE "public"."teams" ALTER COLUMN "id" SET DEFAULT nextval('teams_id_seq'::regclass);`,
      'ALTER SEQUENCE "public"."teams_id_seq" OWNED BY "public"."teams"."id";',
      // Made anew, the sequence continues after the numbers the rows already hold.
      `SELECT setval('"public"."teams_id_seq"', max("id")) FROM "public"."teams" HAVING max("id") IS NOT NULL;`,
    ]);
    expect(catalogDown(serial, identity).statements).toEqual([
      'ALTER TABLE "public"."teams" ALTER COLUMN "id" DROP DEFAULT;',
      'ALTER TABLE "public"."teams" ALTER COLUMN "id" ADD GENERATED ALWAYS AS IDENTITY (SEQUENCE NAME "public"."teams_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1);',
      `SELECT setval(pg_get_serial_sequence('"public"."teams"', 'id'), max("id")) FROM "public"."teams" HAVING max("id") IS NOT NULL;`,
    ]);
  });

  it('says what it cannot take back instead of guessing', () => {
    const generated = (expression: string) =>
      state((s) => table(s, 'teams', [{ name: 'total', generated: true, default: expression }]));
    expect(catalogDown(generated('a + 1'), generated('a + 2')).unsupported).toEqual([
      'the generation expression of column public.teams.total',
    ]);
  });
});

describe('down statements read from SQL and snapshots', () => {
  it('orders drops: constraints and indexes before their column or table, functions and extensions last', () => {
    expect(
      orderDrops([
        'DROP EXTENSION IF EXISTS "vector";',
        'DROP TABLE "teams" CASCADE;',
        'ALTER TABLE "members" DROP CONSTRAINT "members_team_fk";',
        'ALTER TABLE "teams" DROP COLUMN "slug";',
        'DROP INDEX "teams_slug_idx";',
      ]),
    ).toEqual([
      'ALTER TABLE "members" DROP CONSTRAINT "members_team_fk";',
      'DROP INDEX "teams_slug_idx";',
      'DROP TABLE "teams" CASCADE;',
      'ALTER TABLE "teams" DROP COLUMN "slug";',
      'DROP EXTENSION IF EXISTS "vector";',
    ]);
  });

  it("names the primary key drizzle-kit's differ leaves as a commented placeholder", () => {
    const placeholder =
      '/* \n    Unfortunately in current drizzle-kit version we can\'t automatically get name for primary key.\n*/\n\n-- ALTER TABLE "teams" DROP CONSTRAINT "<constraint_name>";';
    expect(namePrimaryKey(placeholder)).toBe('ALTER TABLE "teams" DROP CONSTRAINT "teams_pkey";');
  });

  it('drops and restores the default around a type change', () => {
    const before = emptySnapshot();
    before.tables['public.teams'] = {
      name: 'teams',
      schema: '',
      columns: { size: { name: 'size', type: 'integer', default: 0 } },
      indexes: {},
      foreignKeys: {},
      compositePrimaryKeys: {},
      uniqueConstraints: {},
    };
    expect(
      castOnRetype('ALTER TABLE "teams" ALTER COLUMN "size" SET DATA TYPE integer;', before),
    ).toEqual([
      'ALTER TABLE "teams" ALTER COLUMN "size" DROP DEFAULT;',
      'ALTER TABLE "teams" ALTER COLUMN "size" SET DATA TYPE integer USING "size"::integer;',
      'ALTER TABLE "teams" ALTER COLUMN "size" SET DEFAULT 0;',
    ]);
  });

  it('keeps a multi-line data change in one comment line, so no SQL leaks into the script', () => {
    const { notes } = sqlOnlyEffects([
      'CREATE TABLE "fresh" ("id" int);',
      `UPDATE "teams"\nSET "size" = 1\nWHERE "size" IS NULL;`,
      `INSERT INTO "fresh" VALUES (1);`,
    ]);
    expect(notes).toEqual([
      `data changed by "UPDATE "teams" SET "size" = 1 WHERE "size" IS NULL" is not restored`,
    ]);
    const script = formatDownScript('0001_x', {
      statements: ['DROP TABLE "fresh";'],
      dataLoss: [],
      manual: [],
      notes: [...notes, 'two\nlines'],
    });
    expect(splitStatements(script)).toHaveLength(1);
    expect(script.split('\n').filter((l) => !l.startsWith('--'))).toEqual([
      'DROP TABLE "fresh";',
      '',
    ]);
  });

  it('revokes what a migration granted and drops the roles it created', () => {
    const effects = sqlOnlyEffects([
      'CREATE ROLE "reader";',
      'GRANT SELECT ON ALL TABLES IN SCHEMA public TO "reader";',
      'ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO "reader";',
    ]);
    expect(effects.first).toEqual([
      'ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE SELECT ON TABLES FROM "reader";',
      'REVOKE SELECT ON ALL TABLES IN SCHEMA public FROM "reader";',
    ]);
    expect(effects.last).toEqual(['DROP ROLE IF EXISTS "reader";']);
  });

  it('says only what is true in the header: derived, not yet proven', () => {
    const script = formatDownScript('0001_x', {
      statements: ['DROP TABLE "t";'],
      dataLoss: [],
      manual: [],
      notes: [],
    });
    expect(script).toMatch(/derived by jam-db generate-down; run jam-db verify to prove it/);
    expect(script).not.toMatch(/proven by/);
  });

  it('needs no inverse for ANALYZE, VACUUM and the like, and leaves a pre-existing table alone', async () => {
    const dir = writeMigrationsFolder([
      { tag: '0000_teams', sql: 'CREATE TABLE "teams" ("id" int)' },
      {
        tag: '0001_again',
        sql: `CREATE TABLE IF NOT EXISTS "teams" ("id" int)${bp}CREATE TABLE "members" ("id" int)${bp}ANALYZE "teams"${bp}VACUUM "members"`,
      },
    ]);
    const down = await deriveDown(readMigrationFolder(dir), 1);
    expect(down.manual).toEqual([]);
    expect(down.statements).toEqual(['DROP TABLE IF EXISTS "members";']);
  });

  it('restores the previous definition of a function the migration replaces', async () => {
    const dir = writeMigrationsFolder([
      {
        tag: '0000_total',
        sql: 'CREATE FUNCTION "total"() RETURNS int LANGUAGE sql AS $$ select 1 $$',
      },
      {
        tag: '0001_total_again',
        sql: 'CREATE OR REPLACE FUNCTION "total"() RETURNS int LANGUAGE sql AS $$ select 2 $$',
      },
    ]);
    const down = await deriveDown(readMigrationFolder(dir), 1);
    expect(down.statements).toEqual([
      'CREATE OR REPLACE FUNCTION "total"() RETURNS int LANGUAGE sql AS $$ select 1 $$;',
    ]);
  });
});

describe('renames read from the up script', () => {
  it('undoes renamed schemas, sequences and views too, so nothing is dropped and made anew', () => {
    const undo = (sql: string) => {
      const rename = parseRename(sql);
      expect(rename, sql).not.toBeNull();
      return reverseRenameStatement(rename!);
    };
    expect(undo('ALTER SCHEMA "billing" RENAME TO "payments";')).toBe(
      'ALTER SCHEMA "payments" RENAME TO "billing";',
    );
    expect(undo('ALTER SEQUENCE "shop"."order_no" RENAME TO "order_number";')).toBe(
      'ALTER SEQUENCE "shop"."order_number" RENAME TO "order_no";',
    );
    expect(undo('ALTER MATERIALIZED VIEW IF EXISTS totals RENAME TO sums')).toBe(
      'ALTER MATERIALIZED VIEW "sums" RENAME TO "totals";',
    );
  });
});

describe('snapshots of a folder', () => {
  /** A folder whose snapshots are named by drizzle-kit's timestamp prefixes, one of them missing. */
  function folderWithSnapshots(entries: { tag: string; snapshot?: Partial<Snapshot> }[]) {
    const dir = mkdtempSync(join(tmpdir(), 'jam-snapshots-'));
    mkdirSync(join(dir, 'meta'));
    writeFileSync(
      join(dir, 'meta', '_journal.json'),
      JSON.stringify({
        entries: entries.map(({ tag }, idx) => ({ idx, tag, when: idx + 1, version: '7' })),
      }),
    );
    for (const { tag, snapshot } of entries) {
      writeFileSync(join(dir, `${tag}.sql`), 'SELECT 1;');
      if (snapshot)
        writeFileSync(
          join(dir, 'meta', `${tag.split('_')[0]}_snapshot.json`),
          JSON.stringify({ ...emptySnapshot(), ...snapshot }),
        );
    }
    return readMigrationFolder(dir);
  }

  it('finds them by tag prefix and skips a missing one through the prevId chain', async () => {
    const folder = folderWithSnapshots([
      { tag: '1747760252_first', snapshot: { id: 'a', prevId: emptySnapshot().id } },
      { tag: '20241127105919_second', snapshot: { id: 'b', prevId: 'a' } },
      { tag: '20241127110211_by_hand' },
      { tag: '20241127162444_fourth', snapshot: { id: 'd', prevId: 'b' } },
    ]);
    expect((await snapshotsAround(folder, 1)).before?.id).toBe('a');
    expect((await snapshotsAround(folder, 1)).after?.id).toBe('b');
    expect((await snapshotsAround(folder, 2)).after).toBeNull();
    expect((await snapshotsAround(folder, 3)).before?.id).toBe('b');
  });

  it('falls back to the previous migration’s snapshot where the chain breaks', async () => {
    const folder = folderWithSnapshots([
      { tag: '0000_first', snapshot: { id: 'a', prevId: emptySnapshot().id } },
      { tag: '0001_merged', snapshot: { id: 'b', prevId: 'from-another-branch' } },
    ]);
    expect((await snapshotsAround(folder, 1)).before?.id).toBe('a');
  });
});

describe('generate-down without a scratch database', () => {
  it('says so, derives from snapshots and SQL alone, and never prints the password', async () => {
    const dir = writeMigrationsFolder([
      { tag: '0000_teams', sql: 'CREATE TABLE "teams" ("id" int)' },
    ]);
    const result = await runCli(['generate-down', '--migrations', dir], {
      DATABASE_URL: 'postgres://jam:s3cret-pw@127.0.0.1:1/jam',
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /No scratch database could be opened \(.*\); the down scripts are derived from snapshots and SQL alone\./,
    );
    expect(result.stdout + result.stderr).not.toMatch(/s3cret-pw/);
    expect(readFileSync(join(dir, '0000_teams.down.sql'), 'utf8')).toMatch(
      /^DROP TABLE IF EXISTS "teams";$/m,
    );
  });
});
