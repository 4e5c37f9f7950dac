import { MentorshipsPage } from './pages/MentorshipsPage.js';
import { MyQuestsPage } from './pages/MyQuestsPage.js';
import { ProgramPage } from './pages/ProgramPage.js';
import { ProgramsPage } from './pages/ProgramsPage.js';
import { SchemaPage } from './pages/SchemaPage.js';
import { SignInPage } from './pages/SignInPage.js';
import { hrefOf, type Route } from './routing/route.js';
import { useRoute } from './routing/use-route.js';
import { useSession } from './session/session.js';

function Page({ route }: { route: Route }) {
  switch (route.page) {
    case 'programs':
      return <ProgramsPage />;
    case 'program':
      return <ProgramPage id={route.id} />;
    case 'my-quests':
      return <MyQuestsPage />;
    case 'mentorships':
      return <MentorshipsPage />;
    case 'sign-in':
      return <SignInPage />;
    case 'schema':
      return <SchemaPage />;
    case 'not-found':
      return <p role="alert">There is no page {route.hash}.</p>;
  }
}

export function App() {
  const route = useRoute();
  const { caller } = useSession();
  return (
    <>
      <header>
        <nav>
          <a href={hrefOf({ page: 'programs' })} className="brand">
            Jam
          </a>
          <a href={hrefOf({ page: 'programs' })}>Programs</a>
          <a href={hrefOf({ page: 'my-quests' })}>My quests</a>
          <a href={hrefOf({ page: 'mentorships' })}>Mentorships</a>
          <a href={hrefOf({ page: 'schema' })}>Schema</a>
          <a href={hrefOf({ page: 'sign-in' })} className="who">
            {caller ? `Signed in as ${caller.name}` : 'Sign in'}
          </a>
        </nav>
      </header>
      <main>
        <Page route={route} />
      </main>
    </>
  );
}
