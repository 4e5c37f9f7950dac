import type { Migration } from '../drizzle-kit/migration-folder.js';
import type { ExtensionNeed } from '../engines/pglite-extensions.js';
import { displayPath } from './failure.js';

/** `--` and block comments turned into spaces, newlines kept, so offsets still give lines. */
export function blankComments(sql: string): string {
  return sql.replace(/\/\*[\s\S]*?\*\/|--[^\n]*/g, (comment) => comment.replace(/[^\n]/g, ' '));
}

const createExtension =
  /\bcreate\s+extension\s+(?:if\s+not\s+exists\s+)?("(?:[^"]|"")+"|[a-z_][\w$]*)/gi;

/** An identifier as PostgreSQL reads it: quoted kept as written, unquoted folded to lower case. */
const identifier = (token: string): string =>
  token.startsWith('"') ? token.slice(1, -1).replace(/""/g, '"') : token.toLowerCase();

/**
 * The extensions these migrations create, each with the first place that does.
 * Read from the text (comments ignored) rather than parsed: it runs on every
 * PGlite open, and naming an extension once too often only costs its loading.
 */
export function extensionsCreatedBy(migrations: readonly Migration[]): ExtensionNeed[] {
  const needs = new Map<string, ExtensionNeed>();
  for (const migration of migrations) {
    if (!/create\s+extension/i.test(migration.sql)) continue;
    const sql = blankComments(migration.sql);
    for (const match of sql.matchAll(createExtension)) {
      const name = identifier(match[1]!);
      if (needs.has(name)) continue;
      const line = sql.slice(0, match.index).split('\n').length;
      needs.set(name, { name, neededBy: `line ${line} of ${displayPath(migration.path)}` });
    }
  }
  return [...needs.values()];
}
