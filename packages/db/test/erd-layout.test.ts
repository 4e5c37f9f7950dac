import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateDrizzleJson } from 'drizzle-kit/api';
import { describe, expect, it } from 'vitest';
import type { Snapshot } from '../src/drizzle-kit/snapshots.js';
import {
  type Layout,
  layoutErd,
  type PlacedTable,
  type Point,
  pageWidth,
} from '../src/erd/layout.js';
import { type ErdModel, type ErdTable, erdModel } from '../src/erd/model.js';
import { renderSvg } from '../src/erd/svg.js';
import { rowOffset } from '../src/erd/table-box.js';
import * as ownSchema from '../src/schema/index.js';
import { type CorpusName, corporaPresent, corpusDir } from './support/corpora.js';

/** The model of a corpus's newest snapshot: a real schema of someone else's. */
function corpusModel(name: CorpusName): ErdModel {
  const meta = join(corpusDir(name), 'meta');
  const newest = readdirSync(meta)
    .filter((file) => file.endsWith('_snapshot.json'))
    .sort()
    .at(-1)!;
  return erdModel(JSON.parse(readFileSync(join(meta, newest), 'utf8')) as Snapshot);
}

const ownModel = () => erdModel(generateDrizzleJson(ownSchema) as unknown as Snapshot);

/** Whether the segment a–b runs through the inside of `box` (touching its border does not count). */
function crossesInside(a: Point, b: Point, box: PlacedTable): boolean {
  const [left, right] = [box.x, box.x + box.width];
  const [top, bottom] = [box.y, box.y + box.height];
  if (a.y === b.y) {
    const [from, to] = a.x < b.x ? [a.x, b.x] : [b.x, a.x];
    return a.y > top && a.y < bottom && from < right && to > left;
  }
  const [from, to] = a.y < b.y ? [a.y, b.y] : [b.y, a.y];
  return a.x > left && a.x < right && from < bottom && to > top;
}

/** Every line segment with every box it runs through, as `table.column → table: box` for a readable failure. */
function linesThroughBoxes(layout: Layout): string[] {
  const found: string[] = [];
  for (const { relation, points } of layout.edges) {
    for (let i = 1; i < points.length; i++) {
      for (const box of layout.tables.values()) {
        if (crossesInside(points[i - 1]!, points[i]!, box))
          found.push(
            `${relation.from}.${relation.fromColumns[0]} → ${relation.to}: ${box.table.name}`,
          );
      }
    }
  }
  return found;
}

function overlappingBoxes(layout: Layout): string[] {
  const boxes = [...layout.tables.values()];
  return boxes.flatMap((a, i) =>
    boxes
      .slice(i + 1)
      .filter(
        (b) =>
          a.x < b.x + b.width &&
          b.x < a.x + a.width &&
          a.y < b.y + b.height &&
          b.y < a.y + a.height,
      )
      .map((b) => `${a.table.name} / ${b.table.name}`),
  );
}

/** Lines are drawn with horizontal and vertical segments only, so the test above sees every crossing. */
const isOrthogonal = (layout: Layout) =>
  layout.edges.every(({ points }) =>
    points.every((p, i) => i === 0 || p.x === points[i - 1]!.x || p.y === points[i - 1]!.y),
  );

/** The crow's-foot marks reach 22 px out of the box; they need a straight stretch that long. */
const shortEnds = (layout: Layout) =>
  layout.edges
    .filter(({ points, toSide }) => {
      const [first, second] = points;
      const [beforeLast, last] = points.slice(-2);
      return !(
        first &&
        second &&
        beforeLast &&
        last &&
        first.y === second.y &&
        first.x - second.x >= 22 &&
        last.y === beforeLast.y &&
        (last.x - beforeLast.x) * toSide <= -22
      );
    })
    .map(({ relation }) => relation.name);

