import { existsSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { JamDbError } from '../errors.js';
import { packageRoot } from '../package-root.js';
import { userCwd } from '../target/target.js';

/** Where @jam/db's own built schema lives; the bin rebuilds it when the sources changed. */
export const ownSchemaModule = (): string => join(packageRoot(), 'dist', 'schema', 'index.js');

/** A built schema module (.js/.mjs exporting drizzle tables), as drizzle-kit's `schema` option reads it. */
export async function loadSchemaModule(file: string): Promise<Record<string, unknown>> {
  const path = isAbsolute(file) ? file : resolve(userCwd(), file);
  if (!existsSync(path)) {
    throw new JamDbError(
      'usage',
      `--schema ${file}: no such file.`,
      'Point --schema at a built JavaScript module that exports your drizzle tables.',
    );
  }
  return (await import(pathToFileURL(path).href)) as Record<string, unknown>;
}
