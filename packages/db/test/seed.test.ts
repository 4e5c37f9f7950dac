import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import {
  createScratchDatabase,
  type EngineName,
  enginesUnderTest,
  type ScratchDatabase,
  serverUrl,
  useNeonProxy,
  useScratchDatabase,
} from './support/databases.js';

const tables = [
  'users',
  'api_tokens',
  'programs',
  'quests',
  'user_quests',
  'projects',
  'mentorships',
];

interface SeedDocument {
  scale: number;
  emptied: Record<string, number> | null;
  inserted: Record<string, number>;
  planned: Record<string, number>;
  tokens: { email: string; role: string; token: string }[];
}

async function seedJson(db: ScratchDatabase, ...args: string[]): Promise<SeedDocument> {
  const result = await runCli(['seed', '--json', ...args], db.env);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as SeedDocument;
}

async function rowCounts(db: ScratchDatabase): Promise<Record<string, number>> {
  const rows = await db.sql<{ table: string; rows: number }>(
    tables
      .map((t) => `select '${t}' as "table", count(*)::int as "rows" from ${t}`)
      .join(' union all '),
  );
  return Object.fromEntries(tables.map((t) => [t, rows.find((r) => r.table === t)!.rows]));
}

/** A digest of every row of every table, in id order, in one query: equal digests, equal data. */
async function contentDigest(
  db: ScratchDatabase,
  onlyTables = tables,
): Promise<Record<string, string>> {
  const rows = await db.sql<{ table: string; digest: string }>(
    onlyTables
      .map(
        (t) =>
          `select '${t}' as "table", md5(coalesce(string_agg(t::text, E'\\n' order by t.id), '')) as digest from ${t} t`,
      )
      .join(' union all '),
  );
  return Object.fromEntries(rows.map((r) => [r.table, r.digest]));
}

