import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Real drizzle-kit histories of public projects sit beside the checkout, in
 * ../shared/corpora (see its MANIFEST.md). Tests read them from there and never
 * copy their SQL into the repository.
 */
export const corporaRoot = fileURLToPath(new URL('../../../../../shared/corpora', import.meta.url));

export const corpusNames = [
  'autumn',
  'claude-code-hub',
  'eikona-api',
  'giselle',
  'llmgateway',
  'scorebrawl',
  'tambo',
] as const;
export type CorpusName = (typeof corpusNames)[number];

export const corporaPresent = existsSync(join(corporaRoot, 'MANIFEST.md'));

export function corpusDir(name: CorpusName): string {
  return join(corporaRoot, name);
}

/**
 * A migrations folder in the run's temporary folder holding the corpus's first
 * `count` migrations (all when omitted), with their snapshots and any down
 * scripts the test writes later. The copy lives in the test run's folder and is
 * removed with it.
 */
export function corpusPrefix(name: CorpusName, count?: number): string {
  const source = corpusDir(name);
  const dir = mkdtempSync(join(tmpdir(), `jam-corpus-${name}-`));
  mkdirSync(join(dir, 'meta'));
  const journal = JSON.parse(readFileSync(join(source, 'meta', '_journal.json'), 'utf8'));
  if (count !== undefined) journal.entries = journal.entries.slice(0, count);
  for (const { tag } of journal.entries as { tag: string }[])
    copyFileSync(join(source, `${tag}.sql`), join(dir, `${tag}.sql`));
  for (const file of readdirSync(join(source, 'meta')))
    if (file.endsWith('_snapshot.json'))
      copyFileSync(join(source, 'meta', file), join(dir, 'meta', file));
  writeFileSync(join(dir, 'meta', '_journal.json'), JSON.stringify(journal, null, 2));
  return dir;
}
