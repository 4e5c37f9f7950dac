import { formatProgramDates } from './format-dates.js';
import type { ProgramSummary } from './program-summary.js';

export function ProgramCard({ program }: { program: ProgramSummary }) {
  return (
    <article>
      <h2>{program.name}</h2>
      <p>
        {formatProgramDates(program)} · {program.status}
        {program.organizer && <> · by {program.organizer}</>}
      </p>
      {program.description && <p>{program.description}</p>}
      {program.tracks && program.tracks.length > 0 && <p>Tracks: {program.tracks.join(', ')}</p>}
      {program.applicationUrl && <a href={program.applicationUrl}>Apply</a>}
    </article>
  );
}
