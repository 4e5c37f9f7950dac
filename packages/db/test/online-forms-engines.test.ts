import { rmSync } from 'node:fs';
import { workBudget } from '@jam/testing/work-budget';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readMigrationFolder } from '../src/drizzle-kit/migration-folder.js';
import { openSession } from '../src/engines/open-session.js';
import type { Session } from '../src/engines/session.js';
import {
  diffSchemaFacts,
  readSchemaFacts,
  type SchemaFacts,
} from '../src/introspect/schema-facts.js';
import { Migrator, type StepResult } from '../src/migrations/migrator.js';
import { runCli } from './support/cli.js';
import {
  createScratchDatabase,
  type EngineName,
  enginesUnderTest,
  type ScratchDatabase,
  serverUrl,
  useNeonProxy,
} from './support/databases.js';
import { useMigrationsFolders, writeMigrationsFolder } from './support/folders.js';
import { onlineCases, onlineHistory } from './support/online-forms.js';

/** Enough rows that every VALIDATE and index build reads a table, few enough to stay cheap. */
const rows = 500;

interface FormRun {
  /** Schema facts after each case's migration, by tag. */
  factsAfter: Map<string, SchemaFacts>;
  /** PostgreSQL 18's NOT NULL constraints (none before 18), which schema facts do not name, by tag. */
  notNullNamesAfter: Map<string, string[]>;
  results: StepResult[];
  invalidIndexes: string[];
}

/** A database of its own: PGlite in memory (nothing to copy), or a scratch database on the server. */
async function openEngine(
  engine: EngineName,
): Promise<{ session: Session; target: ScratchDatabase['target']; drop(): Promise<void> }> {
  if (engine === 'pglite') {
    const target = { engine: 'pglite', dataDir: null } as const;
    const session = await openSession(target);
    return { session, target, drop: () => session.close() };
  }
  const scratch = await createScratchDatabase(engine);
  const session = await openSession(scratch.target);
  return {
    session,
    target: scratch.target,
    async drop() {
      await session.close();
      await scratch.drop();
    },
  };
}

/** Applies the base and the rows, then one case at a time, reading the schema after each. */
async function applyCaseByCase(engine: EngineName, dir: string): Promise<FormRun> {
  const database = await openEngine(engine);
  try {
    const migrator = new Migrator({
      target: database.target,
      folder: readMigrationFolder(dir),
      connection: database.session,
    });
    await migrator.migrate({ to: '0001_fill' });
    const factsAfter = new Map<string, SchemaFacts>();
    const notNullNamesAfter = new Map<string, string[]>();
    const results: StepResult[] = [];
    for (const { tag } of onlineCases) {
      results.push(...(await migrator.migrate({ to: tag })));
      factsAfter.set(tag, await readSchemaFacts(database.session));
      const notNull = await database.session.query<{ name: string }>(
        `select conrelid::regclass::text || '.' || conname as name from pg_constraint
          where contype = 'n' and connamespace = 'public'::regnamespace order by 1`,
      );
      notNullNamesAfter.set(
        tag,
        notNull.map((r) => r.name),
      );
    }
    const invalid = await database.session.query<{ name: string }>(
      'select indexrelid::regclass::text as name from pg_index where not indisvalid',
    );
    return {
      factsAfter,
      notNullNamesAfter,
      results,
      invalidIndexes: invalid.map((r) => r.name),
    };
  } finally {
    await database.drop();
  }
}

