import type {
  Mentorship,
  Program,
  Project,
  Quest,
  SessionNote,
  User,
  UserQuest,
  UserRole,
} from '../types.js';
import {
  demoMentorships,
  demoPrograms,
  demoProjects,
  demoQuestsOf,
  demoUserQuestsOf,
  demoUsers,
} from './demo-data.js';
import { Random } from './random.js';
import { questSlotsPerProgram, seedId, userQuestSlotsPerUser } from './seed-ids.js';
import { addDays, dayMs, firstGeneratedProgramDay, seedReferenceDate } from './time.js';
import {
  actionItems,
  firstNames,
  lastNames,
  organizers,
  programAdjectives,
  programNouns,
  projectNouns,
  questTitles,
  questTopics,
  sessionNotes as sessionNoteTexts,
  sessionTopics,
  submissionTexts,
  trackNames,
} from './vocabulary.js';

/**
 * Every row is a pure function of its index: user 42 depends on nothing but 42,
 * and what user 42 joins exists at every scale that has user 42. So the same
 * scale gives the same rows, and a larger scale only adds rows.
 */
export const usersPerGeneratedProgram = 100;

/** Users 0 … scale-1 exist; programs 0 … programCount(scale)-1. */
export const programCount = (scale: number): number =>
  demoPrograms.length + Math.floor(scale / usersPerGeneratedProgram);

/** User `index` may join the programs that exist at every scale above `index`. */
const programsVisibleTo = (userIndex: number): number =>
  demoPrograms.length + Math.floor(userIndex / usersPerGeneratedProgram);

const isDemoUser = (index: number) => index < demoUsers.length;

export function roleOf(userIndex: number): UserRole {
  if (isDemoUser(userIndex)) return demoUsers[userIndex]!.role;
  return Random.for('role', userIndex).weighted<UserRole>([
    ['participant', 80],
    ['mentor', 12],
    ['organizer', 6],
    ['admin', 2],
  ]);
}

const userCreatedAt = (index: number) => new Date(Date.UTC(2025, 0, 2) + index * 61_000);

export function userAt(index: number): User {
  if (isDemoUser(index)) return demoUsers[index]!;
  const random = Random.for('user', index);
  const first = random.pick(firstNames);
  const last = random.pick(lastNames);
  const local = `${first}.${last}`
    .toLowerCase()
    .normalize('NFD')
    .replace(/[^a-z.]/g, '');
  const createdAt = userCreatedAt(index);
  return {
    id: seedId('user', index),
    email: `${local}.${index}@example.com`,
    name: `${first} ${last}`,
    role: roleOf(index),
    createdAt,
    updatedAt: createdAt,
  };
}

const trimmedDay = (date: Date) => new Date(Math.floor(date.getTime() / dayMs) * dayMs);

export function programAt(index: number): Program {
  const demo = demoPrograms[index];
  if (demo) return demo;
  const random = Random.for('program', index);
  const name = `${random.pick(programAdjectives)} ${random.pick(programNouns)}`;
  const startsAt = addDays(firstGeneratedProgramDay, random.int(0, 9 * 365));
  const endsAt = addDays(startsAt, random.int(4, 12) * 7);
  const slug = `${name.toLowerCase().replace(/ /g, '-')}-${startsAt.getUTCFullYear()}-${index}`;
  const status: Program['status'] =
    endsAt < seedReferenceDate
      ? random.chance(0.1)
        ? 'archived'
        : 'completed'
      : startsAt > seedReferenceDate
        ? random.chance(0.2)
          ? 'draft'
          : 'published'
        : 'active';
  const createdAt = addDays(startsAt, -random.int(30, 90));
  return {
    id: seedId('program', index),
    slug,
    name: `${name} ${startsAt.getUTCFullYear()}`,
    description: `${name} runs for ${Math.round((endsAt.getTime() - startsAt.getTime()) / (7 * dayMs))} weeks.`,
    startsAt,
    endsAt,
    status,
    organizer: random.pick(organizers),
    applicationUrl: `https://jam.example/${slug}/apply`,
    submissionDeadline: addDays(endsAt, -2),
    tracks: random.sample(trackNames, random.int(1, 4)),
    createdAt,
    updatedAt: createdAt,
  };
}

const questCategoryCycle = ['learning', 'building', 'community', 'design', 'research'] as const;

/** Every participant looks up the quests of their programs: build each program's list once. */
const questsByProgram = new Map<number, Quest[]>();

export function questsOf(programIndex: number): Quest[] {
  let quests = questsByProgram.get(programIndex);
  if (!quests) {
    quests = buildQuestsOf(programIndex);
    questsByProgram.set(programIndex, quests);
  }
  return quests;
}

function buildQuestsOf(programIndex: number): Quest[] {
  if (programIndex < demoPrograms.length) return demoQuestsOf(programIndex);
  const program = programAt(programIndex);
  const random = Random.for('quests', programIndex);
  const count = random.int(8, 12);
  const length = (program.endsAt!.getTime() - program.startsAt!.getTime()) / dayMs;
  return Array.from({ length: count }, (_, slot) => {
    const category = questCategoryCycle[(programIndex + slot) % questCategoryCycle.length]!;
    const topic = random.pick(questTopics);
    const availableFrom = addDays(program.startsAt!, random.int(0, Math.floor(length / 2)));
    const dueDate = trimmedDay(
      new Date(
        Math.min(
          addDays(availableFrom, random.int(7, length)).getTime(),
          program.submissionDeadline!.getTime(),
        ),
      ),
    );
    return {
      id: seedId('quest', programIndex * questSlotsPerProgram + slot),
      programId: program.id,
      title: random.pick(questTitles[category]).replace('{topic}', topic),
      description: `A ${category} quest about ${topic}.`,
      points: random.int(1, 10) * 10,
      availableFrom,
      dueDate,
      category,
      difficulty: random.weighted([
        ['beginner', 4],
        ['intermediate', 4],
        ['advanced', 2],
      ] as const),
      createdAt: program.createdAt,
      updatedAt: program.createdAt,
    };
  });
}

