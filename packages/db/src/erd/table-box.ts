import type { ErdColumn, ErdTable } from './model.js';

/** Monospace metrics the renderer and the layout share; widths are computed, never measured. */
export const metrics = {
  fontSize: 12,
  /** DejaVu Sans Mono and most monospace fonts advance 0.6 em; a little more keeps text inside its box. */
  charWidth: 7.4,
  headerHeight: 28,
  rowHeight: 20,
  padding: 10,
  columnGap: 14,
  margin: 30,
  titleHeight: 40,
  legendLineHeight: 18,
};

/** A table's box before it is placed: its size and the widths of its key and name columns. */
export interface TableBox {
  table: ErdTable;
  width: number;
  height: number;
  keyWidth: number;
  nameWidth: number;
}

export const textWidth = (text: string) => text.length * metrics.charWidth;

export const keyLabel = (column: ErdColumn) =>
  [
    column.primaryKey ? 'PK' : '',
    column.foreignKey ? 'FK' : '',
    column.unique && !column.primaryKey ? 'UK' : '',
  ]
    .filter(Boolean)
    .join(' ');

export const typeLabel = (column: ErdColumn) => `${column.type}${column.notNull ? '' : '?'}`;

/** The middle of a column's row, measured from the top of its box; a missing column means the first row. */
export function rowOffset(table: ErdTable, column: string): number {
  const index = Math.max(
    0,
    table.columns.findIndex((c) => c.name === column),
  );
  return metrics.headerHeight + (index + 0.5) * metrics.rowHeight;
}

export function tableBox(table: ErdTable): TableBox {
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
