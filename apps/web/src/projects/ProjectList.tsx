import { useState } from 'react';
import { api } from '../api/client.js';
import { useApi } from '../api/use-api.js';
import { LoadState } from '../pages/LoadState.js';
import { ProjectCard } from './ProjectCard.js';

const pageSize = 20;

/** Projects a page at a time: all of them, or one program's. */
export function ProjectList({ programId }: { programId?: string }) {
  const [offset, setOffset] = useState(0);
  const query = {
    limit: String(pageSize),
    offset: String(offset),
    ...(programId ? { programId } : {}),
  };
  const { load } = useApi(`/projects?${new URLSearchParams(query)}`, (options) =>
    api.projects.$get({ query }, options),
  );
  return (
    <LoadState load={load} what="projects">
      {(projects) => (
        <>
          {projects.length === 0 && offset === 0 && <p>No projects yet.</p>}
          <ul className="projects">
            {projects.map((project) => (
              <ProjectCard key={project.id} project={project} showProgram={!programId} />
            ))}
          </ul>
          {(offset > 0 || projects.length === pageSize) && (
            <nav className="pager" aria-label="Project pages">
              <button
                type="button"
                disabled={offset === 0}
                onClick={() => setOffset(Math.max(0, offset - pageSize))}
              >
                Previous
              </button>
              <button
                type="button"
                disabled={projects.length < pageSize}
                onClick={() => setOffset(offset + pageSize)}
              >
                Next
              </button>
            </nav>
          )}
        </>
      )}
    </LoadState>
  );
}
