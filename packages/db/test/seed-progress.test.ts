import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProgressBar, renderProgress } from '../src/seed/progress-bar.js';
import type { SeedProgress } from '../src/seed/seed.js';
import { binPath, runCli } from './support/cli.js';
import { createScratchDatabase, type ScratchDatabase } from './support/databases.js';

const progress = (overrides: Partial<SeedProgress> = {}): SeedProgress => ({
  table: 'user_quests',
  step: 5,
  tables: 7,
  unitsDone: 50,
  units: 200,
  rowsWritten: 12_345,
  ...overrides,
});

describe('the seed progress bar', () => {
  it('shows the table, a bar, the percentage and the rows written', () => {
    expect(renderProgress(progress(), 200)).toBe(
      'seed 5/7 user_quests [##########------------------------------]  25% 12,345 rows',
    );
  });

  it('draws nothing when the stream is not a terminal', () => {
    expect(ProgressBar.forStream({ isTTY: false, write: () => true })).toBeNull();
  });

  it('redraws in place at most once per interval and clears itself at the end', () => {
    const written: string[] = [];
    let now = 0;
    const bar = new ProgressBar(
      { isTTY: true, columns: 80, write: (t) => written.push(t) },
      100,
      () => now,
    );
    bar.update(progress({ unitsDone: 10 }));
    now = 50;
    bar.update(progress({ unitsDone: 20 }));
    now = 150;
    bar.update(progress({ unitsDone: 30 }));
    bar.finish();
    expect(written).toHaveLength(3);
    const clearToEndOfLine = '\x1b[K';
    expect(written[0]?.startsWith('\r')).toBe(true);
    expect(written[0]?.endsWith(clearToEndOfLine)).toBe(true);
    expect(written[2]).toBe(`\r${clearToEndOfLine}`);
  });
});

const hasScript = spawnSync('script', ['--version']).status === 0;

describe.skipIf(!hasScript)('jam-db seed on a terminal', () => {
  let db: ScratchDatabase;
  beforeAll(async () => {
    db = await createScratchDatabase('pglite');
    expect((await runCli(['migrate'], db.env)).code).toBe(0);
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('draws the bar on stderr while --json keeps stdout one clean document', () => {
    // script(1) gives the command a real terminal; stdout goes to a file, stderr stays on the terminal.
    const out = join(mkdtempSync(join(tmpdir(), 'jam-seed-tty-')), 'out.json');
    const command = `'${process.execPath}' '${binPath}' seed --json --scale 3000 > '${out}'`;
    const terminal = spawnSync('script', ['-qec', command, '/dev/null'], {
      env: { ...process.env, ...db.env },
      encoding: 'utf8',
    });
    expect(terminal.status).toBe(0);
    expect(terminal.stdout).toMatch(/\rseed \d\/7 \w+ +\[[#-]+\] +\d+% [\d,]+ rows/);
    expect(JSON.parse(readFileSync(out, 'utf8')).planned.users).toBe(3000);
  });
});
