import type { InferResponseType } from 'hono/client';
import type { api } from './client.js';

/**
 * What the API answers, as its routes declare it (dates arrive as ISO
 * strings). Nothing here is written by hand: change a route's answer and the
 * code that reads it stops compiling.
 */
export type ProgramSummary = InferResponseType<typeof api.programs.$get>[number];

export type ProgramDetail = InferResponseType<(typeof api.programs)[':id']['$get']>;

export type QuestSummary = ProgramDetail['quests'][number];

/** GET /me: who the token belongs to. */
export type Caller = InferResponseType<typeof api.me.$get>;

/** GET /me/quests: the caller's quests with the quest itself and whether it is open now. */
export type MyQuest = InferResponseType<typeof api.me.quests.$get>[number];

/** GET /mentorships: only the latest few session notes, with how many there are in all. */
export type MentorshipView = InferResponseType<typeof api.mentorships.$get>[number];

/** GET /schema: the diagram `jam-db erd` drew and the migration status of the API's database. */
export type SchemaView = InferResponseType<typeof api.schema.$get>;

export type MigrationStatusView = SchemaView['migrations'];

/** GET /projects: a project with its program's name and its owner (never their email). */
export type ProjectView = InferResponseType<typeof api.projects.$get>[number];
