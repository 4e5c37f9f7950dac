export * from './api-tokens.js';
export * from './mentorships.js';
export * from './programs.js';
export * from './projects.js';
export * from './quests.js';
export * from './user-quests.js';
export * from './users.js';
