import type { Mentorship, Project, Quest, SessionNote, User, UserQuest } from '@jam/db/types';
import type { ProgramSummary } from '../programs/program-summary.js';
import type { OverJson } from './over-json.js';

/** What the API answers, typed from the schema's rows (type-only: nothing of @jam/db ships). */
export type QuestSummary = OverJson<Omit<Quest, 'createdAt' | 'updatedAt'>>;

export type ProgramDetail = ProgramSummary & { quests: QuestSummary[] };

export type Caller = Pick<User, 'id' | 'name' | 'email' | 'role'>;

export type MyQuest = OverJson<
  Pick<
    UserQuest,
    'id' | 'questId' | 'status' | 'completedAt' | 'submissionText' | 'submissionUrls' | 'updatedAt'
  >
> & { quest: QuestSummary & { programName: string }; open: boolean };

export type SubmittedQuest = Omit<MyQuest, 'quest' | 'open'>;

type Person = Pick<User, 'id' | 'name'>;

/** GET /mentorships: only the latest few session notes, with how many there are in all. */
export type MentorshipView = OverJson<Omit<Mentorship, 'sessionNotes'>> & {
  sessionNotes: SessionNote[];
  sessionNoteCount: number;
  mentor: Person;
  participant: Person;
};

/** GET /mentorships/:id/notes?limit=&offset=: one page of the notes, oldest first. */
export interface SessionNotesPage {
  total: number;
  limit: number;
  offset: number;
  notes: SessionNote[];
}

/** GET /schema: the diagram `jam-db erd` drew and the migration status of the API's database. */
export interface SchemaView {
  diagram: { svg: string; mermaid: string };
  migrations: MigrationStatusView;
}

export interface MigrationStatusView {
  applied: { tag: string; appliedAt: string | null }[];
  pending: { tag: string }[];
  lastMigratedBy: string | null;
}

/** POST /quests/:id/start: the caller's new quest, in progress. */
export type StartedQuest = SubmittedQuest;

/** GET /projects: a project with its program's name and its owner (never their email). */
export type ProjectView = OverJson<Omit<Project, 'ownerId' | 'updatedAt'>> & {
  programName: string;
  owner: Pick<User, 'id' | 'name'>;
};
