import type { Snapshot } from '../drizzle-kit/snapshots.js';
import { mermaidErd } from './mermaid.js';
import { erdModel } from './model.js';
import { svgErd } from './svg.js';

/** The files `jam-db erd` writes, by name. */
export interface Diagrams {
  'schema.mmd': string;
  'schema.svg': string;
}

/** Both diagrams of a TypeScript schema module, through drizzle-kit's own reading of it. */
export async function diagramsOf(schema: Record<string, unknown>): Promise<Diagrams> {
  const { generateDrizzleJson } = await import('drizzle-kit/api');
  const model = erdModel(generateDrizzleJson(schema) as unknown as Snapshot);
  return { 'schema.mmd': mermaidErd(model), 'schema.svg': await svgErd(model) };
}
