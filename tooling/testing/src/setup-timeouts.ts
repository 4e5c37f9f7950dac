import { inject, vi } from 'vitest';
import { type Work, workBudget } from './work-budget.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The work of a typical test of the project; heavier tests pass their own budget. */
    typicalWork: Work;
  }
}

const budget = workBudget(inject('typicalWork') ?? {});
vi.setConfig({ testTimeout: budget, hookTimeout: budget });
