import type { Target } from '../client/target.js';
import { unwrapIdempotentDo } from '../drizzle-kit/breakpoints.js';
import type { MigrationFolder } from '../drizzle-kit/migration-folder.js';
import { openSession } from '../engines/open-session.js';
import { JamDbError } from '../errors.js';
import { lintFolder } from '../lint/lint-folder.js';
import { parseStatements } from '../lint/parse.js';
import { downScriptName, readDownScript } from '../migrations/down-script.js';
import { statementSummary } from '../migrations/statements.js';
import { countRows, describeRowCount, type RowCount } from './row-counts.js';
import { looksPersonal, looksSecret } from './sensitive-columns.js';
import { statementFacts } from './statement-facts.js';

/**
 * A markdown review of one migration that fills in the checklist teams paste
 * into a pull request: type, tables, breaking impact, rollback, performance,
 * security and how to verify it.
 */
export async function migrationReport(
  folder: MigrationFolder,
  tag: string,
  live: Target | null,
): Promise<string> {
  const migration = folder.migrations.find((m) => m.tag === tag);
  if (!migration) {
    throw new JamDbError(
      'usage',
      `report ${tag}: no migration with that tag in ${folder.dir}.`,
      `Known tags: ${folder.migrations.map((m) => m.tag).join(', ')}.`,
    );
  }
  const lint = (await lintFolder(folder)).find((l) => l.tag === tag)!;
  const statements: { text: string; facts: ReturnType<typeof statementFacts> }[] = [];
  for (const chunk of migration.statements.map(unwrapIdempotentDo)) {
    for (const parsed of (await parseStatements(chunk)) ?? [{ node: null, text: chunk }]) {
      statements.push({ text: parsed.text, facts: statementFacts(parsed.node) });
    }
  }
  const tables = [...new Set(statements.flatMap((s) => s.facts.tables))].sort();
  const kinds = [...new Set(statements.flatMap((s) => s.facts.kinds))];
  const down = readDownScript(folder.dir, tag);
  const estimates = live ? await rowEstimates(live, tables) : null;
  const newColumns = statements.flatMap((s) => s.facts.newColumns);
  const secrets = newColumns.filter(looksSecret);
  const personal = newColumns.filter(looksPersonal);
  const columnList = (columns: string[]) => columns.map((c) => `\`${c}\``).join(', ');
  const check = (on: boolean) => (on ? '[x]' : '[ ]');

  const lines = [
    `## Database migration \`${tag}\``,
    '',
    '### Migration type',
    ...(
      [
        'new table',
        'schema update',
        'relationships',
        'data migration',
        'deprecation',
        'performance',
      ] as const
    ).map((k) => `- ${check(kinds.includes(k))} ${k[0]!.toUpperCase()}${k.slice(1)}`),
    '',
    '### Tables affected',
    ...(tables.length > 0
      ? tables.map((t) => {
          const count = estimates?.get(t);
          return `- \`${t}\`${count ? ` (${describeRowCount(count)})` : ''}`;
        })
      : ['- none']),
    '',
    '### Breaking impact',
    `Classification: **${lint.classification}**.`,
    ...(lint.findings.length > 0
      ? lint.findings.map(
          (f) =>
            `- **${f.severity}** \`${f.rule}\`: ${f.explanation}. Safe alternative: ${f.alternative}. (\`${f.statement}\`)`,
        )
      : ['- No lint findings.']),
    ...lint.allowed.map((a) => `- allowed \`${a.rule}\`: ${a.reason}`),
    '',
    '### Rollback',
    down === null
      ? '- [ ] Reversible: no down script yet (`jam-db generate-down`).'
      : down.manual
        ? '- [ ] Reversible: the down script is marked manual and must be written.'
        : `- [x] Reversible: \`${downScriptName(folder.dir, tag)}\`.`,
    `- ${check(down?.dataLoss === true)} Data loss on rollback${down?.dataLoss ? `: ${down.notes.join(' ')}` : ''}`,
    '',
    '### Performance',
    `- New indexes: ${statements.filter((s) => s.facts.newIndex).length}`,
    `- Table rewrites: ${statements.some((s) => s.facts.rewrite) ? 'yes (type change)' : 'none'}`,
    ...(estimates === null ? ['- Row estimates: set DATABASE_URL to include them.'] : []),
    '',
    '| Statement | Lock |',
    '|---|---|',
    ...statements.map(
      (s) => `| \`${statementSummary(s.text).replace(/\|/g, '\\|')}\` | ${s.facts.lock} |`,
    ),
    '',
    '### Security',
    ...(secrets.length > 0
      ? [
          `- New columns that look like secrets: ${columnList(secrets)}. Store only a hash or an encrypted value, never log them, never return them from the API.`,
        ]
      : []),
    ...(personal.length > 0
      ? [
          `- New columns that look like personal data: ${columnList(personal)}. Check access, retention and logging.`,
        ]
      : []),
    ...(secrets.length + personal.length === 0
      ? ['- No new columns that look like personal data or secrets.']
      : []),
    '',
    '### Verification',
    '- [ ] `pnpm db:lint` passes',
    '- [ ] `pnpm db:verify` proves the down script (up → down → up)',
    '- [ ] `pnpm db:migrate --dry-run` against staging shows the expected SQL',
    '- [ ] `pnpm db:status` after deploy shows the migration applied',
    '',
  ];
  return lines.join('\n');
}

async function rowEstimates(target: Target, tables: string[]): Promise<Map<string, RowCount>> {
  const session = await openSession(target, { purpose: 'jam-db report' });
  try {
    const counts = new Map<string, RowCount>();
    for (const table of tables) {
      const count = await countRows(session, table);
      if (count) counts.set(table, count);
    }
    return counts;
  } finally {
    await session.close();
  }
}