describe('the diagram layout of @jam/db’s own schema', () => {
  it('routes no line through a box, overlaps no boxes and leaves room for the line ends', async () => {
    const layout = await layoutErd(ownModel());
    expect(layout.edges).toHaveLength(8);
    expect(isOrthogonal(layout)).toBe(true);
    expect(linesThroughBoxes(layout)).toEqual([]);
    expect(overlappingBoxes(layout)).toEqual([]);
    expect(shortEnds(layout)).toEqual([]);
  });

  it('fits the page, title and legend included', async () => {
    const model = ownModel();
    const layout = await layoutErd(model);
    expect(layout.width).toBeLessThanOrEqual(pageWidth);
    const svg = renderSvg(model, layout);
    const width = Number(/^<svg [^>]*width="(\d+)"/.exec(svg)?.[1]);
    expect(width).toBeLessThanOrEqual(pageWidth);
  });

  it('starts each line at the foreign key’s row and ends it at the referenced column’s row', async () => {
    const layout = await layoutErd(ownModel());
    const line = layout.edges.find((e) => e.relation.name === 'mentorships_mentor_id_users_id_fk')!;
    const mentorships = layout.tables.get('mentorships')!;
    const users = layout.tables.get('users')!;
    const rowMiddle = (box: PlacedTable, column: string) => box.y + rowOffset(box.table, column);
    expect(line.points[0]).toEqual({ x: mentorships.x, y: rowMiddle(mentorships, 'mentor_id') });
    expect(line.points.at(-1)).toEqual({ x: users.x + users.width, y: rowMiddle(users, 'id') });
  });
});

/** `count` tables, each referencing the one before: as many layers as tables. */
function chain(count: number): ErdModel {
  const tables: ErdTable[] = Array.from({ length: count }, (_, i) => ({
    name: `stage_${i}`,
    columns: [
      {
        name: 'id',
        type: 'uuid',
        notNull: true,
        primaryKey: true,
        foreignKey: false,
        unique: false,
      },
      ...(i > 0
        ? [
            {
              name: 'previous_id',
              type: 'uuid',
              notNull: true,
              primaryKey: false,
              foreignKey: true,
              unique: false,
            },
          ]
        : []),
    ],
  }));
  return {
    tables,
    relations: tables.slice(1).map((table, i) => ({
      name: `${table.name}_previous`,
      from: table.name,
      fromColumns: ['previous_id'],
      to: `stage_${i}`,
      toColumns: ['id'],
      optional: false,
      oneToOne: false,
    })),
  };
}

describe('the diagram layout of other schemas', () => {
  it('turns a chain too long for the page from left-to-right to top-to-bottom', async () => {
    const layout = await layoutErd(chain(8));
    expect(layout.width).toBeLessThanOrEqual(pageWidth);
    expect(linesThroughBoxes(layout)).toEqual([]);
    expect(overlappingBoxes(layout)).toEqual([]);
    expect(shortEnds(layout)).toEqual([]);
  });

  it('routes a table’s reference to itself around its own box', async () => {
    const model = chain(1);
    model.tables[0]!.columns.push({
      name: 'parent_id',
      type: 'uuid',
      notNull: false,
      primaryKey: false,
      foreignKey: true,
      unique: false,
    });
    model.relations.push({
      name: 'parent',
      from: 'stage_0',
      fromColumns: ['parent_id'],
      to: 'stage_0',
      toColumns: ['id'],
      optional: true,
      oneToOne: false,
    });
    const layout = await layoutErd(model);
    expect(layout.edges[0]!.points.length).toBeGreaterThan(2);
    expect(linesThroughBoxes(layout)).toEqual([]);
  });

  it.skipIf(!corporaPresent)(
    'routes no line through a box on a real schema of 18 tables (scorebrawl)',
    async () => {
      const layout = await layoutErd(corpusModel('scorebrawl'));
      expect(layout.edges.length).toBeGreaterThan(10);
      expect(isOrthogonal(layout)).toBe(true);
      expect(linesThroughBoxes(layout)).toEqual([]);
      expect(overlappingBoxes(layout)).toEqual([]);
      expect(shortEnds(layout)).toEqual([]);
    },
  );
});
