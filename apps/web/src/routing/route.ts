/** The pages, addressed by the URL's hash so any static server can host the app. */
export type Route =
  | { page: 'programs' }
  | { page: 'program'; id: string }
  | { page: 'projects' }
  | { page: 'my-quests' }
  | { page: 'mentorships' }
  | { page: 'sign-in' }
  | { page: 'schema' }
  | { page: 'not-found'; hash: string };

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '') || '/';
  if (path === '/') return { page: 'programs' };
  const program = /^\/programs\/([^/]+)$/.exec(path);
  if (program) return { page: 'program', id: decodeURIComponent(program[1]!) };
  if (path === '/projects') return { page: 'projects' };
  if (path === '/my-quests') return { page: 'my-quests' };
  if (path === '/mentorships') return { page: 'mentorships' };
  if (path === '/sign-in') return { page: 'sign-in' };
  if (path === '/schema') return { page: 'schema' };
  return { page: 'not-found', hash };
}

export const hrefOf = (route: Exclude<Route, { page: 'not-found' }>): string => {
  switch (route.page) {
    case 'programs':
      return '#/';
    case 'program':
      return `#/programs/${encodeURIComponent(route.id)}`;
    default:
      return `#/${route.page}`;
  }
};
