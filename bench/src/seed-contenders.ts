import { type JamDatabase, schema, seed, seedPlan } from '@jam/db';
import { seed as drizzleSeed, reset as drizzleSeedReset } from 'drizzle-seed';

/**
 * The three ways to fill the Jam schema that the seed benchmark compares. Each
 * writes into an empty, migrated database and returns how many rows it wrote.
 */
export type SeedContender = 'jam-db seed' | 'row-by-row' | 'drizzle-seed';
export const seedContenders: SeedContender[] = ['jam-db seed', 'row-by-row', 'drizzle-seed'];

/** jam-db's seed: unnest batches of 5,000 rows, one transaction. */
export async function jamDbSeed(db: JamDatabase, scale: number): Promise<number> {
  const result = await seed(db, { scale });
  return Object.values(result.inserted).reduce((sum, n) => sum + n, 0);
}

/** The same rows as jam-db's seed, one INSERT each, in one transaction (the kind version). */
export async function rowByRow(db: JamDatabase, scale: number): Promise<number> {
  let rows = 0;
  await db.transaction(async (tx) => {
    for (const step of seedPlan(scale)) {
      for (let unit = 0; unit < step.units; unit++) {
        for (const row of step.rowsOf(unit)) {
          await tx
            .insert(step.table)
            .values(row as never)
            .onConflictDoNothing();
          rows += 1;
        }
      }
    }
  });
  return rows;
}

/** Row counts of jam-db's data set at `scale`, so drizzle-seed writes as many rows per table. */
export function plannedCounts(scale: number): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const step of seedPlan(scale)) {
    let rows = 0;
    for (let unit = 0; unit < step.units; unit++) rows += step.rowsOf(unit).length;
    counts[step.name] = rows;
  }
  return counts;
}

/**
 * drizzle-seed on the same tables with the same row counts, its generators
 * told the values the schema's checks accept. It reads neither the CHECK that a
 * mentor may not mentor themself nor the composite unique key (user, quest), and
 * random picks break both at this size; so mentors and participants come from
 * two disjoint halves of the users (whose ids it is handed), and each user gets
 * one user quest.
 */
export async function drizzleSeedContender(
  db: JamDatabase,
  counts: Record<string, number>,
): Promise<number> {
  const tables = {
    users: schema.users,
    apiTokens: schema.apiTokens,
    programs: schema.programs,
    quests: schema.quests,
    userQuests: schema.userQuests,
    projects: schema.projects,
    mentorships: schema.mentorships,
  };
  const userIds = Array.from(
    { length: counts.users! },
    (_, i) => `00000000-0000-4000-8000-${i.toString().padStart(12, '0')}`,
  );
  const half = Math.floor(userIds.length / 2);
  await drizzleSeed(db, tables, { seed: 7 }).refine((f) => ({
    users: {
      count: counts.users!,
      with: { userQuests: 1 },
      columns: {
        id: f.valuesFromArray({ values: userIds, isUnique: true }),
        email: f.email(),
        role: f.valuesFromArray({ values: ['participant', 'mentor', 'organizer', 'admin'] }),
      },
    },
    apiTokens: { count: counts.api_tokens!, columns: { tokenHash: f.string({ isUnique: true }) } },
    programs: {
      count: counts.programs!,
      columns: {
        slug: f.string({ isUnique: true }),
        tracks: f.valuesFromArray({ values: ['AI', 'Climate'], arraySize: 2 }),
      },
    },
    quests: { count: counts.quests! },
    userQuests: {
      columns: {
        submissionUrls: f.valuesFromArray({ values: ['https://example.com/a'], arraySize: 1 }),
      },
    },
    projects: { count: counts.projects! },
    mentorships: {
      count: counts.mentorships!,
      columns: {
        mentorId: f.valuesFromArray({ values: userIds.slice(0, half) }),
        participantId: f.valuesFromArray({ values: userIds.slice(half) }),
        mentorRating: f.int({ minValue: 1, maxValue: 5 }),
        participantRating: f.int({ minValue: 1, maxValue: 5 }),
        sessionNotes: f.default({ defaultValue: null }),
      },
    },
  }));
  return Object.values(counts).reduce((sum, n) => sum + n, 0);
}

export { drizzleSeedReset };
