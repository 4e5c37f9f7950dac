import {
  type Layout,
  layoutErd,
  type PlacedTable,
  pageWidth,
  type RoutedEdge,
  type Side,
} from './layout.js';
import type { ErdModel, ErdRelation } from './model.js';
import { keyLabel, metrics, textWidth, typeLabel } from './table-box.js';

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
export async function svgErd(model: ErdModel): Promise<string> {
  return renderSvg(model, await layoutErd(model));
}

/** The drawing of a laid-out model; the page grows to hold the title and the legend. */
export function renderSvg(model: ErdModel, placed: Layout): string {
  const legendLines = wrapLegend(pageWidth - 2 * metrics.margin);
  const title = `Database schema: ${model.tables.length} tables, ${model.relations.length} references`;
  const width = Math.ceil(
    Math.max(
      placed.width,
      textWidth(title) * titleScale + 2 * metrics.margin,
      ...legendLines.map((line) => textWidth(line) + 2 * metrics.margin),
    ),
  );
  const legendTop = placed.height + metrics.legendLineHeight;
  const height = Math.ceil(
    legendTop + metrics.legendLineHeight * (legendLines.length - 1) + metrics.margin,
  );
  const targets = [...new Set(model.relations.map((r) => r.to))].sort();
  const colourOf = (relation: ErdRelation) =>
    palette[targets.indexOf(relation.to) % palette.length]!;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<style>${styles}</style>`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text class="title" x="${metrics.margin}" y="${metrics.margin + 6}">${escapeXml(title)}</text>`,
    ...placed.edges.flatMap((routed) => edge(routed, colourOf(routed.relation))),
    ...[...placed.tables.values()].map(tableBox),
    ...legendLines.map(
      (line, i) =>
        `<text class="legend" x="${metrics.margin}" y="${n(legendTop + i * metrics.legendLineHeight)}">${escapeXml(line)}</text>`,
    ),
    '</svg>',
  ];
  return `${parts.join('\n')}\n`;
}

/** The title is drawn at 16px against the 12px the metrics are for. */
const titleScale = 16 / 12;

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
  side: Side;
}

/**
 * A routed line from the foreign key's row to the referenced column's row,
 * with crow's-foot ends: `||` or `|o` at the referenced table (o: the key is
 * nullable), a fork with `o` at the referencing one (zero or many), or `o|`
 * when the key is unique there (zero or one).
 */
function edge(routed: RoutedEdge, colour: string): string[] {
  const { relation, points } = routed;
  const first = points[0];
  const last = points[points.length - 1];
  if (!first || !last) return [];
  const stroke = `stroke="${colour}"`;
  const d = points.map((p, i) => `${i === 0 ? 'M' : 'L'}${n(p.x)} ${n(p.y)}`).join('');
  const line = `<path class="edge" ${stroke} d="${d}"><title>${escapeXml(`${relation.from}.${relation.fromColumns.join(', ')} → ${relation.to}.${relation.toColumns.join(', ')}`)}</title></path>`;
  return [
    line,
    ...oneEnd({ ...last, side: routed.toSide }, relation.optional, stroke),
    ...manyEnd({ ...first, side: routed.fromSide }, relation.oneToOne, stroke),
  ];
}

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

const legendItems = [
  'PK primary key',
  'FK foreign key',
  'UK unique',
  'type? nullable',
  'a line runs from a foreign key (fork: many) to the column it references (||: one, |o: zero or one)',
];

/** The legend's items on as few lines as fit `width`. */
export function wrapLegend(width: number): string[] {
  const lines: string[] = [];
  for (const item of legendItems) {
    const last = lines[lines.length - 1];
    const joined = last === undefined ? item : `${last} · ${item}`;
    if (last !== undefined && textWidth(joined) <= width) lines[lines.length - 1] = joined;
    else lines.push(item);
  }
  return lines;
}
