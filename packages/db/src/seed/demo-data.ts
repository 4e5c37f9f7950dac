import type { Mentorship, Program, Project, Quest, User, UserQuest } from '../types.js';
import { questSlotsPerProgram, seedId, userQuestSlotsPerUser } from './seed-ids.js';
import { utcDay } from './time.js';

/**
 * The named people and programs a developer signs in as and clicks through.
 * They are users 0–5 and programs 0–2 of every scale; generated rows follow.
 */
const created = utcDay('2025-01-02');
const stamps = { createdAt: created, updatedAt: created };

export const demoUsers: User[] = [
  { email: 'ada@demo.jam.dev', name: 'Ada Organizer', role: 'organizer' as const },
  { email: 'grace@demo.jam.dev', name: 'Grace Mentor', role: 'mentor' as const },
  { email: 'katherine@demo.jam.dev', name: 'Katherine Mentor', role: 'mentor' as const },
  { email: 'linus@demo.jam.dev', name: 'Linus Participant', role: 'participant' as const },
  { email: 'margaret@demo.jam.dev', name: 'Margaret Participant', role: 'participant' as const },
  { email: 'alan@demo.jam.dev', name: 'Alan Admin', role: 'admin' as const },
].map((user, index) => ({ id: seedId('user', index), ...user, ...stamps }));

const [, grace, katherine, linus, margaret] = demoUsers.map((user) => user.id) as [
  string,
  string,
  string,
  string,
  string,
];

export const demoPrograms: Program[] = [
  {
    slug: 'evergreen-jam',
    name: 'Evergreen Jam',
    description: 'A long-running jam: pick a quest, build in public, get feedback from mentors.',
    startsAt: utcDay('2025-01-06'),
    endsAt: utcDay('2035-12-21'),
    status: 'active' as const,
    organizer: 'Ada Organizer',
    applicationUrl: 'https://jam.example/evergreen-jam/apply',
    submissionDeadline: utcDay('2035-12-14'),
    tracks: ['AI', 'Developer tools', 'Climate'],
  },
  {
    slug: 'summer-hack-2024',
    name: 'Summer Hack 2024',
    description: 'Four weeks of hacking on civic tech. Closed: see the projects it produced.',
    startsAt: utcDay('2024-07-01'),
    endsAt: utcDay('2024-07-29'),
    status: 'completed' as const,
    organizer: 'Civic Jam Collective',
    applicationUrl: 'https://jam.example/summer-hack-2024/apply',
    submissionDeadline: utcDay('2024-07-26'),
    tracks: ['Civic tech', 'Open data'],
  },
  {
    slug: 'spring-build-2031',
    name: 'Spring Build 2031',
    description: 'Applications are open; quests unlock when the program starts.',
    startsAt: utcDay('2031-03-03'),
    endsAt: utcDay('2031-04-28'),
    status: 'published' as const,
    organizer: 'Ada Organizer',
    applicationUrl: 'https://jam.example/spring-build-2031/apply',
    submissionDeadline: utcDay('2031-04-21'),
    tracks: ['Games', 'Accessibility', 'Hardware'],
  },
].map((program, index) => ({
  id: seedId('program', index),
  ...program,
  createdAt: created,
  updatedAt: created,
}));

type DemoQuest = Omit<Quest, 'id' | 'programId' | 'createdAt' | 'updatedAt'>;

const evergreenWindow = { availableFrom: utcDay('2025-01-06'), dueDate: utcDay('2035-12-14') };

/** Quests of each demo program, by the program's index. */
const demoQuestsByProgram: DemoQuest[][] = [
  [
    {
      title: 'Ship a hello-world API',
      description: 'Deploy an endpoint that answers GET /health and link it.',
      points: 50,
      category: 'building',
      difficulty: 'beginner',
      ...evergreenWindow,
    },
    {
      title: 'Write a one-page design doc',
      description: 'Problem, users, approach, and what you will not build.',
      points: 30,
      category: 'design',
      difficulty: 'intermediate',
      ...evergreenWindow,
    },
    {
      title: 'Pair on a bug with a mentor',
      description: 'Book a session, fix a real bug together, write down what you learned.',
      points: 40,
      category: 'community',
      difficulty: 'beginner',
      ...evergreenWindow,
    },
    {
      title: 'Read and summarise a paper',
      description: 'Pick a paper from the reading list and explain it in 500 words.',
      points: 60,
      category: 'research',
      difficulty: 'advanced',
      ...evergreenWindow,
    },
    {
      title: 'Finish the SQL basics course',
      description: 'Complete the course and post your certificate link.',
      points: 20,
      category: 'learning',
      difficulty: 'beginner',
      ...evergreenWindow,
    },
    {
      title: 'Load-test your API',
      description: 'Measure p95 latency at 100 requests per second and share the numbers.',
      points: 80,
      category: 'building',
      difficulty: 'advanced',
      ...evergreenWindow,
    },
  ],
  [
    {
      title: 'Map an open data set',
      description: 'Publish a map built from a city open-data set.',
      points: 70,
      category: 'building',
      difficulty: 'intermediate',
      availableFrom: utcDay('2024-07-01'),
      dueDate: utcDay('2024-07-26'),
    },
    {
      title: 'Interview three residents',
      description: 'Find out what they need from the city website.',
      points: 40,
      category: 'research',
      difficulty: 'beginner',
      availableFrom: utcDay('2024-07-01'),
      dueDate: utcDay('2024-07-12'),
    },
  ],
  [
    {
      title: 'Prototype an accessible controller',
      description: 'A game controller for one hand, 3D-printed or cardboard.',
      points: 90,
      category: 'design',
      difficulty: 'advanced',
      availableFrom: utcDay('2031-03-03'),
      dueDate: utcDay('2031-04-21'),
    },
    {
      title: 'Learn the basics of WebGPU',
      description: 'Render a triangle, then a thousand.',
      points: 30,
      category: 'learning',
      difficulty: 'intermediate',
      availableFrom: utcDay('2031-03-03'),
      dueDate: utcDay('2031-03-31'),
    },
  ],
];

