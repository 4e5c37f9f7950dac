import type { MigrationFolder } from '../drizzle-kit/migration-folder.js';
import { emptySnapshot, readSnapshot, type Snapshot } from '../drizzle-kit/snapshots.js';
import { stagesBetween } from '../drizzle-kit/staging.js';

/** The TypeScript schema against the newest snapshot of the migrations folder. */
export type TypeScriptDrift =
  | { status: 'in-sync' }
  /** The schema has changes no migration holds yet: what `generate` would write. */
  | { status: 'pending'; statements: string[] }
  | { status: 'skipped'; reason: string };

/**
 * What `jam-db generate` would write now. The change is diffed in stages that
 * only remove, then only add, so drizzle-kit's differ never stops to ask
 * whether something was renamed: a rename shows as a drop and an add, which is
 * enough to say that a migration is missing.
 */
export async function typescriptDrift(
  folder: MigrationFolder,
  schema: Record<string, unknown>,
): Promise<TypeScriptDrift> {
  const last = folder.migrations.at(-1);
  if (last && folder.layout === 'folders') {
    return {
      status: 'skipped',
      reason: `the folder uses drizzle-kit 1.0's layout, whose snapshots (${last.tag}/snapshot.json, format 8) the differ of drizzle-kit 0.31 that jam-db runs cannot read (drizzle-kit 1.0's \`generate\` tells whether the schema has changes no migration holds)`,
    };
  }
  const previous = last ? await readSnapshot(folder, last) : emptySnapshot();
  if (!previous) {
    return {
      status: 'skipped',
      reason: `the folder has no drizzle-kit snapshot for ${last!.tag} (meta/${String(last!.idx).padStart(4, '0')}_snapshot.json), so there is nothing to compare the TypeScript schema with`,
    };
  }
  const { generateDrizzleJson, generateMigration } = await import('drizzle-kit/api');
  const current = generateDrizzleJson(schema, previous.id as string) as unknown as Snapshot;
  const statements: string[] = [];
  let from = previous;
  for (const stage of stagesBetween(previous, current)) {
    statements.push(...(await generateMigration(from as never, stage as never)));
    from = stage;
  }
  return statements.length === 0 ? { status: 'in-sync' } : { status: 'pending', statements };
}
