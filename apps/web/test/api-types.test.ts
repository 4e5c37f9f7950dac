import type { InferRequestType } from 'hono/client';
import { describe, expectTypeOf, it } from 'vitest';
import { api } from '../src/api/client.js';
import type {
  Caller,
  MentorshipView,
  MigrationStatusView,
  MyQuest,
  ProgramSummary,
  ProjectView,
  QuestSummary,
} from '../src/api/responses.js';

/**
 * The web app's types of the API's answers come from the API's routes
 * (`hc<AppType>`), never from a copy. These checks are made by TypeScript
 * (`pnpm typecheck`: tsc over test/), not at run time: when a route changes what
 * it answers or accepts, this file and the pages that read the field stop
 * compiling. Were the types lost (`any`), every `@ts-expect-error` below would
 * be unused, which tsc reports as an error too.
 */
describe('the API’s answers as the web app sees them', () => {
  it('are the rows the routes select, with dates as ISO strings', () => {
    expectTypeOf<ProgramSummary['startsAt']>().toEqualTypeOf<string | null>();
    expectTypeOf<ProgramSummary['tracks']>().toEqualTypeOf<string[] | null>();
    expectTypeOf<QuestSummary['points']>().toEqualTypeOf<number>();
    expectTypeOf<MyQuest['open']>().toEqualTypeOf<boolean>();
    expectTypeOf<MyQuest['quest']['programName']>().toEqualTypeOf<string>();
    expectTypeOf<MentorshipView['sessionNoteCount']>().toEqualTypeOf<number>();
    expectTypeOf<MigrationStatusView['lastMigratedBy']>().toEqualTypeOf<string | null>();
    expectTypeOf<Caller['role']>().toEqualTypeOf<
      'participant' | 'mentor' | 'organizer' | 'admin'
    >();
  });

  it('hold no field a route does not send', () => {
    expectTypeOf<ProjectView['owner']>().toEqualTypeOf<{ id: string; name: string }>();
    // @ts-expect-error a project's owner comes without their email
    expectTypeOf<ProjectView['owner']['email']>();
    // @ts-expect-error programs are listed without their bookkeeping timestamps
    expectTypeOf<ProgramSummary['createdAt']>();
  });
});

describe('what the web app sends', () => {
  it('is checked against the route’s validator', () => {
    type RatingRequest = InferRequestType<(typeof api.mentorships)[':id']['rating']['$post']>;
    expectTypeOf<RatingRequest['param']>().toEqualTypeOf<{ id: string }>();
    expectTypeOf<RatingRequest['json']['rating']>().toEqualTypeOf<number | null>();
    type Submission = InferRequestType<(typeof api.quests)[':id']['submission']['$post']>['json'];
    expectTypeOf<Submission['submissionUrls']>().toEqualTypeOf<string[] | undefined>();
    // @ts-expect-error the quest list filters by a known category only
    expectTypeOf(api.quests.$get).toBeCallableWith({ query: { category: 'cooking' } });
  });
});