export const demoQuestsOf = (programIndex: number): Quest[] =>
  (demoQuestsByProgram[programIndex] ?? []).map((quest, slot) => ({
    id: seedId('quest', programIndex * questSlotsPerProgram + slot),
    programId: seedId('program', programIndex),
    ...quest,
    createdAt: created,
    updatedAt: created,
  }));

const questId = (programIndex: number, slot: number) =>
  seedId('quest', programIndex * questSlotsPerProgram + slot);

type DemoUserQuest = Omit<UserQuest, 'id' | 'userId' | 'createdAt' | 'updatedAt'>;

const notSubmitted = { completedAt: null, submissionText: null, submissionUrls: null };

/** Each demo participant's quests, in every status, by the user's index. */
const demoUserQuestsByUser: Record<number, DemoUserQuest[]> = {
  3: [
    {
      questId: questId(0, 0),
      status: 'submitted',
      completedAt: null,
      submissionText: 'Deployed on a free tier; the health check answers in 40 ms.',
      submissionUrls: ['https://github.com/linus-demo/hello-jam', 'https://hello-jam.example'],
    },
    { questId: questId(0, 1), status: 'in_progress', ...notSubmitted },
    { questId: questId(0, 2), status: 'not_started', ...notSubmitted },
    {
      questId: questId(0, 4),
      status: 'completed',
      completedAt: utcDay('2025-02-10'),
      submissionText: 'Finished all twelve chapters.',
      submissionUrls: ['https://courses.example/certificates/linus-sql'],
    },
    {
      questId: questId(1, 1),
      status: 'rejected',
      completedAt: null,
      submissionText: 'Interviewed two people.',
      submissionUrls: null,
    },
  ],
  4: [
    { questId: questId(0, 0), status: 'in_progress', ...notSubmitted },
    {
      questId: questId(0, 3),
      status: 'completed',
      completedAt: utcDay('2025-03-01'),
      submissionText: 'A summary of "Out of the Tar Pit".',
      submissionUrls: ['https://margaret-demo.example/tar-pit'],
    },
    {
      questId: questId(1, 0),
      status: 'completed',
      completedAt: utcDay('2024-07-20'),
      submissionText: 'Bike lanes and the accidents near them.',
      submissionUrls: ['https://maps.example/bike-lanes'],
    },
  ],
};

export const demoUserQuestsOf = (userIndex: number): UserQuest[] =>
  (demoUserQuestsByUser[userIndex] ?? []).map((userQuest, slot) => ({
    id: seedId('userQuest', userIndex * userQuestSlotsPerUser + slot),
    userId: seedId('user', userIndex),
    ...userQuest,
    createdAt: created,
    updatedAt: userQuest.completedAt ?? created,
  }));

export const demoProjects: Project[] = [
  {
    id: seedId('project', 3),
    programId: seedId('program', 0),
    ownerId: linus,
    name: 'Quest Tracker',
    description: 'Tracks quests across programs, with reminders before deadlines.',
    repositoryUrl: 'https://github.com/linus-demo/quest-tracker',
    videoUrl: 'https://video.example/quest-tracker',
    productionUrl: 'https://quest-tracker.example',
    website: 'https://linus-demo.example',
    ...stamps,
  },
  {
    id: seedId('project', 4),
    programId: seedId('program', 1),
    ownerId: margaret,
    name: 'Bike Lane Map',
    description: 'Where the city’s bike lanes are, and where they are missing.',
    repositoryUrl: 'https://github.com/margaret-demo/bike-lanes',
    videoUrl: null,
    productionUrl: 'https://maps.example/bike-lanes',
    website: null,
    ...stamps,
  },
];

/** Generated mentorships take the ids of their participant's index (6 and up); these take 0–2. */
export const demoMentorships: Mentorship[] = [
  {
    id: seedId('mentorship', 0),
    mentorId: grace,
    participantId: linus,
    status: 'active',
    sessionNotes: [
      {
        date: '2025-01-20',
        topic: 'Scoping the MVP',
        notes: 'Cut the leaderboard; focus on submissions and reminders.',
        actionItems: ['Write the schema', 'Deploy a skeleton'],
      },
      {
        date: '2025-02-03',
        topic: 'First users',
        notes: 'Three classmates tried it; the sign-up form confused two of them.',
        actionItems: ['Simplify sign-up', 'Add an empty state'],
      },
    ],
    mentorRating: 4,
    // Left open so the demo participant can rate the mentorship.
    participantRating: null,
    ...stamps,
  },
  {
    id: seedId('mentorship', 1),
    mentorId: katherine,
    participantId: margaret,
    status: 'completed',
    sessionNotes: [
      {
        date: '2024-07-08',
        topic: 'Choosing a data set',
        notes: 'Accidents data is richer than the traffic counts.',
        actionItems: ['Request the 2023 accident data'],
      },
    ],
    mentorRating: 5,
    participantRating: 5,
    ...stamps,
  },
  {
    id: seedId('mentorship', 2),
    mentorId: grace,
    participantId: margaret,
    status: 'paused',
    sessionNotes: null,
    mentorRating: null,
    participantRating: null,
    ...stamps,
  },
];