/** The programs a generated participant takes part in: their cohort's newest, sometimes one more. */
function programsOfParticipant(userIndex: number, random: Random): number[] {
  const visible = programsVisibleTo(userIndex);
  const newest = visible - 1;
  const chosen = new Set([random.chance(0.6) ? newest : random.int(0, newest)]);
  if (random.chance(0.3)) chosen.add(random.int(0, newest));
  return [...chosen];
}

export function userQuestsOf(userIndex: number): UserQuest[] {
  if (isDemoUser(userIndex)) return demoUserQuestsOf(userIndex);
  if (roleOf(userIndex) !== 'participant') return [];
  const random = Random.for('userQuests', userIndex);
  const quests = programsOfParticipant(userIndex, random).flatMap(questsOf);
  const userId = seedId('user', userIndex);
  const joinedAt = userCreatedAt(userIndex);
  return random.sample(quests, random.int(1, 4)).map((quest, slot) => {
    const started = quest.availableFrom! <= seedReferenceDate;
    const status: UserQuest['status'] = started
      ? random.weighted([
          ['not_started', 15],
          ['in_progress', 25],
          ['submitted', 25],
          ['completed', 25],
          ['rejected', 10],
        ] as const)
      : 'not_started';
    const handedIn = status === 'submitted' || status === 'completed' || status === 'rejected';
    const completedAt =
      status === 'completed' ? addDays(quest.availableFrom!, random.int(1, 20)) : null;
    const createdAt = new Date(Math.max(quest.availableFrom!.getTime(), joinedAt.getTime()));
    return {
      id: seedId('userQuest', userIndex * userQuestSlotsPerUser + slot),
      userId,
      questId: quest.id,
      status,
      completedAt,
      submissionText: handedIn ? random.pick(submissionTexts) : null,
      submissionUrls: handedIn
        ? Array.from(
            { length: random.int(1, 2) },
            (_, n) => `https://github.com/jam-user-${userIndex}/quest-${slot}-${n}`,
          )
        : null,
      createdAt,
      updatedAt: completedAt ?? createdAt,
    };
  });
}

export function projectsOf(userIndex: number): Project[] {
  if (isDemoUser(userIndex))
    return demoProjects.filter((p) => p.ownerId === seedId('user', userIndex));
  if (roleOf(userIndex) !== 'participant') return [];
  const random = Random.for('project', userIndex);
  if (!random.chance(0.25)) return [];
  const programIndex = programsOfParticipant(userIndex, Random.for('userQuests', userIndex))[0]!;
  const name = `${random.pick(questTopics)} ${random.pick(projectNouns)}`;
  const handle = `jam-user-${userIndex}`;
  const createdAt = userCreatedAt(userIndex);
  return [
    {
      id: seedId('project', userIndex),
      programId: seedId('program', programIndex),
      ownerId: seedId('user', userIndex),
      name: name[0]!.toUpperCase() + name.slice(1),
      description: `A ${name.toLowerCase()} built during the program.`,
      repositoryUrl: `https://github.com/${handle}/${name.toLowerCase().replace(/ /g, '-')}`,
      videoUrl: random.chance(0.5) ? `https://video.example/${handle}` : null,
      productionUrl: random.chance(0.6) ? `https://${handle}.example` : null,
      website: random.chance(0.3) ? `https://${handle}.example/about` : null,
      createdAt,
      updatedAt: createdAt,
    },
  ];
}

/** A mentor among the users before `userIndex`, found by walking down from a random one. */
function mentorBefore(userIndex: number, random: Random): number | null {
  for (let candidate = random.int(0, userIndex - 1); candidate >= 0; candidate--) {
    if (roleOf(candidate) === 'mentor') return candidate;
  }
  return null;
}

export function mentorshipsOf(userIndex: number): Mentorship[] {
  if (isDemoUser(userIndex)) {
    return demoMentorships.filter((m) => m.participantId === seedId('user', userIndex));
  }
  if (roleOf(userIndex) !== 'participant') return [];
  const random = Random.for('mentorship', userIndex);
  if (!random.chance(0.3)) return [];
  const mentor = mentorBefore(userIndex, random);
  if (mentor === null) return [];
  const status = random.weighted([
    ['active', 5],
    ['paused', 1],
    ['completed', 3],
    ['cancelled', 1],
  ] as const);
  const start = addDays(userCreatedAt(userIndex), random.int(1, 30));
  const sessionNotes: SessionNote[] = Array.from({ length: random.int(0, 4) }, (_, n) => ({
    date: addDays(start, n * 7)
      .toISOString()
      .slice(0, 10),
    topic: random.pick(sessionTopics),
    notes: random.pick(sessionNoteTexts),
    actionItems: random.sample(actionItems, random.int(0, 3)),
  }));
  const rated = status === 'completed' || random.chance(0.3);
  return [
    {
      id: seedId('mentorship', userIndex),
      mentorId: seedId('user', mentor),
      participantId: seedId('user', userIndex),
      status,
      sessionNotes: sessionNotes.length > 0 ? sessionNotes : null,
      mentorRating: rated ? random.int(1, 5) : null,
      participantRating: rated && random.chance(0.8) ? random.int(2, 5) : null,
      createdAt: start,
      updatedAt: start,
    },
  ];
}
