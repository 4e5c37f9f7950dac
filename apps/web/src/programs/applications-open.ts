import type { ProgramSummary } from '../api/responses.js';

/**
 * Whether "Apply" makes sense: the program has an application link, is
 * announced or running (not a draft, not completed or archived), and has not
 * ended. A completed program keeps its old link in the data; showing it would
 * send people to apply for something that is over.
 */
export function acceptsApplications(
  program: Pick<ProgramSummary, 'applicationUrl' | 'status' | 'endsAt'>,
  now: Date,
): boolean {
  if (!program.applicationUrl) return false;
  if (program.status !== 'published' && program.status !== 'active') return false;
  return program.endsAt === null || new Date(program.endsAt) > now;
}
