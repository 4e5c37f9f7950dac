import { createHash } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { workBudget } from '@jam/testing/work-budget';
import { describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { describeServer, type ScratchDatabase, useScratchDatabase } from './support/databases.js';
import {
  drizzleV0TrackingTable,
  drizzleV1TrackingTable,
  folderMillis,
  v1History,
  writeV1Folder,
} from './support/v1-folder.js';

interface DrizzleRow {
  hash: string;
  created_at: string;
  name: string | null;
  applied_at: Date | null;
}

const drizzleRows = (db: ScratchDatabase) =>
  db.sql<DrizzleRow>(
    'select hash, created_at, name, applied_at from drizzle.__drizzle_migrations order by id',
  );

const trackingColumns = (db: ScratchDatabase) =>
  db.sql<{ column_name: string; data_type: string; column_default: string | null }>(
    `select column_name, data_type, column_default from information_schema.columns
      where table_schema = 'drizzle' and table_name = '__drizzle_migrations' order by ordinal_position`,
  );

/** What drizzle-orm 1.0's migrate would apply: every folder whose name no row records. */
async function pendingForDrizzleV1(db: ScratchDatabase, dir: string): Promise<string[]> {
  const names = new Set((await drizzleRows(db)).map((row) => row.name));
  return readdirSync(dir)
    .filter((name) => existsSync(join(dir, name, 'migration.sql')) && !names.has(name))
    .sort();
}

const status = async (db: ScratchDatabase, dir: string) => {
  const result = await runCli(['status', '--json', '--migrations', dir], db.env);
  return { code: result.code, ...JSON.parse(result.stdout) };
};

const tags = v1History.map((m) => m.tag);

describeServer('drizzle-kit 1.0 layout on PostgreSQL', () => {
  const db = useScratchDatabase('postgres');

  it(
    'migrate, status, lint, generate-down, rollback and verify work on a 1.0 folder',
    async () => {
      const dir = writeV1Folder();
      const migrate = await runCli(['migrate', '--json', '--migrations', dir], db.env);
      expect(migrate.code, migrate.stderr).toBe(0);
      expect(JSON.parse(migrate.stdout).applied.map((a: { tag: string }) => a.tag)).toEqual(tags);
      const rows = await drizzleRows(db);
      expect(rows.map((r) => r.name)).toEqual(tags);
      expect(rows.map((r) => Number(r.created_at))).toEqual(tags.map(folderMillis));
      expect(rows.every((r) => r.applied_at !== null)).toBe(true);

      const upToDate = await status(db, dir);
      expect(upToDate.code).toBe(0);
      expect(upToDate.pending).toEqual([]);
      expect(upToDate.applied.map((a: { tag: string }) => a.tag)).toEqual(tags);

      const lint = await runCli(['lint', '--json', '--migrations', dir], db.env);
      expect(lint.code, lint.stderr).toBe(0);
      expect(JSON.parse(lint.stdout).migrations.map((m: { tag: string }) => m.tag)).toEqual(tags);

      const downs = await runCli(['generate-down', '--migrations', dir], db.env);
      expect(downs.code, downs.stderr).toBe(0);
      for (const tag of tags) expect(existsSync(join(dir, tag, 'down.sql'))).toBe(true);
      expect(readdirSync(dir).filter((name) => name.endsWith('.sql'))).toEqual([]);

      const rollback = await runCli(['rollback', '--allow-data-loss', '--migrations', dir], db.env);
      expect(rollback.code, rollback.stderr).toBe(0);
      expect((await drizzleRows(db)).map((r) => r.name)).toEqual(tags.slice(0, 2));
      const [title] = await db.sql(
        `select 1 from information_schema.columns where table_name = 'notes' and column_name = 'title'`,
      );
      expect(title).toBeUndefined();

      const verify = await runCli(['verify', '--migrations', dir], db.env);
      expect(verify.code, `${verify.stdout}\n${verify.stderr}`).toBe(0);
    },
    workBudget({ cliRuns: 6 }),
  );

  it(
    'continues a database that drizzle-kit 1.0 migrated, filling name and applied_at',
    async () => {
      const dir = writeV1Folder();
      // What drizzle-kit migrate 1.0 leaves after applying the first folder.
      const first = v1History[0]!;
      await db.sql(
        `${drizzleV1TrackingTable}\n${first.sql.replaceAll('--> statement-breakpoint', '')}`,
      );

      await db.sql(
        'insert into drizzle.__drizzle_migrations (hash, created_at, name) values ($1, $2, $3)',
        [createHash('sha256').update(first.sql).digest('hex'), folderMillis(first.tag), first.tag],
      );
      const [{ applied_at: drizzleAppliedAt }] = (await drizzleRows(db)) as [DrizzleRow];

      const before = await status(db, dir);
      expect(before.code).toBe(3);
      expect(before.applied).toEqual([
        expect.objectContaining({ tag: first.tag, appliedAt: drizzleAppliedAt!.toISOString() }),
      ]);
      expect(before.pending.map((p: { tag: string }) => p.tag)).toEqual(tags.slice(1));
      expect(before.unknown).toEqual([]);

      const migrate = await runCli(['migrate', '--migrations', dir], db.env);
      expect(migrate.code, migrate.stderr).toBe(0);
      const rows = await drizzleRows(db);
      expect(rows.map((r) => r.name)).toEqual(tags);
      expect(rows.every((r) => r.applied_at !== null)).toBe(true);
      expect(await pendingForDrizzleV1(db, dir)).toEqual([]);
    },
    workBudget({ cliRuns: 2 }),
  );

  it(
    'leaves a database that drizzle-kit 1.0 can continue: its table shape, names it matches',
    async () => {
      const dir = writeV1Folder();
      const migrate = await runCli(['migrate', '--to', tags[1]!, '--migrations', dir], db.env);
      expect(migrate.code, migrate.stderr).toBe(0);

      // The table jam-db made equals the one drizzle-orm 1.0 makes, column for column.
      const made = await trackingColumns(db);
      await db.sql('create schema shape_probe');
      await db.sql(
        drizzleV1TrackingTable
          .replaceAll('"drizzle"', 'shape_probe')
          .replace('CREATE SCHEMA IF NOT EXISTS shape_probe;', ''),
      );
      const drizzles = await db.sql(
        `select column_name, data_type, replace(column_default, 'shape_probe.', 'drizzle.') as column_default
           from information_schema.columns
          where table_schema = 'shape_probe' and table_name = '__drizzle_migrations' order by ordinal_position`,
      );
      expect(made).toEqual(drizzles);

      // drizzle-orm 1.0 decides what is pending by name: the same as jam-db.
      expect(await pendingForDrizzleV1(db, dir)).toEqual(tags.slice(2));
      // …and applies it as drizzle-orm 1.0 does (its insert leaves applied_at to the default).
      const last = v1History[2]!;
      await db.sql(last.sql);

      await db.sql(
        'insert into drizzle.__drizzle_migrations (hash, created_at, name) values ($1, $2, $3)',
        [createHash('sha256').update(last.sql).digest('hex'), folderMillis(last.tag), last.tag],
      );
      const after = await status(db, dir);
      expect(after.code).toBe(0);
      expect(after.applied.map((a: { tag: string }) => a.tag)).toEqual(tags);
    },
    workBudget({ cliRuns: 2 }),
  );

  it(
    "leaves a table of drizzle-kit 0.x's shape as it is, with the created_at drizzle-orm 1.0 upgrades it by",
    async () => {
      await db.sql(drizzleV0TrackingTable);
      const dir = writeV1Folder();
      const migrate = await runCli(['migrate', '--migrations', dir], db.env);
      expect(migrate.code, migrate.stderr).toBe(0);
      expect((await trackingColumns(db)).map((c) => c.column_name)).toEqual([
        'id',
        'hash',
        'created_at',
      ]);
      // drizzle-orm 1.0 adds name to such a table and fills it from the folder whose timestamp is created_at.
      const rows = await db.sql<{ created_at: string }>(
        'select created_at from drizzle.__drizzle_migrations order by id',
      );
      expect(rows.map((r) => Number(r.created_at))).toEqual(tags.map(folderMillis));
      expect((await status(db, dir)).code).toBe(0);
    },
    workBudget({ cliRuns: 2 }),
  );

  it(
    'baseline adopts a database built from a 1.0 folder, recording names',
    async () => {
      const dir = writeV1Folder();
      for (const migration of v1History.slice(0, 2))
        await db.sql(migration.sql.replaceAll('--> statement-breakpoint', ''));
      const adopted = await runCli(['baseline', '--to', tags[1]!, '--migrations', dir], db.env);
      expect(adopted.code, adopted.stderr).toBe(0);
      expect((await drizzleRows(db)).map((r) => r.name)).toEqual(tags.slice(0, 2));
      expect(await pendingForDrizzleV1(db, dir)).toEqual(tags.slice(2));
    },
    workBudget({ cliRuns: 1 }),
  );
});

describe('drizzle-kit 1.0 layout on PGlite', () => {
  const db = useScratchDatabase('pglite');

  it(
    'migrate records names, status reads them, rollback names the missing <folder>/down.sql',
    async () => {
      const dir = writeV1Folder();
      const migrate = await runCli(['migrate', '--to', tags[1]!, '--migrations', dir], db.env);
      expect(migrate.code, migrate.stderr).toBe(0);
      const current = await status(db, dir);
      expect(current.code).toBe(3);
      expect(current.applied.map((a: { tag: string }) => a.tag)).toEqual(tags.slice(0, 2));
      expect(current.pending.map((p: { tag: string }) => p.tag)).toEqual(tags.slice(2));
      const rows = await db.sql<{ name: string; applied: boolean }>(
        'select name, applied_at is not null as applied from drizzle.__drizzle_migrations order by id',
      );
      expect(rows).toEqual(tags.slice(0, 2).map((name) => ({ name, applied: true })));

      const rollback = await runCli(['rollback', '--migrations', dir], db.env);
      expect(rollback.code).toBe(1);
      expect(rollback.stderr).toContain(
        `Migration ${tags[1]} has no down script (${join(dir, tags[1]!, 'down.sql')} beside ${join(dir, tags[1]!, 'migration.sql')})`,
      );
    },
    workBudget({ cliRuns: 3, pgliteOpens: 1 }),
  );
});
