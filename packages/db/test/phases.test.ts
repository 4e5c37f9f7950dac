import { rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type Migration, readMigrationFolder } from '../src/drizzle-kit/migration-folder.js';
import { readPhaseDirective } from '../src/drizzle-kit/phase-directive.js';
import { lintFolder } from '../src/lint/lint-folder.js';
import type { History } from '../src/migrations/history.js';
import {
  appliesContracts,
  describeExpanded,
  describeHeldBack,
  expandedNotContracted,
  holdBackContracts,
  refuseBadPhases,
} from '../src/migrations/phases.js';
import type { AppliedRow } from '../src/migrations/tracking.js';
import type { Target } from '../src/target/target.js';
import { type FixtureMigration, useMigrationsFolders } from './support/folders.js';
import { thrown } from './support/thrown.js';
import { writeV1Folder } from './support/v1-folder.js';

const folder = useMigrationsFolders();
const readFolder = (...migrations: FixtureMigration[]) =>
  readMigrationFolder(folder(...migrations)).migrations;

const users = { tag: '0000_users', sql: 'CREATE TABLE users (id int PRIMARY KEY, name text)' };
const expand = {
  tag: '0001_expand_name',
  sql: '-- jam-db:phase expand\nALTER TABLE users ADD COLUMN full_name text',
};
const contract = {
  tag: '0002_drop_name',
  sql: '-- a note first\n-- jam-db:phase contract 0001_expand_name\nALTER TABLE users DROP COLUMN name',
};
const bio = { tag: '0003_bio', sql: 'ALTER TABLE users ADD COLUMN bio text' };

describe('the -- jam-db:phase line', () => {
  it.each([
    ['-- jam-db:phase expand\nSELECT 1', { kind: 'expand' }],
    [
      'SELECT 1;\n  --   jam-db:phase   contract  0006_expand_name  \n',
      { kind: 'contract', expands: '0006_expand_name' },
    ],
    ['-- jam-db:phase expand\r\nSELECT 1', { kind: 'expand' }],
    ['SELECT 1', null],
    ['-- jam-db:allow drop-column a reason\nSELECT 1', null],
  ])('reads %j', (sql, phase) => {
    expect(readPhaseDirective(sql)).toEqual({ phase, problem: null });
  });

  it.each([
    ['-- jam-db:phase', 1, /names no phase/, /jam-db:phase expand" or "-- jam-db:phase contract/],
    [
      'SELECT 1\n-- jam-db:phase shrink',
      2,
      /the phase is expand or contract, not "shrink"/,
      /expand" or/,
    ],
    [
      '-- jam-db:phase contract',
      1,
      /does not say which expand migration it contracts/,
      /contract 0006_expand_name/,
    ],
    [
      '-- jam-db:phase contract 0001_a 0002_b',
      1,
      /names exactly one expand migration, not 2 words/,
      /comment line of its own/,
    ],
    [
      '-- jam-db:phase expand of the rename',
      1,
      /names nothing after "expand"/,
      /comment line of its own/,
    ],
    [
      '-- jam-db:phases expand',
      1,
      /"-- jam-db:phases expand" is not a directive jam-db knows/,
      /jam-db:phase expand/,
    ],
    [
      '-- jam-db:phase expand\n-- jam-db:phase expand',
      2,
      /a second phase line \(the first is line 1\)/,
      /two migrations/,
    ],
  ])('refuses %j at its line', (sql, line, message, hint) => {
    const { phase, problem } = readPhaseDirective(sql);
    expect(phase).toBeNull();
    expect(problem?.line).toBe(line);
    expect(problem?.message).toMatch(message);
    expect(problem?.hint).toMatch(hint);
  });
});

