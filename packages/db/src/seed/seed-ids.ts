/**
 * Seeded rows get ids computed from what they are, never random ones: the second
 * run computes the same ids, finds them taken and inserts nothing. The `5eed`
 * prefix makes seed rows easy to spot; each kind of row has its own block.
 */
const kindCodes = {
  user: '0001',
  program: '0002',
  quest: '0003',
  userQuest: '0004',
  project: '0005',
  mentorship: '0006',
  apiToken: '0007',
} as const;

export type SeedKind = keyof typeof kindCodes;

export const seedId = (kind: SeedKind, index: number): string =>
  `5eed${kindCodes[kind]}-0000-4000-8000-${index.toString().padStart(12, '0')}`;

/** Room for quests per program and quests per user inside one id block. */
export const questSlotsPerProgram = 64;
export const userQuestSlotsPerUser = 16;
