import { createDb } from '../../client/create-db.js';
import { JamDbError } from '../../errors.js';
import { seed } from '../../seed/seed.js';
import { usageError } from '../args.js';
import type { CommandContext } from '../context.js';
import { databaseLabel } from '../context.js';

export async function seedCommand(context: CommandContext): Promise<number> {
  const { args, out, target } = context;
  if (args.values.scale !== undefined) {
    throw usageError(
      '--scale is not implemented yet; `jam-db seed` writes the small demo data set.',
      'seed',
    );
  }
  const reset = args.values.reset === true;
  const { db, close } = await createDb({ target, purpose: 'jam-db seed' });
  try {
    const result = await seed(db, { reset }).catch((error: unknown) => {
      if (sqlState(error) === '42P01') {
        throw new JamDbError(
          'not-migrated',
          `The database ${databaseLabel(context)} has no Jam tables yet.`,
          'Run `pnpm db:migrate` first, then seed.',
        );
      }
      throw error;
    });
    if (args.json) {
      out.document(result);
      return 0;
    }
    if (reset) out.line("Emptied Jam's tables (--reset).");
    const summary = Object.entries(result.inserted)
      .map(([table, n]) => `${table} ${n}`)
      .join(', ');
    const total = Object.values(result.inserted).reduce((a, b) => a + b, 0);
    out.line(
      total === 0
        ? 'Seed data already present: nothing inserted.'
        : `Seeded ${databaseLabel(context)}: ${summary}.`,
    );
    return 0;
  } finally {
    await close();
  }
}

/** drizzle wraps driver errors; the SQLSTATE sits on the error or on its cause. */
const sqlState = (error: unknown): string | undefined =>
  (error as { code?: string }).code ?? (error as { cause?: { code?: string } }).cause?.code;
