import {
  keyLabel,
  type Layout,
  layoutErd,
  metrics,
  type PlacedTable,
  textWidth,
  typeLabel,
} from './layout.js';
import type { ErdModel, ErdRelation } from './model.js';

/** One colour per referenced table, so the lines into a busy table can be told apart. */
const palette = [
  '#2563eb',
  '#db2777',
  '#059669',
  '#d97706',
  '#7c3aed',
  '#0891b2',
  '#dc2626',
  '#4d7c0f',
];

const styles = `
  text { font-family: 'DejaVu Sans Mono', Menlo, Consolas, monospace; font-size: ${metrics.fontSize}px; }
  .title { font-size: 16px; font-weight: bold; fill: #0f172a; }
  .legend { fill: #475569; }
  .box { fill: #ffffff; stroke: #334155; stroke-width: 1.2; }
  .head { fill: #1e293b; }
  .head-text { fill: #ffffff; font-weight: bold; font-size: 13px; }
  .stripe { fill: #f1f5f9; }
  .pk { fill: #b45309; font-weight: bold; }
  .fk { fill: #2563eb; }
  .name { fill: #0f172a; }
  .type { fill: #64748b; }
  .edge { fill: none; stroke-width: 1.6; }
`;

/**
 * The diagram as a self-contained SVG: no script, no external font or image, and
 * nothing that varies between runs, so the committed file changes only when the
 * schema does.
 */
