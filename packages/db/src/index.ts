export { createApiToken, hashApiToken } from './api-token.js';
export {
  type CreateDbOptions,
  createDb,
  type JamDatabase,
  type JamDb,
  type Schema,
} from './client/create-db.js';
export {
  describeTarget,
  type EngineKind,
  redactUrl,
  resolveTarget,
  type Target,
} from './client/target.js';
export type { FolderLayout } from './drizzle-kit/layout.js';
export {
  type Migration,
  type MigrationFolder,
  readMigrationFolder,
} from './drizzle-kit/migration-folder.js';
export { defaultPoolBounds, type PoolBounds } from './engines/pool-bounds.js';
export { JamDbError, type JamDbErrorCode } from './errors.js';
export { assertSchemaCurrent } from './guard/assert-schema-current.js';
export { type MigrationStatus, readMigrationStatus } from './guard/migration-status.js';
export { compareHistory, type History } from './migrations/history.js';
export { Migrator, type MigratorOptions, type StepResult } from './migrations/migrator.js';
export * as schema from './schema/index.js';
export * from './schema/index.js';
export { type DemoToken, demoTokens } from './seed/demo-tokens.js';
export { type SeedStep, seedPlan } from './seed/plan.js';
export {
  defaultSeedScale,
  type SeedOptions,
  type SeedProgress,
  type SeedResult,
  seed,
} from './seed/seed.js';
export type * from './types.js';
