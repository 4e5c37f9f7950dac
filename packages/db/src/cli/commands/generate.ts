import { existsSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { deriveDowns } from '../../down/generate-downs.js';
import { writeDownScript } from '../../down/write-down.js';
import { readMigrationFolder } from '../../drizzle-kit/migration-folder.js';
import { JamDbError } from '../../errors.js';
import { writeChangesetStub } from '../../generate/changeset-stub.js';
import { generateMigrationFiles } from '../../generate/generate-migration.js';
import { lintFolder } from '../../lint/lint-folder.js';
import { displayPath } from '../../migrations/failure.js';
import { describeRewrites, rewriteGenerated } from '../../online/rewrite-folder.js';
import { packageRoot } from '../../package-root.js';
import { breakingRulesOf } from '../../release/breaking-rules.js';
import { userCwd } from '../../target/target.js';
import { type CommandContext, defineCommand } from '../command.js';
import type { OptionSpecs } from '../options.js';

const options = {
  name: { kind: 'text' },
  rename: { kind: 'texts' },
  created: { kind: 'texts' },
  schema: { kind: 'text' },
  plain: {
    kind: 'flag',
    help: "keep drizzle-kit's statements as they are instead of their online-safe form",
  },
} as const satisfies OptionSpecs;

export const generate = defineCommand({
  name: 'generate',
  synopsis:
    '[--name <name>] [--rename <old>:<new>]… [--created <name>]… [--schema <module.js>] [--plain]',
  summary: 'drizzle-kit generate without prompts',
  options,
  run,
});

async function run(context: CommandContext<typeof options>): Promise<number> {
  const { args, out } = context;
  const schema = await loadSchema(args.values.schema);
  const result = await generateMigrationFiles({
    dir: args.migrationsDir,
    schema,
    name: args.values.name,
    renames: args.values.rename,
    created: args.values.created,
  });
  if (result.tag === null) {
    if (args.json) out.document({ tag: null });
    else out.line('No schema changes: nothing to generate.');
    return 0;
  }
  let folder = readMigrationFolder(args.migrationsDir);
  // The safe forms go in before the down script is derived from the file.
  const online = args.values.plain ? null : await rewriteGenerated(folder, result.tag);
  if (online && online.rewrites.length > 0) folder = readMigrationFolder(args.migrationsDir);
  const position = folder.migrations.findIndex((m) => m.tag === result.tag);
  const down = (await deriveDowns(folder, new Set([position]), { home: context.target })).get(
    position,
  )!;
  const downPath = writeDownScript(folder.dir, result.tag, down);
  const lint = (await lintFolder(folder)).find((l) => l.tag === result.tag)!;
  const changeset = writeChangesetStub(folder.dir, {
    tag: result.tag,
    classification: lint.classification,
    breakingRules: breakingRulesOf(lint.findings),
  });
  if (args.json) {
    out.document({
      tag: result.tag,
      up: result.path,
      down: downPath,
      changeset: changeset?.path ?? null,
      statements: folder.migrations[position]!.statements,
      online: online && {
        rewrites: online.rewrites.map(({ rule, statement, change, into }) => ({
          rule,
          statement,
          change,
          into,
        })),
        notRewritten: online.notRewritten.map(({ rule, statement, reason }) => ({
          rule,
          statement,
          reason,
        })),
      },
      downDataLoss: down.dataLoss,
      downManual: down.manual,
      lint: { classification: lint.classification, findings: lint.findings },
    });
    return 0;
  }
  out.line(
    `Wrote ${displayPath(result.path)} (${folder.migrations[position]!.statements.length} statement(s))`,
  );
  if (online)
    out.line(
      online.rewrites.length > 0
        ? `Online-safe form: ${describeRewrites(online)} (--plain keeps drizzle-kit's statements)`
        : 'Online-safe form: nothing to rewrite (no statement locks a table that may hold rows for long).',
    );
  out.line(
    `Wrote ${displayPath(downPath)}${down.manual.length > 0 ? ' — marked manual: write it by hand' : ''}`,
  );
  if (changeset)
    out.line(
      `Wrote ${displayPath(changeset.path)} with a ${changeset.bump} bump (${lint.classification}): describe the change.`,
    );
  out.line(
    `Lint: ${lint.classification}, ${lint.findings.length === 0 ? 'no findings' : `${lint.findings.length} finding(s):`}`,
  );
  for (const f of lint.findings)
    out.line(`  ${f.severity} ${f.rule}: ${f.statement}\n    safe alternative: ${f.alternative}`);
  out.line('Next: `pnpm db:verify`, then `pnpm db:migrate`.');
  return 0;
}

/** The schema module drizzle-kit would read: @jam/db's own unless --schema names another (.js/.mjs). */
async function loadSchema(file: string | undefined): Promise<Record<string, unknown>> {
  const path = file
    ? isAbsolute(file)
      ? file
      : resolve(userCwd(), file)
    : join(packageRoot(), 'dist', 'schema', 'index.js');
  if (!existsSync(path)) {
    throw new JamDbError(
      'usage',
      `--schema ${file ?? path}: no such file.`,
      'Point --schema at a built JavaScript module that exports your drizzle tables.',
    );
  }
  return (await import(pathToFileURL(path).href)) as Record<string, unknown>;
}
