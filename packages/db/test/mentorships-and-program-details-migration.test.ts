import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import {
  createScratchDatabase,
  type EngineName,
  enginesUnderTest,
  type ScratchDatabase,
  useNeonProxy,
  usePreparedDatabase,
  useScratchDatabase,
} from './support/databases.js';

/** What JAM-001 promises, column by column: [table, column, type, default, nullable]. */
const jam001Columns: [string, string, string, string | null, 'YES' | 'NO'][] = [
  ['mentorships', 'id', 'uuid', 'gen_random_uuid()', 'NO'],
  ['mentorships', 'mentor_id', 'uuid', null, 'NO'],
  ['mentorships', 'participant_id', 'uuid', null, 'NO'],
  ['mentorships', 'status', 'text', "'active'::text", 'NO'],
  ['mentorships', 'session_notes', 'jsonb', null, 'YES'],
  ['mentorships', 'mentor_rating', 'integer', null, 'YES'],
  ['mentorships', 'participant_rating', 'integer', null, 'YES'],
  ['mentorships', 'created_at', 'timestamp without time zone', 'now()', 'NO'],
  ['mentorships', 'updated_at', 'timestamp without time zone', 'now()', 'NO'],
  ['programs', 'organizer', 'text', null, 'YES'],
  ['programs', 'application_url', 'text', null, 'YES'],
  ['programs', 'submission_deadline', 'timestamp without time zone', null, 'YES'],
  ['programs', 'tracks', 'ARRAY', null, 'YES'],
  ['projects', 'repository_url', 'text', null, 'YES'],
  ['projects', 'video_url', 'text', null, 'YES'],
  ['projects', 'production_url', 'text', null, 'YES'],
  ['projects', 'website', 'text', null, 'YES'],
  ['quests', 'available_from', 'timestamp without time zone', null, 'YES'],
  ['quests', 'due_date', 'timestamp without time zone', null, 'YES'],
  ['quests', 'category', 'text', null, 'YES'],
  ['quests', 'difficulty', 'text', null, 'YES'],
  ['user_quests', 'submission_text', 'text', null, 'YES'],
  ['user_quests', 'submission_urls', 'ARRAY', null, 'YES'],
];

const baselineRows = `
  INSERT INTO users (id, email, name, role, created_at, updated_at) VALUES
    ('10000000-0000-4000-8000-000000000001', 'org@example.com', 'Org', 'organizer', '2025-01-01 10:00', '2025-01-02 10:00'),
    ('10000000-0000-4000-8000-000000000002', 'mentor@example.com', 'Men Tor', 'mentor', '2025-01-01 11:00', '2025-01-01 11:00'),
    ('10000000-0000-4000-8000-000000000003', 'p@example.com', 'Parti', 'participant', '2025-01-01 12:00', '2025-01-03 12:00');
  INSERT INTO programs (id, slug, name, description, starts_at, ends_at, status) VALUES
    ('20000000-0000-4000-8000-000000000001', 'spring-25', 'Spring 25', 'A program', '2025-03-01', '2025-04-01', 'active');
  INSERT INTO quests (id, program_id, title, description, points) VALUES
    ('30000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000001', 'First quest', 'Do it', 10);
  INSERT INTO projects (id, program_id, owner_id, name, description) VALUES
    ('40000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000001', '10000000-0000-4000-8000-000000000003', 'Proj', 'Desc');
  INSERT INTO user_quests (id, user_id, quest_id, status, completed_at) VALUES
    ('50000000-0000-4000-8000-000000000001', '10000000-0000-4000-8000-000000000003', '30000000-0000-4000-8000-000000000001', 'completed', '2025-03-05 09:30');
`;

const baselineTables = ['users', 'programs', 'quests', 'projects', 'user_quests'];

async function snapshotRows(db: ScratchDatabase, columnsOf?: Record<string, string[]>) {
  const snapshot: Record<string, Record<string, unknown>[]> = {};
  for (const table of baselineTables) {
    const columns = columnsOf?.[table]?.map((c) => `"${c}"`).join(', ') ?? '*';
    snapshot[table] = await db.sql(`SELECT ${columns} FROM ${table} ORDER BY id`);
  }
  return snapshot;
}