export function svgErd(model: ErdModel): string {
  const placed = layoutErd(model);
  // Wide enough for the legend even when the schema is one small table.
  const layout = {
    ...placed,
    width: Math.ceil(Math.max(placed.width, textWidth(legendText) + 2 * metrics.margin)),
  };
  const targets = [...new Set(model.relations.map((r) => r.to))].sort();
  const colourOf = (relation: ErdRelation) =>
    palette[targets.indexOf(relation.to) % palette.length]!;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${layout.width}" height="${layout.height}" viewBox="0 0 ${layout.width} ${layout.height}">`,
    `<style>${styles}</style>`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text class="title" x="${metrics.margin}" y="${metrics.margin + 6}">Database schema: ${model.tables.length} tables, ${model.relations.length} references</text>`,
    // Lines first: where one passes behind a table, the table stays readable.
    ...model.relations.flatMap((relation) => edge(layout, relation, colourOf(relation))),
    ...[...layout.tables.values()].map(tableBox),
    legend(layout),
    '</svg>',
  ];
  return `${parts.join('\n')}\n`;
}

const n = (value: number) => String(Math.round(value * 10) / 10);

const escapeXml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function tableBox(placed: PlacedTable): string {
  const { table, x, y, width, height } = placed;
  const rows = table.columns.map((column, i) => {
    const top = y + metrics.headerHeight + i * metrics.rowHeight;
    const baseline = top + metrics.rowHeight / 2 + metrics.fontSize * 0.35;
    const key = keyLabel(column);
    const keyClass = column.primaryKey ? 'pk' : column.foreignKey ? 'fk' : 'name';
    const nameX =
      x + metrics.padding + (placed.keyWidth > 0 ? placed.keyWidth + metrics.columnGap : 0);
    return [
      i % 2 === 1
        ? `<rect class="stripe" x="${n(x + 1)}" y="${n(top)}" width="${n(width - 2)}" height="${metrics.rowHeight}"/>`
        : '',
      key
        ? `<text class="${keyClass}" x="${n(x + metrics.padding)}" y="${n(baseline)}">${key}</text>`
        : '',
      `<text class="name" x="${n(nameX)}" y="${n(baseline)}">${escapeXml(column.name)}</text>`,
      `<text class="type" x="${n(x + width - metrics.padding)}" y="${n(baseline)}" text-anchor="end">${escapeXml(typeLabel(column))}</text>`,
    ].join('');
  });
  return [
    `<g id="table-${escapeXml(table.name)}">`,
    `<rect class="box" x="${n(x)}" y="${n(y)}" width="${n(width)}" height="${n(height)}" rx="6"/>`,
    `<path class="head" d="M${n(x)} ${n(y + metrics.headerHeight)}V${n(y + 6)}a6 6 0 0 1 6 -6H${n(x + width - 6)}a6 6 0 0 1 6 6V${n(y + metrics.headerHeight)}Z"/>`,
    `<text class="head-text" x="${n(x + metrics.padding)}" y="${n(y + metrics.headerHeight / 2 + 4.5)}">${escapeXml(table.name)}</text>`,
    ...rows,
    '</g>',
  ].join('\n');
}

interface End {
  x: number;
  y: number;
  /** -1: the line leaves the box to the left; 1: to the right. */
  side: -1 | 1;
}

/**
 * A curve from the foreign key's row to the referenced column's row, with
 * crow's-foot ends: `||` or `|o` at the referenced table (o: the key is
 * nullable), a fork with `o` at the referencing one (zero or many), or `o|`
 * when the key is unique there (zero or one).
 */
function edge(layout: Layout, relation: ErdRelation, colour: string): string[] {
  const child = layout.tables.get(relation.from);
  const parent = layout.tables.get(relation.to);
  if (!child || !parent) return [];
  const childY = rowY(child, relation.fromColumns[0]!);
  const parentY = rowY(parent, relation.toColumns[0]!);
  let from: End;
  let to: End;
  if (child.x > parent.x) {
    from = { x: child.x, y: childY, side: -1 };
    to = { x: parent.x + parent.width, y: parentY, side: 1 };
  } else if (child.x < parent.x) {
    from = { x: child.x + child.width, y: childY, side: 1 };
    to = { x: parent.x, y: parentY, side: -1 };
  } else {
    from = { x: child.x + child.width, y: childY, side: 1 };
    to = { x: parent.x + parent.width, y: parentY, side: 1 };
  }
  const reach = Math.max(50, Math.abs(to.x - from.x) / 2);
  const stroke = `stroke="${colour}"`;
  const curve = `<path class="edge" ${stroke} d="M${n(from.x)} ${n(from.y)}C${n(from.x + from.side * reach)} ${n(from.y)} ${n(to.x + to.side * reach)} ${n(to.y)} ${n(to.x)} ${n(to.y)}"><title>${escapeXml(`${relation.from}.${relation.fromColumns.join(', ')} → ${relation.to}.${relation.toColumns.join(', ')}`)}</title></path>`;
  return [
    curve,
    ...oneEnd(to, relation.optional, stroke),
    ...manyEnd(from, relation.oneToOne, stroke),
  ];
}

const rowY = (placed: PlacedTable, column: string) => {
  const index = Math.max(
    0,
    placed.table.columns.findIndex((c) => c.name === column),
  );
  return placed.y + metrics.headerHeight + (index + 0.5) * metrics.rowHeight;
};

const bar = (end: End, distance: number, stroke: string) =>
  `<path ${stroke} stroke-width="1.6" d="M${n(end.x + end.side * distance)} ${n(end.y - 6)}V${n(end.y + 6)}"/>`;

const ring = (end: End, distance: number, stroke: string) =>
  `<circle ${stroke} stroke-width="1.4" fill="#ffffff" cx="${n(end.x + end.side * distance)}" cy="${n(end.y)}" r="4"/>`;

function oneEnd(end: End, optional: boolean, stroke: string): string[] {
  return [bar(end, 8, stroke), optional ? ring(end, 18, stroke) : bar(end, 14, stroke)];
}

function manyEnd(end: End, single: boolean, stroke: string): string[] {
  if (single) return [bar(end, 8, stroke), ring(end, 18, stroke)];
  const tip = end.x + end.side * 12;
  const fork = `<path ${stroke} stroke-width="1.6" fill="none" d="M${n(end.x)} ${n(end.y - 7)}L${n(tip)} ${n(end.y)}L${n(end.x)} ${n(end.y + 7)}"/>`;
  return [fork, ring(end, 18, stroke)];
}

const legendText =
  'PK primary key · FK foreign key · UK unique · type? nullable · a line runs from a foreign key (fork: many) to the column it references (||: one, |o: zero or one)';

function legend(layout: Layout): string {
  const y = layout.height - metrics.margin + 4;
  return `<text class="legend" x="${metrics.margin}" y="${y}">${legendText}</text>`;
}
