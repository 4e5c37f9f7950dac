import { SiteHeader } from './layout/SiteHeader.js';
import { MentorshipsPage } from './pages/MentorshipsPage.js';
import { MyQuestsPage } from './pages/MyQuestsPage.js';
import { ProgramPage } from './pages/ProgramPage.js';
import { ProgramsPage } from './pages/ProgramsPage.js';
import { ProjectsPage } from './pages/ProjectsPage.js';
import { SchemaPage } from './pages/SchemaPage.js';
import { SignInPage } from './pages/SignInPage.js';
import type { Route } from './routing/route.js';
import { useRoute } from './routing/use-route.js';

function Page({ route }: { route: Route }) {
  switch (route.page) {
    case 'programs':
      return <ProgramsPage />;
    case 'program':
      return <ProgramPage id={route.id} />;
    case 'projects':
      return <ProjectsPage />;
    case 'my-quests':
      return <MyQuestsPage />;
    case 'mentorships':
      return <MentorshipsPage />;
    case 'sign-in':
      return <SignInPage />;
    case 'schema':
      return <SchemaPage />;
    case 'not-found':
      return (
        <p role="alert">
          There is no such page here. See the <a href="#/">programs</a>.
        </p>
      );
  }
}

export function App() {
  const route = useRoute();
  return (
    <>
      <SiteHeader route={route} />
      <main>
        <Page route={route} />
      </main>
    </>
  );
}