describe.each(enginesUnderTest)('online-safe forms on %s', (engine: EngineName) => {
  if (engine === 'neon') useNeonProxy();
  let plainDir: string;
  let safeDir: string;
  beforeAll(() => {
    plainDir = writeMigrationsFolder(onlineHistory('plain', rows));
    safeDir = writeMigrationsFolder(onlineHistory('safe', rows));
  });
  afterAll(() => {
    for (const dir of [plainDir, safeDir]) rmSync(dir, { recursive: true, force: true });
  });

  it(
    'give the schema of the plain statements, case by case, on a table that holds rows',
    async () => {
      const plain = await applyCaseByCase(engine, plainDir);
      const safe = await applyCaseByCase(engine, safeDir);

      expect(safe.results.map((r) => r.tag)).toEqual(onlineCases.map((c) => c.tag));
      for (const result of safe.results) {
        expect(result.mode, result.tag).toEqual({
          kind: 'no-transaction',
          reason: 'it is marked "-- jam-db:no-transaction"',
        });
      }
      for (const { tag } of onlineCases) {
        expect(diffSchemaFacts(plain.factsAfter.get(tag)!, safe.factsAfter.get(tag)!), tag).toEqual(
          [],
        );
      }
      for (const { tag } of onlineCases) {
        expect(safe.notNullNamesAfter.get(tag), tag).toEqual(plain.notNullNamesAfter.get(tag));
      }
      // Facts print an index alike whether it is valid or not: ask the catalog.
      expect(safe.invalidIndexes).toEqual([]);

      // The cases did what they say (so equal facts are not two empty schemas).
      const last = safe.factsAfter.get(onlineCases.at(-1)!.tag)!;
      expect(last.get('index public.t_a_idx')).toMatch(/CREATE INDEX t_a_idx ON public\.t/);
      expect(last.has('index public.t_d_idx')).toBe(false);
      expect(last.get('constraint public.t.t_parent_id_parent_id_fk')).toBe(
        'FOREIGN KEY (parent_id) REFERENCES parent(id)',
      );
      expect(last.get('constraint public.t.t_b_positive')).toBe('CHECK ((b > 0))');
      expect(last.get('column public.t.a')).toBe('integer not null');
      expect([...last.keys()].filter((key) => key.includes('t_a_not_null_check'))).toEqual([]);
      expect(last.get('constraint public.t.t_b_c_unique')).toBe('UNIQUE (b, c)');
      expect(last.get('constraint public.t.t_id_pk')).toBe('PRIMARY KEY (id)');
    },
    workBudget({ pgliteOpens: 2, cliRuns: 2 }),
  );
});

const folder = useMigrationsFolders();

/** `generate-down` then `verify` on the safe folder, with DATABASE_URL choosing the scratch engine. */
async function deriveAndVerify(env: Record<string, string>) {
  const dir = folder(...onlineHistory('safe', rows));
  const derived = await runCli(['generate-down', '--migrations', dir], env);
  expect(derived.stderr).toBe('');
  expect(derived.code).toBe(0);
  for (const { tag } of onlineCases) {
    expect(derived.stdout).toMatch(new RegExp(`wrote .*${tag}\\.down\\.sql`));
  }
  // The rows are applied unchecked: their down script cannot take them back, so a round trip would insert them twice.
  const verified = await runCli(
    ['verify', '--migrations', dir, '--from', onlineCases[0]!.tag, '--json'],
    env,
  );
  expect(verified.stderr).toBe('');
  const report = JSON.parse(verified.stdout);
  expect(
    report.migrations.map((m: { tag: string; verdict: string }) => `${m.tag} ${m.verdict}`),
  ).toEqual(onlineCases.map((c) => `${c.tag} exact`));
  expect(verified.code).toBe(0);
}

describe('down scripts of online-safe migrations', () => {
  it(
    'are derived and verified exact on PGlite',
    () => deriveAndVerify({ DATABASE_URL: 'pglite:memory' }),
    workBudget({ cliRuns: 4 }),
  );
  it.skipIf(!serverUrl)(
    `are derived and verified exact on PostgreSQL${serverUrl ? '' : ' (skipped: TEST_DATABASE_URL unset)'}`,
    () => deriveAndVerify({ DATABASE_URL: serverUrl! }),
    workBudget({ cliRuns: 2 }),
  );
});
