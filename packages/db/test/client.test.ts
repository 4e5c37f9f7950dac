import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDb, type JamDb } from '../src/client/create-db.js';
import { readMigrationFolder } from '../src/drizzle-kit/migration-folder.js';
import { Migrator } from '../src/migrations/migrator.js';
import { mentorships, users } from '../src/schema/index.js';
import type { Mentorship, NewUser } from '../src/types.js';
import { packageMigrations } from './support/cli.js';
import {
  createScratchDatabase,
  type EngineName,
  enginesUnderTest,
  type ScratchDatabase,
  useNeonProxy,
} from './support/databases.js';

describe.each(enginesUnderTest)('createDb on %s', (engine: EngineName) => {
  if (engine === 'neon') useNeonProxy();
  let scratch: ScratchDatabase;
  let jam: JamDb;
  beforeEach(async () => {
    scratch = await createScratchDatabase(engine);
    await new Migrator({
      target: scratch.target,
      folder: readMigrationFolder(packageMigrations),
    }).migrate();
    jam = await createDb({ target: scratch.target });
  });
  afterEach(async () => {
    await jam.close();
    await scratch.drop();
  });

  it('reads and writes typed rows, and rolls a failed transaction back', async () => {
    expect(jam.engine).toBe(engine);
    const people: NewUser[] = [
      { email: 'm@example.com', name: 'M', role: 'mentor' },
      { email: 'p@example.com', name: 'P' },
    ];
    const [mentor, participant] = await jam.db.insert(users).values(people).returning();
    expect(participant?.role).toBe('participant');

    await expect(
      jam.db.transaction(async (tx) => {
        await tx
          .insert(mentorships)
          .values({ mentorId: mentor!.id, participantId: participant!.id });
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect(await jam.db.select().from(mentorships)).toEqual([]);

    await jam.db.insert(mentorships).values({
      mentorId: mentor!.id,
      participantId: participant!.id,
      sessionNotes: [{ date: '2026-01-05', topic: 'Kickoff', notes: 'Met', actionItems: ['Plan'] }],
    });
    const found: Mentorship | undefined = await jam.db.query.mentorships.findFirst({
      where: eq(mentorships.mentorId, mentor!.id),
    });
    expect(found?.sessionNotes?.[0]?.topic).toBe('Kickoff');
    expect(found?.status).toBe('active');
  });
});
