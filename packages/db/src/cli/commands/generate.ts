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
import { defineCommand } from '../command.js';

export const generate = defineCommand({
  name: 'generate',
  summary: 'drizzle-kit generate without prompts',
  options: {
    name: { kind: 'text', value: '<name>' },
    rename: { kind: 'texts', value: '<old>:<new>' },
    created: { kind: 'texts', value: '<name>' },
    schema: { kind: 'text', value: '<module.js>' },
    plain: {
      kind: 'flag',
      help: "keep drizzle-kit's statements as they are instead of their online-safe and expand/contract forms",
    },
  },
  async run(context) {
    const { args, out } = context;
    const schema = await loadSchema(args.values.schema);
    const result = await generateMigrationFiles({
      dir: args.migrationsDir,
      schema,
      name: args.values.name,
      renames: args.values.rename,
      created: args.values.created,
      phased: !args.values.plain,
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
    const tags = [result.tag, ...(result.contract ? [result.contract.tag] : [])];
    const positions = tags.map((tag) => folder.migrations.findIndex((m) => m.tag === tag));
    const downs = await deriveDowns(folder, new Set(positions), { home: context.target });
    const lints = await lintFolder(folder);
    const written = positions.map((position, i) => {
      const tag = tags[i]!;
      const down = downs.get(position)!;
      const lint = lints.find((l) => l.tag === tag)!;
      const changeset = writeChangesetStub(folder.dir, {
        tag,
        classification: lint.classification,
        breakingRules: breakingRulesOf(lint.findings),
      });
      return { tag, down, downPath: writeDownScript(folder.dir, tag, down), lint, changeset };
    });
    const { down, downPath, lint, changeset } = written[0]!;
    const position = positions[0]!;
    const contract = written[1];
    const phased = result.phasing && {
      phased: result.phasing.phased,
      keptPlain: result.phasing.kept,
      contract: contract
        ? {
            tag: contract.tag,
            up: result.contract!.path,
            down: contract.downPath,
            changeset: contract.changeset?.path ?? null,
            statements: folder.migrations[positions[1]!]!.statements,
            lint: {
              classification: contract.lint.classification,
              findings: contract.lint.findings,
            },
          }
        : null,
    };
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
        phased,
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
    printLint(out, 'Lint', lint);
    for (const kept of result.phasing?.kept ?? [])
      out.line(`Kept as drizzle-kit wrote it (${kept.kind}): ${kept.statement} — ${kept.reason}`);
    if (result.phasing && result.phasing.phased.length > 0)
      out.line(
        `Expand/contract form: ${result.phasing.phased.map((p) => p.change).join('; ')} (--plain keeps drizzle-kit's statements)`,
      );
    if (contract) {
      out.line(`Wrote ${displayPath(result.contract!.path)} (contract of ${result.tag})`);
      out.line(`Wrote ${displayPath(contract.downPath)}`);
      if (contract.changeset)
        out.line(
          `Wrote ${displayPath(contract.changeset.path)} with a ${contract.changeset.bump} bump (${contract.lint.classification}): describe the change.`,
        );
      printLint(out, `Lint of ${contract.tag}`, contract.lint);
      out.line(
        `Next: \`pnpm db:verify\`, then \`pnpm db:migrate\` applies ${result.tag} and holds ${contract.tag} back; release them separately, and run \`pnpm db:migrate --contract\` once every app instance runs the new code.`,
      );
    } else out.line('Next: `pnpm db:verify`, then `pnpm db:migrate`.');
    return 0;
  },
});

function printLint(
  out: { line(text: string): void },
  label: string,
  lint: {
    tag: string;
    classification: string;
    findings: { severity: string; rule: string; statement: string; alternative: string }[];
  },
): void {
  out.line(
    `${label}: ${lint.classification}, ${lint.findings.length === 0 ? 'no findings' : `${lint.findings.length} finding(s):`}`,
  );
  for (const f of lint.findings)
    out.line(`  ${f.severity} ${f.rule}: ${f.statement}\n    safe alternative: ${f.alternative}`);
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
