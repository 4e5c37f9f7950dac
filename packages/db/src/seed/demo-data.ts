import type {
  NewMentorship,
  NewProgram,
  NewProject,
  NewQuest,
  NewUser,
  NewUserQuest,
} from '../types.js';

/**
 * A small, fixed data set. Fixed ids make the seed idempotent: a second run finds
 * every row by its key and inserts nothing.
 */
const uuid = (n: number) => `00000000-0000-4000-8000-${n.toString().padStart(12, '0')}`;
const day = (iso: string) => new Date(`${iso}T00:00:00Z`);

export const demoUsers: NewUser[] = [
  { id: uuid(1), email: 'ada@jam.dev', name: 'Ada Organizer', role: 'organizer' },
  { id: uuid(2), email: 'grace@jam.dev', name: 'Grace Mentor', role: 'mentor' },
  { id: uuid(3), email: 'linus@jam.dev', name: 'Linus Participant', role: 'participant' },
  { id: uuid(4), email: 'margaret@jam.dev', name: 'Margaret Participant', role: 'participant' },
];

export const demoPrograms: NewProgram[] = [
  {
    id: uuid(101),
    slug: 'winter-jam-2026',
    name: 'Winter Jam 2026',
    description: 'Six weeks of building in public, with mentors.',
    startsAt: day('2026-12-01'),
    endsAt: day('2027-01-15'),
    status: 'published',
    organizer: 'Ada Organizer',
    applicationUrl: 'https://jam.dev/winter-2026/apply',
    submissionDeadline: day('2027-01-10'),
    tracks: ['AI', 'Developer tools', 'Climate'],
  },
];

export const demoQuests: NewQuest[] = [
  {
    id: uuid(201),
    programId: uuid(101),
    title: 'Ship a hello-world API',
    description: 'Deploy an endpoint that answers GET /health.',
    points: 50,
    availableFrom: day('2026-11-01'),
    dueDate: day('2027-01-10'),
    category: 'building',
    difficulty: 'beginner',
  },
  {
    id: uuid(202),
    programId: uuid(101),
    title: 'Write a design doc',
    description: 'One page: problem, users, approach.',
    points: 30,
    availableFrom: day('2026-11-01'),
    dueDate: day('2026-12-20'),
    category: 'design',
    difficulty: 'intermediate',
  },
];

export const demoUserQuests: NewUserQuest[] = [
  {
    id: uuid(301),
    userId: uuid(3),
    questId: uuid(201),
    status: 'submitted',
    submissionText: 'Deployed on a free tier; see the link.',
    submissionUrls: ['https://github.com/linus/hello-jam'],
  },
  { id: uuid(302), userId: uuid(4), questId: uuid(202), status: 'in_progress' },
];

export const demoProjects: NewProject[] = [
  {
    id: uuid(401),
    programId: uuid(101),
    ownerId: uuid(3),
    name: 'Quest Tracker',
    description: 'Tracks quests across programs.',
    repositoryUrl: 'https://github.com/linus/quest-tracker',
    videoUrl: 'https://video.jam.dev/quest-tracker',
    productionUrl: 'https://quest-tracker.jam.dev',
    website: 'https://linus.dev',
  },
];

export const demoMentorships: NewMentorship[] = [
  {
    id: uuid(501),
    mentorId: uuid(2),
    participantId: uuid(3),
    status: 'active',
    sessionNotes: [
      {
        date: '2026-12-03',
        topic: 'Scoping the MVP',
        notes: 'Cut the leaderboard; focus on submissions.',
        actionItems: ['Write the schema', 'Deploy a skeleton'],
      },
    ],
    mentorRating: 5,
    participantRating: 4,
  },
];
