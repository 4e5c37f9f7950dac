import type { ElkExtendedEdge, ElkNode, ElkPort } from 'elkjs/lib/elk.bundled.js';
import type { ErdModel, ErdRelation } from './model.js';
import { metrics, rowOffset, type TableBox, tableBox } from './table-box.js';

/**
 * The widest diagram that still shows at full size in the web app's page
 * column (60rem) and on a printed landscape page; wider ones get scaled down
 * until their text is hard to read.
 */
export const pageWidth = 960;

export interface Point {
  x: number;
  y: number;
}

export interface PlacedTable extends TableBox {
  x: number;
  y: number;
}

/** -1: a line leaves the box to the left; 1: to the right. */
export type Side = -1 | 1;

/** A reference drawn as a polyline of horizontal and vertical segments, from the foreign key to the column it references. */
export interface RoutedEdge {
  relation: ErdRelation;
  points: Point[];
  fromSide: Side;
  toSide: Side;
}

export interface Layout {
  tables: Map<string, PlacedTable>;
  edges: RoutedEdge[];
  /** Page size around the tables and lines: margins and room for a title above them. */
  width: number;
  height: number;
}

/** Layers from left to right first; top to bottom when that is narrower and left to right would not fit the page. */
const directions = ['RIGHT', 'DOWN'] as const;
type Direction = (typeof directions)[number];

/**
 * Places the tables with ELK's layered algorithm (referenced tables before
 * the tables that reference them) and routes each reference orthogonally
 * around the boxes, from the row of the foreign key to the row of the column
 * it references. Same model, same layout: ELK's layered algorithm is
 * deterministic.
 */
export async function layoutErd(model: ErdModel): Promise<Layout> {
  const boxes = new Map(model.tables.map((table) => [table.name, tableBox(table)]));
  const relations = model.relations.filter((r) => boxes.has(r.from) && boxes.has(r.to));
  let best: Layout | undefined;
  for (const direction of directions) {
    const layout = await runElk(boxes, relations, direction);
    if (!best || layout.width < best.width) best = layout;
    if (best.width <= pageWidth) break;
  }
  return best!;
}

/** Lines keep this far from boxes they pass, so the crow's-foot ends sit on a straight stretch. */
const endReach = 24;

const layoutOptions = (direction: Direction): Record<string, string> => ({
  'elk.algorithm': 'layered',
  'elk.direction': direction,
  'elk.edgeRouting': 'ORTHOGONAL',
  'elk.spacing.nodeNode': '30',
  'elk.spacing.edgeEdge': '10',
  'elk.spacing.edgeNode': String(endReach),
  'elk.layered.spacing.nodeNodeBetweenLayers': '40',
  'elk.layered.spacing.edgeNodeBetweenLayers': String(endReach),
  'elk.layered.spacing.edgeEdgeBetweenLayers': '10',
  'elk.layered.nodePlacement.strategy': 'NETWORK_SIMPLEX',
  // Tables come sorted by name: keeping that order where the layout allows makes diagrams easy to compare.
  'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
  'elk.padding': '[top=0,left=0,bottom=0,right=0]',
  // Tables that no reference connects are packed in a block; a portrait one keeps it within the page's width.
  'elk.aspectRatio': '0.7',
});

type PortSide = 'WEST' | 'EAST';
const portId = (table: string, column: string, side: PortSide) =>
  JSON.stringify([table, column, side]);

async function runElk(
  boxes: Map<string, TableBox>,
  relations: ErdRelation[],
  direction: Direction,
): Promise<Layout> {
  const ports = new Map<string, ElkPort[]>([...boxes.keys()].map((name) => [name, []]));
  const port = (table: string, column: string, side: PortSide): string => {
    const id = portId(table, column, side);
    const list = ports.get(table)!;
    if (!list.some((p) => p.id === id)) {
      const box = boxes.get(table)!;
      list.push({
        id,
        x: side === 'WEST' ? 0 : box.width,
        y: rowOffset(box.table, column),
        width: 0,
        height: 0,
        layoutOptions: { 'elk.port.side': side },
      });
    }
    return id;
  };
  // Each line runs from the referenced column to the foreign key, which always leaves its box to the left.
  // Left to right, the line leaves the referenced box to the right, towards the next layer; top to bottom,
  // to the left as well, so a chain of references stacks its boxes instead of stepping them to the right.
  const referencedSide: PortSide = direction === 'RIGHT' ? 'EAST' : 'WEST';
  const edges: ElkExtendedEdge[] = relations.map((relation, index) => ({
    id: `reference-${index}`,
    sources: [port(relation.to, relation.toColumns[0]!, referencedSide)],
    targets: [port(relation.from, relation.fromColumns[0]!, 'WEST')],
  }));
  const graph: ElkNode = {
    id: 'schema',
    layoutOptions: layoutOptions(direction),
    children: [...boxes.values()].map((box) => ({
      id: box.table.name,
      width: box.width,
      height: box.height,
      ports: ports.get(box.table.name)!,
      layoutOptions: { 'elk.portConstraints': 'FIXED_POS' },
    })),
    edges,
  };
  // Loaded on first use: ELK is 1.5 MB of JavaScript that only `jam-db erd` needs.
  const { default: ELK } = await import('elkjs/lib/elk.bundled.js');
  const result = await new ELK().layout(graph);

  const left = metrics.margin;
  const top = metrics.margin + metrics.titleHeight;
  const tables = new Map<string, PlacedTable>();
  for (const node of result.children ?? []) {
    const box = boxes.get(node.id)!;
    tables.set(node.id, { ...box, x: left + (node.x ?? 0), y: top + (node.y ?? 0) });
  }
  const routed = (result.edges ?? []).map((edge, index): RoutedEdge => {
    const section = edge.sections?.[0];
    const points = section
      ? [section.startPoint, ...(section.bendPoints ?? []), section.endPoint]
      : [];
    // The foreign key's end comes first, as a reference reads: from the referencing row to the referenced one.
    return {
      relation: relations[index]!,
      points: points.reverse().map((p) => ({ x: left + p.x, y: top + p.y })),
      fromSide: -1,
      toSide: referencedSide === 'EAST' ? 1 : -1,
    };
  });
  return {
    tables,
    edges: routed,
    width: Math.ceil((result.width ?? 0) + 2 * metrics.margin),
    height: Math.ceil(top + (result.height ?? 0)),
  };
}
