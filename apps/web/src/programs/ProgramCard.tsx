import type { ProgramSummary } from '../api/responses.js';
import { formatProgramDates } from '../dates/format-dates.js';
import { hrefOf } from '../routing/route.js';
import { acceptsApplications } from './applications-open.js';

export function ProgramCard({ program, now }: { program: ProgramSummary; now: Date }) {
  return (
    <article className="card">
      <h2>
        <a href={hrefOf({ page: 'program', id: program.id })}>{program.name}</a>
      </h2>
      <p className="meta">
        {formatProgramDates(program)} · {program.status}
        {program.organizer && <> · by {program.organizer}</>}
      </p>
      {program.description && <p>{program.description}</p>}
      {program.tracks && program.tracks.length > 0 && <p>Tracks: {program.tracks.join(', ')}</p>}
      {acceptsApplications(program, now) && (
        <a href={program.applicationUrl!} className="apply">
          Apply
        </a>
      )}
    </article>
  );
}
