import type { MyQuest } from '../api/responses.js';

export const questStatusLabels: Record<MyQuest['status'], string> = {
  not_started: 'Not started',
  in_progress: 'In progress',
  submitted: 'Submitted',
  completed: 'Completed',
  rejected: 'Rejected',
};
