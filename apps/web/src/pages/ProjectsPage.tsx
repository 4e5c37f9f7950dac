import { ProjectList } from '../projects/ProjectList.js';

export function ProjectsPage() {
  return (
    <section>
      <h1>Projects</h1>
      <p>What participants built in Jam's programs.</p>
      <ProjectList />
    </section>
  );
}
