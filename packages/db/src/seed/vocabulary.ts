/** Words the generated rows are made of: varied enough to look real in a list. */
export const firstNames = [
  'Amara',
  'Bo',
  'Carmen',
  'Dmitri',
  'Elif',
  'Farah',
  'Gustavo',
  'Hana',
  'Ibrahim',
  'Jonas',
  'Kwame',
  'Leila',
  'Mateo',
  'Nia',
  'Oskar',
  'Priya',
  'Quinn',
  'Rosa',
  'Sven',
  'Tariq',
  'Uma',
  'Valentina',
  'Wei',
  'Ximena',
  'Yusuf',
  'Zara',
  'Aiko',
  'Bruno',
  'Chloé',
  'Diego',
  'Esther',
  'Felix',
  'Ines',
  'Jun',
  'Kofi',
  'Lucia',
  'Malik',
  'Noor',
  'Olga',
  'Pedro',
] as const;

export const lastNames = [
  'Okafor',
  'Lindqvist',
  'Haddad',
  'Nakamura',
  'Silva',
  'Kowalski',
  'Mensah',
  'Rossi',
  'Patel',
  'Novak',
  'García',
  'Ivanova',
  'Chen',
  'Dubois',
  'Yilmaz',
  'Andersen',
  'Mbeki',
  'Kim',
  'Hughes',
  'Moreau',
  'Fischer',
  'Santos',
  'Nguyen',
  'Kaya',
  'Oyelaran',
  'Bauer',
  'Costa',
  'Sato',
  'Varga',
  'Reyes',
] as const;

export const programAdjectives = [
  'Open',
  'Green',
  'Quantum',
  'Civic',
  'Tiny',
  'Bright',
  'Northern',
  'Coastal',
  'Rapid',
  'Curious',
  'Quiet',
  'Bold',
] as const;

export const programNouns = [
  'Builders',
  'Garden',
  'Sprint',
  'Hack',
  'Lab',
  'Forge',
  'Studio',
  'Quest',
  'Makers',
  'Circuit',
] as const;

export const organizers = [
  'Jam Crew Berlin',
  'Lagos Tech Circle',
  'Open Source Lisboa',
  'Nordic Makers',
  'Civic Jam Collective',
  'Student Devs Montréal',
  'Hack Club Osaka',
  'Women in Code Nairobi',
] as const;

export const trackNames = [
  'AI',
  'Developer tools',
  'Climate',
  'Health',
  'Education',
  'Games',
  'Accessibility',
  'Fintech',
  'Open data',
  'Hardware',
] as const;

export const questTitles = {
  learning: [
    'Finish the {topic} tutorial',
    'Teach yourself {topic}',
    'Take notes on a {topic} talk',
  ],
  building: ['Ship a {topic} prototype', 'Add {topic} to your project', 'Deploy a {topic} demo'],
  community: ['Host a {topic} meetup', 'Review two {topic} projects', 'Answer {topic} questions'],
  design: ['Sketch the {topic} flow', 'Run a {topic} usability test', 'Redesign a {topic} screen'],
  research: [
    'Survey users about {topic}',
    'Compare three {topic} tools',
    'Summarise a {topic} paper',
  ],
} as const;

export const questTopics = [
  'TypeScript',
  'PostgreSQL',
  'WebSockets',
  'accessibility',
  'testing',
  'search',
  'offline mode',
  'payments',
  'maps',
  'notifications',
  'dark mode',
  'rate limiting',
] as const;

export const submissionTexts = [
  'Done: the write-up and the code are linked below.',
  'First version is live; feedback welcome.',
  'It took longer than planned, but it works end to end.',
  'Here is what I built and what I would do differently.',
  'Recorded a short demo; the repository has the details.',
] as const;

export const sessionTopics = [
  'Scoping the idea',
  'Database design',
  'Debugging a deploy',
  'Preparing the demo',
  'User feedback',
  'Time management',
  'Pitch practice',
  'Code review',
] as const;

export const sessionNotes = [
  'Agreed to cut scope and ship the core flow first.',
  'Walked through the schema; two tables can merge.',
  'The deploy failed on a missing environment variable.',
  'Rehearsed the three-minute demo twice.',
  'Users want fewer steps before the first result.',
] as const;

export const actionItems = [
  'Write the README',
  'Add tests for the happy path',
  'Book the next session',
  'Record a demo video',
  'Ask two users for feedback',
  'Fix the failing build',
] as const;

export const projectNouns = [
  'Tracker',
  'Planner',
  'Finder',
  'Board',
  'Bot',
  'Map',
  'Coach',
  'Radar',
  'Journal',
  'Hub',
] as const;
