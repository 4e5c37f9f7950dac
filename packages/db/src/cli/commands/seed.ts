import { createDb } from '../../client/create-db.js';
import { openSession } from '../../engines/open-session.js';
import { isJamDbError, JamDbError } from '../../errors.js';
import { databaseMessage } from '../../migrations/failure.js';
import { ProgressBar } from '../../seed/progress-bar.js';
import {
  defaultSeedScale,
  minimumSeedScale,
  type SeedResult,
  seed as seedDatabase,
} from '../../seed/seed.js';
import { type CommandContext, defineCommand } from '../command.js';
import { connectTimeoutMsOf, databaseLabel } from '../context.js';
import type { Output } from '../output.js';

export const seed = defineCommand({
  name: 'seed',
  summary: 'deterministic seed data',
  options: {
    reset: { kind: 'flag' },
    scale: { kind: 'integer', value: '<n>', min: minimumSeedScale, fallback: defaultSeedScale },
  },
  async run(context) {
    const { args, out, target } = context;
    const scale = args.values.scale;
    const reset = args.values.reset;
    await probeServer(context);
    const { db, close } = await createDb({ target, purpose: 'jam-db seed' });
    // stderr, and only on a terminal: stdout may carry --json, and logs hate \r.
    const bar = ProgressBar.forStream(process.stderr);
    try {
      const result = await seedDatabase(db, {
        reset,
        scale,
        onProgress: (progress) => bar?.update(progress),
      }).catch((error: unknown) => {
        throw explainSeedFailure(error, context);
      });
      bar?.finish();
      if (args.json) out.document(result);
      else report(out, result, databaseLabel(context));
      return 0;
    } finally {
      bar?.finish();
      await close();
    }
  },
});

function report(out: Output, result: SeedResult, where: string): void {
  const list = (counts: Record<string, number>) =>
    Object.entries(counts)
      .map(([table, rows]) => `${table} ${rows.toLocaleString('en-US')}`)
      .join(', ');
  if (result.emptied) out.line(`Emptied Jam's tables (--reset): ${list(result.emptied)}.`);
  const total = Object.values(result.inserted).reduce((sum, rows) => sum + rows, 0);
  out.line(
    total === 0
      ? `Seed data (scale ${result.scale}) already present in ${where}: nothing inserted.`
      : `Seeded ${where} at scale ${result.scale}: ${list(result.inserted)}.`,
  );
  out.line();
  out.line('Development API tokens of the demo users (send as `Authorization: Bearer <token>`):');
  for (const token of result.tokens) {
    out.line(`  ${token.role.padEnd(12)} ${token.email.padEnd(24)} ${token.token}`);
  }
  out.line('Only their SHA-256 hashes are stored. Never seed a database that faces the internet.');
}

/** drizzle wraps driver errors in its own, with the driver's as the cause. */
const driverError = (error: unknown): unknown =>
  (error as { cause?: { code?: string } }).cause?.code !== undefined
    ? (error as { cause: unknown }).cause
    : error;

/** drizzle wraps driver errors; the SQLSTATE sits on the error or on its cause. */
const sqlState = (error: unknown): string | undefined =>
  (error as { code?: string }).code ?? (error as { cause?: { code?: string } }).cause?.code;

function explainSeedFailure(error: unknown, context: CommandContext): unknown {
  switch (sqlState(error)) {
    case '42P01':
    case '42703':
      return new JamDbError(
        'not-migrated',
        `The database ${databaseLabel(context)} lacks Jam's tables or columns: it is not fully migrated.`,
        'Run `pnpm db:migrate` first, then seed.',
        { cause: error },
      );
    case '23503':
      return new JamDbError(
        'seed-conflict',
        `Seeding ${databaseLabel(context)} failed: rows with the seed's emails or slugs exist under other ids, so the seed's rows cannot reference them. Nothing was written.`,
        "Run `pnpm db:seed --reset` to empty Jam's tables and seed afresh.",
        { cause: error },
      );
    default:
      if (isJamDbError(error)) return error;
      // drizzle's own message repeats the whole INSERT with its values; the driver's says what went wrong.
      return new JamDbError(
        'seed-failed',
        `Seeding ${databaseLabel(context)} failed: ${databaseMessage(driverError(error), context.target)}. Nothing was written.`,
        'Fix the cause above and run `pnpm db:seed` again; it inserts only what is missing.',
        { cause: error },
      );
  }
}

/**
 * The seed writes through a drizzle pool, which would wait for a silent server
 * forever and name no database when one refuses. One connection opened first,
 * the way every other command connects, fails within --connect-timeout with the
 * usual message. PGlite has no server to wait for, and opening its folder twice
 * would cost a second start.
 */
async function probeServer(context: CommandContext): Promise<void> {
  if (context.target.engine === 'pglite') return;
  const session = await openSession(context.target, {
    purpose: 'jam-db seed',
    connectTimeoutMs: connectTimeoutMsOf(context.args),
  });
  await session.close();
}
