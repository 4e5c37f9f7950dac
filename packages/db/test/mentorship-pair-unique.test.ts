import { workBudget } from '@jam/testing/work-budget';
import { describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { type EngineName, enginesUnderTest, useScratchDatabase } from './support/databases.js';

const user = (n: number) => `10000000-0000-4000-8000-00000000000${n}`;
const mentorship = (n: number) => `60000000-0000-4000-8000-0000000000${String(n).padStart(2, '0')}`;
const [mentor, otherMentor, participant] = [user(1), user(2), user(3)];

const users = `
  INSERT INTO users (id, email, name, role) VALUES
    ('${mentor}', 'm1@example.com', 'Mentor One', 'mentor'),
    ('${otherMentor}', 'm2@example.com', 'Mentor Two', 'mentor'),
    ('${participant}', 'p@example.com', 'Parti', 'participant');
`;

/** A mentorship row as the duplicate-pairing bug left them. */
const row = (
  n: number,
  mentorId: string,
  options: { status?: string; notes?: string; rating?: number; createdAt?: string } = {},
) =>
  `('${mentorship(n)}', '${mentorId}', '${participant}', '${options.status ?? 'active'}', ` +
  `${options.notes ? `'${options.notes}'::jsonb` : 'NULL'}, ${options.rating ?? 'NULL'}, ` +
  `'${options.createdAt ?? '2025-01-01 10:00'}')`;

const insertMentorships = (rows: string[]) =>
  `INSERT INTO mentorships (id, mentor_id, participant_id, status, session_notes, mentor_rating, created_at) VALUES ${rows.join(', ')};`;

const note = '[{"date":"2025-01-02","topic":"Kick-off","notes":"Met.","actionItems":[]}]';

// The Neon driver runs the same SQL as node-postgres; PGlite and PostgreSQL cover the migration.
const engines = enginesUnderTest.filter((engine) => engine !== 'neon');

/** Each test runs the CLI twice and opens its database for assertions twice. */
const budget = { timeout: workBudget({ cliRuns: 2, pgliteOpens: 2 }) };

describe.each(engines)('0003_mentorship_pair_unique on %s', (engine: EngineName) => {
  const db = useScratchDatabase(engine);

  const migrateTo = async (tag: string) => {
    const result = await runCli(['migrate', '--to', tag], db.env);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  };

  it(
    'removes empty copies of a pairing, keeping the one with data or else the oldest',
    budget,
    async () => {
      await migrateTo('0002_api-tokens');
      await db.sql(
        users +
          insertMentorships([
            // Three empty copies: the oldest stays.
            row(1, mentor, { createdAt: '2025-01-01 10:00:03' }),
            row(2, mentor, { createdAt: '2025-01-01 10:00:01' }),
            row(3, mentor, { createdAt: '2025-01-01 10:00:02' }),
            // An empty copy beside an older one holding a note: the note's row stays.
            row(4, otherMentor, { notes: note, createdAt: '2025-01-01 10:00:05' }),
            row(5, otherMentor, { notes: '[]', createdAt: '2025-01-01 10:00:04' }),
          ]),
      );

      const result = await runCli(['migrate'], db.env);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);

      const kept = await db.sql<{ id: string }>('SELECT id FROM mentorships ORDER BY id');
      expect(kept.map((r) => r.id)).toEqual([mentorship(2), mentorship(4)]);
    },
  );

  it(
    'refuses duplicates that hold data, changing nothing and saying how to find them',
    budget,
    async () => {
      await migrateTo('0002_api-tokens');
      await db.sql(
        users +
          insertMentorships([
            row(1, mentor, { notes: note }),
            row(2, mentor, { rating: 4, createdAt: '2025-01-01 11:00' }),
            // A cancelled copy beside an active one: its status says something, so it stays too.
            row(3, otherMentor),
            row(4, otherMentor, { status: 'cancelled' }),
          ]),
      );

      const result = await runCli(['migrate'], db.env);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/0003_mentorship_pair_unique/);
      expect(result.stderr).toMatch(/2 mentor\/participant pair\(s\) have several mentorships/);
      expect(result.stderr).toMatch(/GROUP BY 1, 2 HAVING count\(\*\) > 1/);

      const rows = await db.sql('SELECT id FROM mentorships');
      expect(rows).toHaveLength(4);
      const index = await db.sql(
        `SELECT 1 FROM pg_indexes WHERE indexname = 'mentorships_pair_unique'`,
      );
      expect(index).toEqual([]);
    },
  );
});

describe.each(engines)('0003_mentorship_pair_unique, applied, on %s', (engine: EngineName) => {
  const db = useScratchDatabase(engine, { migrated: true });

  it('lets a pair have one mentorship only', async () => {
    await db.sql(users + insertMentorships([row(1, mentor)]));
    await expect(
      db.sql(insertMentorships([row(2, mentor, { status: 'completed' })])),
    ).rejects.toThrow(/mentorships_pair_unique/);
  });
});
