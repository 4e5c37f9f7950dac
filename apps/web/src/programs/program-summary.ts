import type { Program } from '@jam/db/types';
import type { OverJson } from '../api/over-json.js';

/** A program as GET /programs sends it: the row without its bookkeeping timestamps. */
export type ProgramSummary = OverJson<Omit<Program, 'createdAt' | 'updatedAt'>>;