describe('phases across a folder', () => {
  it('gives each migration its phase', () => {
    const migrations = readFolder(users, expand, contract, bio);
    expect(migrations.map((m) => m.phase ?? null)).toEqual([
      null,
      { kind: 'expand' },
      { kind: 'contract', expands: '0001_expand_name' },
      null,
    ]);
    expect(migrations.every((m) => !m.phaseProblem)).toBe(true);
  });

  it('reads phases in drizzle-kit 1.0’s folder per migration too', () => {
    const dir = writeV1Folder([
      { tag: '20260101090000_users', sql: users.sql },
      { tag: '20260102090000_expand_name', sql: expand.sql },
      {
        tag: '20260103090000_drop_name',
        sql: '-- jam-db:phase contract 20260102090000_expand_name\nALTER TABLE users DROP COLUMN name',
      },
    ]);
    try {
      expect(readMigrationFolder(dir).migrations.map((m) => m.phase ?? null)).toEqual([
        null,
        { kind: 'expand' },
        { kind: 'contract', expands: '20260102090000_expand_name' },
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('counts the migration a contract names as its expand, even without its own line', () => {
    const unmarked = {
      tag: '0001_expand_name',
      sql: 'ALTER TABLE users ADD COLUMN full_name text',
    };
    const [, named] = readFolder(users, unmarked, contract);
    expect(named!.phase).toEqual({ kind: 'expand' });
  });

  it.each([
    [
      'a tag the folder lacks',
      [users, expand, { ...contract, sql: '-- jam-db:phase contract 0001_expand' }],
      /0002_drop_name contracts 0001_expand, which is not a migration of this folder/,
      /Earlier expand migrations: 0001_expand_name\./,
    ],
    [
      'a later migration',
      [
        users,
        { ...expand, sql: '-- jam-db:phase contract 0002_drop_name' },
        { ...contract, sql: 'SELECT 1' },
      ],
      /0001_expand_name contracts 0002_drop_name, which comes after it/,
      /No earlier migration is marked expand/,
    ],
    [
      'itself',
      [users, { ...contract, sql: '-- jam-db:phase contract 0002_drop_name' }],
      /0002_drop_name contracts 0002_drop_name, which is itself; a contract completes an earlier expand migration/,
      /Name the expand migration it completes/,
    ],
    [
      'another contract',
      [users, expand, contract, { ...bio, sql: '-- jam-db:phase contract 0002_drop_name' }],
      /0003_bio contracts 0002_drop_name, which is itself a contract migration/,
      /completes \(0001_expand_name\)/,
    ],
  ])('refuses a contract that names %s', (_case, migrations, message, hint) => {
    const last = readFolder(...migrations).find((m) => m.phaseProblem);
    expect(last?.phase).toBeNull();
    expect(last?.phaseProblem?.message).toMatch(message);
    expect(last?.phaseProblem?.hint).toMatch(hint);
  });

  it('refuses a pending migration with a bad phase line, naming the file and line', () => {
    const migrations = readFolder(users, { ...expand, sql: 'SELECT 1\n-- jam-db:phase grow' });
    const error = thrown(() => refuseBadPhases(migrations));
    expect(error.code).toBe('migrations-folder');
    expect(error.message).toMatch(
      /^0001_expand_name has a -- jam-db:phase line jam-db cannot act on \(line 2 of .*0001_expand_name\.sql\): .*not "grow"\. Nothing was applied\.$/,
    );
    expect(error.hint).toMatch(/Write "-- jam-db:phase expand"/);
  });
});

describe('which pending migrations a run applies', () => {
  const migrations = readFolder(users, expand, contract, bio);
  const tags = (list: { tag: string }[]) => list.map((m) => m.tag);

  it('applies everything when contracts are not held back', () => {
    const { apply, heldBack } = holdBackContracts(migrations, false, undefined);
    expect(tags(apply)).toEqual(tags(migrations));
    expect(heldBack).toEqual([]);
  });

  it('stops before the first contract and holds back everything after it', () => {
    const { apply, heldBack } = holdBackContracts(migrations, true, undefined);
    expect(tags(apply)).toEqual(['0000_users', '0001_expand_name']);
    expect(heldBack).toEqual([
      { tag: '0002_drop_name', contracts: '0001_expand_name' },
      { tag: '0003_bio', contracts: null },
    ]);
    expect(describeHeldBack(heldBack)).toEqual([
      'Held back 0002_drop_name (contract of 0001_expand_name): run `pnpm db:migrate --contract` once every app instance runs the new code.',
      'Held back 0003_bio too: it comes after 0002_drop_name, and migrations apply in order.',
    ]);
  });

  it('holds back nothing when no pending migration is a contract', () => {
    expect(holdBackContracts(migrations.slice(0, 2), true, undefined).heldBack).toEqual([]);
  });

  it('refuses a --to that reaches a held-back contract', () => {
    const past = thrown(() => holdBackContracts(migrations, true, '0003_bio'));
    expect(past.code).toBe('usage');
    expect(past.message).toBe(
      '--to 0003_bio goes past 0002_drop_name, the contract of 0001_expand_name, which migrate holds back until every app instance runs the new code.',
    );
    expect(past.hint).toBe(
      'Add --contract once no running code uses what 0002_drop_name removes, or stop before it with --to 0001_expand_name.',
    );
    const at = thrown(() => holdBackContracts(migrations.slice(0, 3), true, '0002_drop_name'));
    expect(at.message).toMatch(/^--to 0002_drop_name is 0002_drop_name, the contract/);
  });
});

describe('whether a run applies contract migrations', () => {
  const pglite: Target = { engine: 'pglite', dataDir: null };
  const server = { engine: 'postgres', url: 'postgres://x@h/db' } as Target;

  it.each([
    [false, undefined, pglite, true],
    [false, undefined, server, false],
    [false, '', server, false],
    [true, undefined, server, true],
    [true, '0', server, true],
    [false, '1', server, true],
    [false, 'true', server, true],
    [false, '0', pglite, false],
    [false, 'FALSE', pglite, false],
  ])(
    '--contract %s, JAM_DB_APPLY_CONTRACT=%j: applies %s on %o → %s',
    (flag, setting, target, applies) => {
      expect(appliesContracts(flag, setting, target)).toBe(applies);
    },
  );

  it('names a JAM_DB_APPLY_CONTRACT it does not understand', () => {
    const error = thrown(() => appliesContracts(false, 'yes please', server));
    expect(error.code).toBe('config');
    expect(error.message).toBe(
      'JAM_DB_APPLY_CONTRACT is "yes please"; it takes 1 (apply contract migrations) or 0 (hold them back).',
    );
  });
});

describe('expanded, not contracted', () => {
  const migrations = readFolder(users, expand, contract, {
    tag: '0003_expand_bio',
    sql: '-- jam-db:phase expand\nALTER TABLE users ADD COLUMN bio text',
  });
  const row = (m: Migration, id: number): AppliedRow => ({
    id,
    hash: m.hash,
    tag: m.tag,
    createdAt: m.when,
    appliedAt: null,
    durationMs: null,
    packageVersion: null,
    downHash: null,
  });
  const historyOf = (applied: number): History => ({
    applied: migrations
      .slice(0, applied)
      .map((migration, i) => ({ migration, row: row(migration, i + 1) })),
    pending: migrations.slice(applied),
    outOfOrder: [],
    changed: [],
    unknown: [],
  });

  it('lists an applied expand whose contract is pending, and one with no contract yet', () => {
    expect(expandedNotContracted(migrations, historyOf(2))).toEqual([
      { tag: '0001_expand_name', contract: '0002_drop_name' },
    ]);
    const all = expandedNotContracted(migrations, historyOf(4));
    expect(all).toEqual([{ tag: '0003_expand_bio', contract: null }]);
    expect(describeExpanded(expandedNotContracted(migrations, historyOf(2)))).toEqual([
      'Expanded, not contracted:',
      '  0001_expand_name  contract 0002_drop_name pending: `pnpm db:migrate --contract` applies it once every app instance runs the new code',
    ]);
    expect(describeExpanded(all)).toEqual([
      'Expanded, not contracted:',
      '  0003_expand_bio  no contract migration yet',
    ]);
  });

  it('lists nothing before the expand is applied', () => {
    expect(expandedNotContracted(migrations, historyOf(1))).toEqual([]);
    expect(describeExpanded([])).toEqual([]);
  });
});

describe('lint knows the phase', () => {
  const lintOf = (...migrations: FixtureMigration[]) =>
    lintFolder(readMigrationFolder(folder(...migrations)));

  it('still reports a drop in a contract migration, without telling it to expand, then contract', async () => {
    const [, expanded, contracted, plain] = await lintOf(users, expand, contract, bio);
    expect(expanded).toMatchObject({ phase: 'expand', contracts: null, findings: [] });
    expect(contracted).toMatchObject({
      phase: 'contract',
      contracts: '0001_expand_name',
      classification: 'breaking',
      findings: [{ rule: 'drop-column', severity: 'error' }],
    });
    const alternative = contracted!.findings[0]!.alternative;
    expect(alternative).not.toMatch(/expand, then contract/);
    expect(alternative).toMatch(
      /^this is the contract of 0001_expand_name: `pnpm db:migrate` holds it back until `--contract`/,
    );
    expect(plain).toMatchObject({ phase: null, contracts: null });
  });

  it('tells an expand migration to move a breaking statement into its contract', async () => {
    const [, expanded] = await lintOf(users, {
      ...expand,
      sql: '-- jam-db:phase expand\nALTER TABLE users DROP COLUMN name',
    });
    expect(expanded!.findings[0]).toMatchObject({
      rule: 'drop-column',
      alternative: expect.stringMatching(
        /^an expand migration must be safe while the previous app version runs: move this statement into the contract migration \("-- jam-db:phase contract 0001_expand_name"\)$/,
      ),
    });
  });

  it('reports a contract whose expand is missing as an error at its line', async () => {
    const [, , contracted] = await lintOf(users, expand, {
      ...contract,
      sql: '-- jam-db:phase contract\nSELECT 1',
    });
    expect(contracted!.findings).toEqual([
      expect.objectContaining({
        rule: 'phase-directive',
        severity: 'error',
        statement: '-- jam-db:phase contract',
        explanation: expect.stringMatching(
          /cannot be acted on.*does not say which expand migration it contracts/,
        ),
        location: expect.stringMatching(/^line 1 of .*0002_drop_name\.sql$/),
      }),
    ]);
    expect(contracted!.classification).toBe('additive');
  });
});
