import { writeFileSync } from 'node:fs';
import { statementBreakpoint } from '../drizzle-kit/breakpoints.js';
import { dataLossMarker, downScriptPath, manualMarker } from '../migrations/down-script.js';
import type { DerivedDown } from './derive-down.js';

/**
 * The down script as a file: the contract's marker on the first line when it
 * loses data (or needs a person), the comment lines `rollback` quotes, then the
 * statements split like drizzle-kit's up scripts.
 */
export function formatDownScript(tag: string, derived: DerivedDown): string {
  // Every reason and note is one comment line: a line break would leak its text as SQL.
  const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();
  const down = {
    ...derived,
    manual: derived.manual.map(oneLine),
    notes: derived.notes.map(oneLine),
    dataLoss: derived.dataLoss.map(oneLine),
  };
  const body = down.statements
    .map((s) => s.trim().replace(/;?$/, ';'))
    .join(`\n${statementBreakpoint}\n`);
  if (down.manual.length > 0) {
    return [
      manualMarker,
      `-- ${tag} could not be undone automatically: ${down.manual.join('; ')}.`,
      '-- Write the statements that undo it, then remove the first line. What could be derived:',
      ...body.split('\n').map((line) => `-- ${line}`),
      '',
    ].join('\n');
  }
  const header: string[] = [];
  if (down.dataLoss.length > 0) {
    header.push(dataLossMarker, `-- loses data: ${down.dataLoss.join('; ')}.`);
  }
  for (const note of down.notes) header.push(`-- note: ${note}.`);
  header.push(
    `-- Down script of ${tag}, derived by jam-db generate-down; run jam-db verify to prove it.`,
  );
  return `${header.join('\n')}\n${body}\n`;
}

export function writeDownScript(dir: string, tag: string, down: DerivedDown): string {
  const path = downScriptPath(dir, tag);
  writeFileSync(path, formatDownScript(tag, down));
  return path;
}
