import { hrefOf, type Route } from '../routing/route.js';
import { useSession } from '../session/session.js';

const sections = [
  { route: { page: 'programs' }, label: 'Programs' },
  { route: { page: 'projects' }, label: 'Projects' },
  { route: { page: 'my-quests' }, label: 'My quests' },
  { route: { page: 'mentorships' }, label: 'Mentorships' },
  { route: { page: 'schema' }, label: 'Schema' },
] as const;

/** The page a link belongs to, so the current section is marked (a program counts as Programs). */
const sectionOf = (route: Route): Route['page'] =>
  route.page === 'program' ? 'programs' : route.page;

/**
 * Brand and who is signed in on the first line; the sections beside them on a
 * wide screen and on a line of their own on a phone (see styles.css).
 */
export function SiteHeader({ route }: { route: Route }) {
  const { caller } = useSession();
  const current = sectionOf(route);
  return (
    <header className="site-header">
      <a href={hrefOf({ page: 'programs' })} className="brand">
        Jam
      </a>
      <nav aria-label="Sections" className="sections">
        {sections.map(({ route: target, label }) => (
          <a
            key={target.page}
            href={hrefOf(target)}
            aria-current={current === target.page ? 'page' : undefined}
          >
            {label}
          </a>
        ))}
      </nav>
      <a href={hrefOf({ page: 'sign-in' })} className="who" title={caller?.name}>
        {caller ? `Signed in as ${caller.name}` : 'Sign in'}
      </a>
    </header>
  );
}
