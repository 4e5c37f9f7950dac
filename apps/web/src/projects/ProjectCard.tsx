import type { ProjectView } from '../api/responses.js';
import { hrefOf } from '../routing/route.js';

/** The links a project may have, in the order a visitor wants them. */
const projectLinks = [
  ['productionUrl', 'Live site'],
  ['videoUrl', 'Demo video'],
  ['repositoryUrl', 'Code'],
  ['website', 'Website'],
] as const;

export function ProjectCard({
  project,
  showProgram,
}: {
  project: ProjectView;
  /** Off on a program's own page, where the program goes without saying. */
  showProgram: boolean;
}) {
  const links = projectLinks.flatMap(([field, label]) => {
    const url = project[field];
    return url ? [{ url, label }] : [];
  });
  return (
    <li className="card project" data-project-id={project.id}>
      <h3>{project.name}</h3>
      <p className="meta">
        by {project.owner.name}
        {showProgram && (
          <>
            {' '}
            · <a href={hrefOf({ page: 'program', id: project.programId })}>{project.programName}</a>
          </>
        )}
      </p>
      {project.description && <p>{project.description}</p>}
      {links.length > 0 && (
        <p className="project-links">
          {links.map(({ url, label }) => (
            <a key={label} href={url} rel="noopener noreferrer">
              {label}
            </a>
          ))}
        </p>
      )}
    </li>
  );
}
