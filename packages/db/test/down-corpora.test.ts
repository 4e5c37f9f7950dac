import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { corporaPresent, corpusPrefix } from './support/corpora.js';
import { describeServer, serverUrl } from './support/databases.js';
import { writeMigrationsFolder } from './support/folders.js';

describeServer(
  'generate-down on a real drizzle-kit history, proven by verify on PostgreSQL',
  () => {
    // scorebrawl's first 12 migrations: DO blocks, an extension, a column rename whose
    // foreign key the snapshot renames but the SQL never drops, and tags whose prefix
    // switches from the index to a timestamp at the eleventh.
    it.skipIf(!corporaPresent)('derives an exact down script for every migration', async () => {
      const dir = corpusPrefix('scorebrawl', 12);
      const env = { DATABASE_URL: serverUrl! };
      const generated = await runCli(['generate-down', '--migrations', dir, '--json'], env);
      expect(generated.code).toBe(0);
      expect(JSON.parse(generated.stdout).manual).toEqual([]);

      const renamed = readFileSync(join(dir, '0007_mighty_hawkeye.down.sql'), 'utf8');
      expect(renamed).toMatch(/RENAME COLUMN "default_league_id" TO "defaultLeagueId"/);
      // Only the key the migration added goes; the one it never dropped is not added again.
      expect(renamed).not.toMatch(/ADD CONSTRAINT/);
      for (const file of readdirSync(dir).filter((f) => f.endsWith('.down.sql')))
        expect(readFileSync(join(dir, file), 'utf8')).toMatch(
          /^-- Down script of .*, derived by jam-db generate-down; run jam-db verify to prove it\.$/m,
        );

      const verified = await runCli(['verify', '--migrations', dir, '--json'], env);
      const report = JSON.parse(verified.stdout);
      expect(report.migrations.filter((m: { verdict: string }) => m.verdict !== 'exact')).toEqual(
        [],
      );
      expect(report.summary).toMatchObject({ exact: 12, manual: 0, wrong: 0 });
    });
  },
);

describeServer('generate-down when a migration fails on the scratch database', () => {
  it('derives that one and the later ones without it, and says so in their headers', async () => {
    const dir = writeMigrationsFolder([
      { tag: '0000_teams', sql: 'CREATE TABLE "teams" ("id" int)' },
      { tag: '0001_missing', sql: 'CREATE EXTENSION "jam_no_such_extension"' },
      { tag: '0002_members', sql: 'CREATE TABLE "members" ("id" int)' },
    ]);
    const generated = await runCli(['generate-down', '--migrations', dir], {
      DATABASE_URL: serverUrl!,
    });
    expect(generated.code).toBe(0);
    const header = (tag: string) => readFileSync(join(dir, `${tag}.down.sql`), 'utf8');
    expect(header('0000_teams')).not.toMatch(/not checked/);
    expect(header('0001_missing')).toMatch(
      /^-- note: not checked on a scratch database: its up script failed there \(.*jam_no_such_extension.*SQLSTATE \w+\)\)\.$/m,
    );
    expect(header('0002_members')).toMatch(
      /^-- note: not checked on a scratch database: the up script of 0001_missing failed there/m,
    );
    expect(header('0002_members')).toMatch(/^DROP TABLE IF EXISTS "members";$/m);
  });
});

describeServer('generate-down checks that up runs again after its down', () => {
  it('drops a domain its migration created, and marks manual what it cannot take back', async () => {
    const dir = writeMigrationsFolder([
      {
        tag: '0000_sizes',
        sql: 'CREATE DOMAIN "size" AS int CHECK (VALUE > 0);\n--> statement-breakpoint\nCREATE TABLE "teams" ("size" "size")',
      },
      { tag: '0001_collation', sql: `CREATE COLLATION "jam_plain" (locale = 'C')` },
    ]);
    const generated = await runCli(['generate-down', '--migrations', dir, '--json'], {
      DATABASE_URL: serverUrl!,
    });
    expect(JSON.parse(generated.stdout).manual).toEqual(['0001_collation']);
    const script = (tag: string) => readFileSync(join(dir, `${tag}.down.sql`), 'utf8');
    expect(script('0000_sizes')).toMatch(
      /DROP TABLE "public"."teams";[\s\S]*DROP DOMAIN IF EXISTS "size";/,
    );
    // Left behind, the collation would make the up script fail when it runs again.
    expect(script('0001_collation').split('\n')[1]).toMatch(
      /lets the up script fail when it runs again: .*"jam_plain" .*already exists/,
    );
  });
});
