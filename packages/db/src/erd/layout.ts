import type { ErdModel, ErdTable } from './model.js';

/** Monospace metrics the renderer and the layout share; widths are computed, never measured. */
export const metrics = {
  fontSize: 12,
  /** DejaVu Sans Mono and most monospace fonts advance 0.6 em; a little more keeps text inside its box. */
  charWidth: 7.4,
  headerHeight: 28,
  rowHeight: 20,
  padding: 10,
  columnGap: 14,
  layerGap: 120,
  tableGap: 30,
  margin: 30,
  titleHeight: 40,
  legendHeight: 34,
};

export interface PlacedTable {
  table: ErdTable;
  x: number;
  y: number;
  width: number;
  height: number;
  /** Widths of the key, name and type columns inside the box. */
  keyWidth: number;
  nameWidth: number;
}

export interface Layout {
  tables: Map<string, PlacedTable>;
  width: number;
  height: number;
}

export const textWidth = (text: string) => text.length * metrics.charWidth;

export const keyLabel = (column: ErdTable['columns'][number]) =>
  [
    column.primaryKey ? 'PK' : '',
    column.foreignKey ? 'FK' : '',
    column.unique && !column.primaryKey ? 'UK' : '',
  ]
    .filter(Boolean)
    .join(' ');

export const typeLabel = (column: ErdTable['columns'][number]) =>
  `${column.type}${column.notNull ? '' : '?'}`;

/**
 * Tables in layers from left to right: a table sits one layer right of the
 * furthest table it references, so references point left and most lines run
 * through the gaps between layers. Within a layer, a table is placed near the
 * tables it references (their mean position), which keeps lines short.
 */
export function layoutErd(model: ErdModel): Layout {
  const parents = new Map(model.tables.map((t) => [t.name, new Set<string>()]));
  for (const relation of model.relations) {
    if (relation.from !== relation.to && parents.has(relation.to))
      parents.get(relation.from)?.add(relation.to);
  }
  const layerOf = new Map<string, number>();
  const assign = (name: string, visiting: Set<string>): number => {
    const known = layerOf.get(name);
    if (known !== undefined) return known;
    if (visiting.has(name)) return 0; // a cycle: the reference back is drawn pointing right
    visiting.add(name);
    const above = [...parents.get(name)!].map((parent) => assign(parent, visiting));
    visiting.delete(name);
    const layer = above.length === 0 ? 0 : 1 + Math.max(...above);
    layerOf.set(name, layer);
    return layer;
  };
  for (const table of model.tables) assign(table.name, new Set());

  const depth = Math.max(-1, ...layerOf.values());
  const layers = Array.from({ length: depth + 1 }, (_, layer) =>
    model.tables.filter((table) => layerOf.get(table.name) === layer),
  );
  const referenced = (name: string) => model.relations.filter((r) => r.to === name).length;
  const rank = new Map<string, number>();
  for (const [index, layer] of layers.entries()) {
    const mean = (table: ErdTable) => {
      const ranks = [...parents.get(table.name)!]
        .map((p) => rank.get(p))
        .filter((r) => r !== undefined);
      return ranks.length === 0
        ? Number.POSITIVE_INFINITY
        : ranks.reduce((a, b) => a + b, 0) / ranks.length;
    };
    layer.sort((a, b) =>
      index === 0
        ? referenced(b.name) - referenced(a.name) || a.name.localeCompare(b.name)
        : mean(a) - mean(b) || a.name.localeCompare(b.name),
    );
    for (const [position, table] of layer.entries()) rank.set(table.name, position);
  }

  const sized = layers.map((layer) => layer.map(sizeTable));
  const heights = sized.map(
    (layer) => layer.reduce((sum, t) => sum + t.height, 0) + metrics.tableGap * (layer.length - 1),
  );
  const tallest = Math.max(0, ...heights);
  const top = metrics.margin + metrics.titleHeight;
  const placed = new Map<string, PlacedTable>();
  let x = metrics.margin;
  for (const [index, layer] of sized.entries()) {
    let y = top + (tallest - heights[index]!) / 2;
    const layerWidth = Math.max(...layer.map((t) => t.width));
    for (const table of layer) {
      placed.set(table.table.name, { ...table, x, y });
      y += table.height + metrics.tableGap;
    }
    x += layerWidth + metrics.layerGap;
  }
  return {
    tables: placed,
    width: Math.ceil(x - metrics.layerGap + metrics.margin),
    height: Math.ceil(top + tallest + metrics.legendHeight + metrics.margin),
  };
}

function sizeTable(table: ErdTable): Omit<PlacedTable, 'x' | 'y'> {
  const widest = (texts: string[]) => Math.max(0, ...texts.map(textWidth));
  const keyWidth = widest(table.columns.map(keyLabel));
  const nameWidth = widest(table.columns.map((c) => c.name));
  const typeWidth = widest(table.columns.map(typeLabel));
  const rowWidth =
    metrics.padding * 2 +
    keyWidth +
    (keyWidth > 0 ? metrics.columnGap : 0) +
    nameWidth +
    metrics.columnGap +
    typeWidth;
  const headerWidth = metrics.padding * 2 + textWidth(table.name) * 1.1;
  return {
    table,
    width: Math.ceil(Math.max(rowWidth, headerWidth, 160)),
    height: metrics.headerHeight + metrics.rowHeight * table.columns.length + 6,
    keyWidth,
    nameWidth,
  };
}
