import { describe, expect, it } from 'vitest';
import { hrefOf, parseRoute } from '../src/routing/route.js';

describe('parseRoute', () => {
  it.each([
    ['', { page: 'programs' }],
    ['#/', { page: 'programs' }],
    [
      '#/programs/5eed0002-0000-4000-8000-000000000000',
      { page: 'program', id: '5eed0002-0000-4000-8000-000000000000' },
    ],
    ['#/projects', { page: 'projects' }],
    ['#/my-quests', { page: 'my-quests' }],
    ['#/mentorships', { page: 'mentorships' }],
    ['#/sign-in', { page: 'sign-in' }],
    ['#/schema', { page: 'schema' }],
    ['#/nowhere', { page: 'not-found', hash: '#/nowhere' }],
  ])('reads %j', (hash, route) => {
    expect(parseRoute(hash)).toEqual(route);
  });

  it('reads back every link it makes', () => {
    for (const route of [
      { page: 'programs' },
      { page: 'program', id: 'a b' },
      { page: 'projects' },
      { page: 'my-quests' },
      { page: 'mentorships' },
      { page: 'sign-in' },
      { page: 'schema' },
    ] as const) {
      expect(parseRoute(hrefOf(route))).toEqual(route);
    }
  });
});
