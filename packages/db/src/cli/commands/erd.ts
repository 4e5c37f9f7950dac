import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { loadSchemaModule, ownSchemaModule } from '../../drift/schema-module.js';
import { type Diagrams, diagramsOf } from '../../erd/diagrams.js';
import { JamDbError } from '../../errors.js';
import { displayPath } from '../../migrations/failure.js';
import { packageRoot } from '../../package-root.js';
import { userCwd } from '../../target/target.js';
import { defineCommand } from '../command.js';

/** Where the committed diagrams live, linked from the README. */
export const defaultDocsDir = (): string => join(packageRoot(), 'docs');

export const erd = defineCommand({
  name: 'erd',
  summary: 'write the schema diagram (Mermaid and SVG)',
  options: {
    out: { kind: 'text', value: '<dir>' },
    schema: { kind: 'text', value: '<module.js>' },
    check: { kind: 'flag' },
  },
  async run({ args, out }) {
    const outFlag = args.values.out;
    const dir =
      outFlag === undefined
        ? defaultDocsDir()
        : isAbsolute(outFlag)
          ? outFlag
          : resolve(userCwd(), outFlag);
    const schemaFile = args.values.schema ?? ownSchemaModule();
    const diagrams = await diagramsOf(await loadSchemaModule(schemaFile));
    const names = Object.keys(diagrams) as (keyof Diagrams)[];
    const paths = names.map((name) => join(dir, name));

    if (args.values.check) {
      const stale = names
        .filter(
          (name) =>
            !existsSync(join(dir, name)) ||
            readFileSync(join(dir, name), 'utf8') !== diagrams[name],
        )
        .map((name) => displayPath(join(dir, name)));
      if (stale.length > 0) {
        throw new JamDbError(
          'stale-docs',
          `The schema diagrams are out of date with the schema: ${stale.join(', ')}.`,
          outFlag
            ? `Regenerate them with \`pnpm db:erd --out ${outFlag}\` and commit the result.`
            : 'Regenerate them with `pnpm db:erd` and commit the result.',
        );
      }
      if (args.json) out.document({ upToDate: true, files: paths });
      else out.line(`Up to date: ${paths.map(displayPath).join(', ')}.`);
      return 0;
    }

    mkdirSync(dir, { recursive: true });
    for (const name of names) writeFileSync(join(dir, name), diagrams[name]);
    if (args.json) out.document({ files: paths });
    else out.line(`Wrote ${paths.map(displayPath).join(' and ')}.`);
    return 0;
  },
});