describe.each(enginesUnderTest)('jam-db seed on %s', (engine: EngineName) => {
  if (engine === 'neon') useNeonProxy();
  // One migrated database for both tests: opening and migrating PGlite costs seconds.
  let db: ScratchDatabase;
  beforeAll(async () => {
    db = await createScratchDatabase(engine, { migrated: true });
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('writes the data set once: a second run inserts nothing', async () => {
    const first = await seedJson(db);
    expect(first.scale).toBe(100);
    expect(first.inserted).toEqual(first.planned);
    expect(first.inserted.users).toBe(100);
    expect(await rowCounts(db)).toEqual(first.planned);

    const second = await seedJson(db);
    expect(Object.values(second.inserted).every((n) => n === 0)).toBe(true);
    expect(second.planned).toEqual(first.planned);
    expect(await rowCounts(db)).toEqual(first.planned);
  });

  it('--reset empties the tables first and says what it emptied', async () => {
    await seedJson(db, '--scale', '300');
    await db.sql(
      "insert into users (email, name) values ('someone@example.org', 'Not from the seed')",
    );
    const result = await runCli(['seed', '--reset'], db.env);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /^Emptied Jam's tables \(--reset\): users 301, api_tokens 6, programs 6, quests \d+, user_quests \d+, projects \d+, mentorships \d+\.$/m,
    );
    expect(result.stdout).toMatch(/Seeded .* at scale 100: users 100, api_tokens 6/);
    const counts = await rowCounts(db);
    expect(counts.users).toBe(100);
    expect(await db.sql("select 1 from users where email = 'someone@example.org'")).toEqual([]);
  });
});

describe('the seeded data set (PGlite)', () => {
  // Read-only tests share one seeded database: opening PGlite costs seconds.
  let db: ScratchDatabase;
  let document: SeedDocument;
  beforeAll(async () => {
    db = await createScratchDatabase('pglite', { migrated: true });
    document = await seedJson(db);
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('covers every role, category, difficulty and status', async () => {
    const distinct = async (sql: string) =>
      (await db.sql<{ value: string }>(sql)).map((r) => r.value).sort();
    expect(await distinct('select distinct role as value from users')).toEqual([
      'admin',
      'mentor',
      'organizer',
      'participant',
    ]);
    expect(await distinct('select distinct category as value from quests')).toEqual([
      'building',
      'community',
      'design',
      'learning',
      'research',
    ]);
    expect(await distinct('select distinct difficulty as value from quests')).toEqual([
      'advanced',
      'beginner',
      'intermediate',
    ]);
    expect(await distinct('select distinct status as value from user_quests')).toEqual([
      'completed',
      'in_progress',
      'not_started',
      'rejected',
      'submitted',
    ]);
    expect(await distinct('select distinct status as value from mentorships')).toEqual([
      'active',
      'cancelled',
      'completed',
      'paused',
    ]);
  });

  it('fills the realistic details: tracks, deadlines, links, submissions, notes and ratings', async () => {
    const [facts] = await db.sql<Record<string, number>>(`select
      (select count(*)::int from programs where tracks is null or application_url is null or submission_deadline is null) as programs_missing_details,
      (select count(*)::int from quests where available_from is null or due_date is null) as quests_without_window,
      (select count(*)::int from user_quests where status in ('submitted', 'completed') and (submission_text is null or cardinality(submission_urls) = 0)) as submissions_without_content,
      (select count(*)::int from user_quests where status = 'completed' and completed_at is null) as completed_without_date,
      (select count(*)::int from projects where repository_url is not null and video_url is not null and production_url is not null) as projects_with_links,
      (select count(*)::int from mentorships where mentor_rating is not null and participant_rating is not null) as rated_both_ways,
      (select count(*)::int from mentorships m, jsonb_array_elements(m.session_notes) note
         where note ?& array['date', 'topic', 'notes', 'actionItems']) as complete_session_notes,
      (select count(*)::int from mentorships m join users u on u.id = m.mentor_id where u.role <> 'mentor') as mentorships_without_mentor`);
    expect(facts).toMatchObject({
      programs_missing_details: 0,
      quests_without_window: 0,
      submissions_without_content: 0,
      completed_without_date: 0,
      mentorships_without_mentor: 0,
    });
    expect(facts!.projects_with_links).toBeGreaterThan(0);
    expect(facts!.rated_both_ways).toBeGreaterThan(0);
    expect(facts!.complete_session_notes).toBeGreaterThan(0);
  });

  it('prints a token for every demo user and stores only its SHA-256 hash', async () => {
    expect(document.tokens.map((t) => t.email)).toEqual([
      'ada@demo.jam.dev',
      'grace@demo.jam.dev',
      'katherine@demo.jam.dev',
      'linus@demo.jam.dev',
      'margaret@demo.jam.dev',
      'alan@demo.jam.dev',
    ]);
    const stored = await db.sql<{ email: string; token_hash: string; row: string }>(
      'select u.email, t.token_hash, t::text as row from api_tokens t join users u on u.id = t.user_id',
    );
    for (const { email, token } of document.tokens) {
      const row = stored.find((s) => s.email === email)!;
      expect(row.token_hash).toBe(createHash('sha256').update(token).digest('hex'));
      expect(row.row).not.toContain(token);
    }
  });

  it('gives another fresh database the very same rows (PostgreSQL when available)', async () => {
    const other = await createScratchDatabase(serverUrl ? 'postgres' : 'pglite', {
      migrated: true,
    });
    try {
      await seedJson(other);
      expect(await contentDigest(other)).toEqual(await contentDigest(db));
    } finally {
      await other.drop();
    }
  });

  // Last: it grows the shared database.
  it('grows to n users and proportional rows with --scale, keeping every row it had', async () => {
    const firstHundred = `select md5(string_agg(t::text, E'\\n' order by t.id)) as digest from (
        select u::text as t, u.id from users u where u.id in (select id from users order by id limit 100)
        union all
        select q::text, q.id from user_quests q where q.user_id in (select id from users order by id limit 100)
      ) t`;
    const [before] = await db.sql<{ digest: string }>(firstHundred);
    const { planned, inserted } = await seedJson(db, '--scale', '2000');
    expect(planned.users).toBe(2000);
    expect(inserted.users).toBe(1900);
    expect(planned.programs).toBe(23);
    expect(planned.quests).toBeGreaterThan(8 * 20);
    expect(planned.user_quests).toBeGreaterThan(1.5 * 2000);
    expect(planned.projects).toBeGreaterThan(0.1 * 2000);
    expect(planned.mentorships).toBeGreaterThan(0.1 * 2000);
    expect(await rowCounts(db)).toEqual(planned);
    expect(await db.sql<{ digest: string }>(firstHundred)).toEqual([before]);
  });
});

describe('jam-db seed usage', () => {
  it.each([['5'], ['0'], ['many']])('refuses --scale %s with exit 2', async (value) => {
    const result = await runCli(['seed', '--scale', value], { DATABASE_URL: 'pglite:memory' });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--scale takes a whole number of at least 6/);
  });
});

describe('jam-db seed failures', () => {
  describe('on an empty database', () => {
    const db = useScratchDatabase('pglite');
    it('tells the user to migrate first', async () => {
      const result = await runCli(['seed'], db.env);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/not fully migrated[\s\S]*Run `pnpm db:migrate` first/);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    });
  });

  describe('on a migrated database', () => {
    const db = useScratchDatabase('pglite', { migrated: true });
    it('explains a clash with rows the seed did not write, and writes nothing', async () => {
      await db.sql(
        "insert into users (email, name, role) values ('ada@demo.jam.dev', 'Ada', 'admin')",
      );
      const result = await runCli(['seed'], db.env);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/exist under other ids[\s\S]*pnpm db:seed --reset/);
      expect((await rowCounts(db)).users).toBe(1);
    });
  });
});