describe.each(enginesUnderTest)('JAM-001 on %s', (engine: EngineName) => {
  if (engine === 'neon') useNeonProxy();

  describe('once migrated', () => {
    // Read-only tests share one migrated database (on PGlite the run's migrated template).
    let db: ScratchDatabase;
    beforeAll(async () => {
      db = await createScratchDatabase(engine, { migrated: true });
    });
    afterAll(async () => {
      await db?.drop();
    });

    it('adds every JAM-001 column with its type, default and nullability', async () => {
      const rows = await db.sql<{
        table_name: string;
        column_name: string;
        data_type: string;
        column_default: string | null;
        is_nullable: string;
      }>(
        `SELECT table_name, column_name, data_type, column_default, is_nullable
         FROM information_schema.columns WHERE table_schema = 'public'`,
      );
      for (const [table, column, type, fallback, nullable] of jam001Columns) {
        const found = rows.find((r) => r.table_name === table && r.column_name === column);
        expect(found, `${table}.${column}`).toEqual({
          table_name: table,
          column_name: column,
          data_type: type,
          column_default: fallback,
          is_nullable: nullable,
        });
      }
      const arrays = await db.sql<{ udt_name: string }>(
        `SELECT udt_name FROM information_schema.columns WHERE table_schema = 'public' AND data_type = 'ARRAY'`,
      );
      expect(arrays.map((a) => a.udt_name)).toEqual(['_text', '_text']);
    });

    it('creates both mentorship foreign keys, and every foreign key has an index', async () => {
      const fks = await db.sql<{ conname: string; target: string }>(
        `SELECT conname, confrelid::regclass::text AS target FROM pg_constraint
        WHERE conrelid = 'mentorships'::regclass AND contype = 'f' ORDER BY conname`,
      );
      expect(fks).toEqual([
        { conname: 'mentorships_mentor_id_users_id_fk', target: 'users' },
        { conname: 'mentorships_participant_id_users_id_fk', target: 'users' },
      ]);
      const unindexed = await db.sql<{ fk: string }>(
        `SELECT c.conname AS fk FROM pg_constraint c
        WHERE c.contype = 'f' AND c.connamespace = 'public'::regnamespace
          AND NOT EXISTS (SELECT 1 FROM pg_index i
                           WHERE i.indrelid = c.conrelid AND i.indkey[0] = c.conkey[1])`,
      );
      expect(unindexed).toEqual([]);
      const indexes = await db.sql<{ indexname: string }>(
        `SELECT indexname FROM pg_indexes WHERE tablename = 'mentorships' ORDER BY indexname`,
      );
      expect(indexes.map((i) => i.indexname)).toEqual([
        'mentorships_mentor_id_idx',
        // One mentorship per pair, from 0003_mentorship_pair_unique.
        'mentorships_pair_unique',
        'mentorships_participant_id_idx',
        'mentorships_pkey',
      ]);
    });
  });

  describe('on rows written before JAM-001', () => {
    const db = usePreparedDatabase(engine, async (fresh) => {
      expect((await runCli(['migrate', '--to', '0000_baseline'], fresh.env)).code).toBe(0);
      await fresh.sql(
        baselineRows
          .split(';')
          .filter((s) => s.trim())
          .join(';'),
      );
    });

    it('keeps rows written before JAM-001 identical, and enforces its rules afterwards', async () => {
      const before = await snapshotRows(db);
      const columnsOf = Object.fromEntries(
        Object.entries(before).map(([table, rows]) => [table, Object.keys(rows[0] ?? {})]),
      );
      expect((await runCli(['migrate'], db.env)).code).toBe(0);
      expect(await snapshotRows(db, columnsOf)).toEqual(before);

      const pair = `'10000000-0000-4000-8000-000000000002', '10000000-0000-4000-8000-000000000003'`;
      await expect(
        db.sql(
          `INSERT INTO mentorships (mentor_id, participant_id, mentor_rating) VALUES (${pair}, 6)`,
        ),
      ).rejects.toThrow(/mentorships_mentor_rating_check/);
      await expect(
        db.sql(
          `INSERT INTO mentorships (mentor_id, participant_id, participant_rating) VALUES (${pair}, 0)`,
        ),
      ).rejects.toThrow(/mentorships_participant_rating_check/);
      await expect(
        db.sql(
          `INSERT INTO mentorships (mentor_id, participant_id) VALUES ('10000000-0000-4000-8000-000000000002', '10000000-0000-4000-8000-000000000002')`,
        ),
      ).rejects.toThrow(/mentorships_not_self_check/);
      const [inserted] = await db.sql<{ id: string; status: string }>(
        `INSERT INTO mentorships (mentor_id, participant_id, mentor_rating, updated_at) VALUES (${pair}, 5, '2000-01-01') RETURNING id, status`,
      );
      expect(inserted?.status).toBe('active');
      const [updated] = await db.sql<{ fresh: boolean }>(
        `UPDATE mentorships SET status = 'paused' WHERE id = $1 RETURNING updated_at > '2020-01-01' AS fresh`,
        [inserted!.id],
      );
      expect(updated?.fresh).toBe(true);
    });

    it('rolls JAM-001 back only with --allow-data-loss, leaving baseline rows intact', async () => {
      const before = await snapshotRows(db);
      expect((await runCli(['migrate', '--to', '0001_jam-001'], db.env)).code).toBe(0);

      const refused = await runCli(['rollback', '--steps', '1'], db.env);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/Rolling back 0001_jam-001 loses data/);
      expect(refused.stderr).toMatch(/--allow-data-loss/);
      expect(await db.sql(`SELECT to_regclass('mentorships')::text AS t`)).toEqual([
        { t: 'mentorships' },
      ]);

      const rolled = await runCli(
        ['rollback', '--steps', '1', '--allow-data-loss', '--json'],
        db.env,
      );
      expect(rolled.code).toBe(0);
      expect(JSON.parse(rolled.stdout).rolledBack.map((r: { tag: string }) => r.tag)).toEqual([
        '0001_jam-001',
      ]);
      expect(await db.sql(`SELECT to_regclass('mentorships')::text AS t`)).toEqual([{ t: null }]);
      expect(await snapshotRows(db)).toEqual(before);

      const status = await runCli(['status', '--json'], db.env);
      expect(status.code).toBe(3);
      const document = JSON.parse(status.stdout);
      expect(document.applied.map((a: { tag: string }) => a.tag)).toEqual(['0000_baseline']);
      expect(document.pending).toEqual([
        { tag: '0001_jam-001' },
        { tag: '0002_api-tokens' },
        { tag: '0003_mentorship_pair_unique' },
      ]);
    });
  });

  describe('from an empty database', () => {
    const db = useScratchDatabase(engine);

    it('reports every migration applied and none pending in status --json', async () => {
      const before = await runCli(['status', '--json'], db.env);
      expect(before.code).toBe(3);
      expect(JSON.parse(before.stdout).pending).toEqual([
        { tag: '0000_baseline' },
        { tag: '0001_jam-001' },
        { tag: '0002_api-tokens' },
        { tag: '0003_mentorship_pair_unique' },
      ]);

      expect((await runCli(['migrate'], db.env)).code).toBe(0);
      const after = await runCli(['status', '--json'], db.env);
      expect(after.code).toBe(0);
      expect(after.stderr).toBe('');
      const document = JSON.parse(after.stdout);
      expect(document.pending).toEqual([]);
      expect(document.applied).toHaveLength(4);
      for (const applied of document.applied) {
        expect(applied).toMatchObject({
          hash: expect.stringMatching(/^[0-9a-f]{64}$/),
          appliedAt: expect.any(String),
        });
      }
      expect(document.applied.map((a: { tag: string }) => a.tag)).toEqual([
        '0000_baseline',
        '0001_jam-001',
        '0002_api-tokens',
        '0003_mentorship_pair_unique',
      ]);
    });
  });
});
