/**
 * A deterministic drizzle-kit migrations folder: the history a long-lived app
 * accumulates (tables, columns, indexes, foreign keys, enums, renames, drops,
 * backfills, seed rows), valid on PostgreSQL 15 and on PGlite when applied in order.
 *
 * `tsx src/synthetic-history.ts <dir> [count]` writes one for inspection.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export interface SyntheticMigration {
  tag: string;
  when: number;
  statements: string[];
}

export interface SyntheticHistory {
  /** The drizzle-kit folder: meta/_journal.json and one `<tag>.sql` per migration. */
  dir: string;
  /** Every migration file concatenated in order, the input of the floors. */
  allSqlPath: string;
  migrations: number;
  statements: number;
}

export const defaultMigrationCount = 200;
/** Fixed, so every run measures the very same history. */
export const defaultSeed = 20_240_601;

/** drizzle-kit joins the statements of a migration with this line. */
const breakpoint = '\n--> statement-breakpoint\n';

/** mulberry32: tiny and identical on every machine, unlike Math.random. */
function createRandom(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  return {
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!,
    chance: (probability: number) => next() < probability,
    weighted<T>(entries: readonly [number, T][]): T {
      let roll = next() * entries.reduce((sum, [weight]) => sum + weight, 0);
      for (const [weight, item] of entries) {
        roll -= weight;
        if (roll < 0) return item;
      }
      return entries.at(-1)![1];
    },
  };
}
type Random = ReturnType<typeof createRandom>;

interface ColumnKind {
  sqlType: string;
  /** A constant of the type, for defaults, backfills and seed rows. */
  literal: string;
  names: readonly string[];
}

const columnKinds: readonly ColumnKind[] = [
  {
    sqlType: 'text',
    literal: "'n/a'",
    names: ['title', 'description', 'email', 'slug', 'notes', 'label', 'summary', 'locale'],
  },
  {
    sqlType: 'integer',
    literal: '0',
    names: ['position', 'quantity', 'score', 'attempts', 'revision', 'priority', 'capacity'],
  },
  {
    sqlType: 'boolean',
    literal: 'false',
    names: ['archived', 'is_public', 'verified', 'featured', 'locked'],
  },
  {
    sqlType: 'jsonb',
    literal: "'{}'::jsonb",
    names: ['metadata', 'settings', 'payload', 'preferences', 'attributes'],
  },
  {
    sqlType: 'timestamp with time zone',
    literal: 'now()',
    names: ['published_at', 'deleted_at', 'last_seen_at', 'expires_at', 'starts_at'],
  },
];

interface Column {
  name: string;
  sqlType: string;
  /** null for foreign keys: no constant fits them. */
  literal: string | null;
  /** Names a rename may pick, so a boolean is never renamed to `email`. */
  family: readonly string[];
  notNull: boolean;
  hasDefault: boolean;
  /** id and created_at stay put: every table keeps its key and its audit column. */
  fixed: boolean;
}

interface Table {
  name: string;
  columns: Column[];
}

interface EnumType {
  name: string;
  /** What it classifies (`status`, `kind`, …), the name of the columns of this type. */
  suffix: string;
  /** Only the values the type was created with: an added value stays unused (see addEnumValue). */
  usable: readonly string[];
  all: string[];
}

const tableNouns = (
  'users teams projects tasks comments invoices payments orders products tags events ' +
  'sessions documents attachments reviews badges quests programs mentorships notifications ' +
  'subscriptions webhooks audits reports channels messages invites roles skills milestones'
).split(' ');
const enumSets = [
  { suffix: 'status', values: ['draft', 'active', 'archived'] },
  { suffix: 'kind', values: ['internal', 'external'] },
  { suffix: 'level', values: ['low', 'medium', 'high'] },
  { suffix: 'visibility', values: ['private', 'team', 'public'] },
] as const;
const addedEnumValues = ['pending', 'suspended', 'legacy', 'critical', 'beta', 'retired'];
const tagAdjectives = (
  'brave calm eager fancy gentle happy jolly lively proud quiet swift bold clever dusty ' +
  'early fresh grumpy hot icy keen'
).split(' ');
const tagNouns = (
  'hulk thor storm falcon phoenix vision gambit rogue cyclops beast banshee mystique nova ' +
  'sentry wasp havok magneto loki shriek titania'
).split(' ');

const q = (identifier: string) => `"${identifier}"`;
const pkColumn = (): Column => ({
  name: 'id',
  sqlType: 'uuid',
  literal: null,
  family: [],
  notNull: true,
  hasDefault: true,
  fixed: true,
});

/** Emits the statements of one realistic schema change at a time, keeping a model of the schema. */
class SchemaHistory {
  private readonly tables: Table[] = [];
  private readonly enums: EnumType[] = [];
  /** Tables, indexes, types and constraints share names in PostgreSQL; none is ever reused, renamed ones included. */
  private readonly taken = new Set<string>();

  constructor(private readonly random: Random) {}

  /** The statements of one change picked at random among those the schema allows. */
  change(): string[] {
    if (this.tables.length < 6) return this.createTable();
    const weighted: [number, () => string[] | null][] = [
      [8, () => this.createTable()],
      [14, () => this.addColumn()],
      [7, () => this.backfillColumn()],
      [10, () => this.createIndex()],
      [9, () => this.addForeignKey()],
      [4, () => this.createEnum()],
      [5, () => this.addEnumValue()],
      [7, () => this.renameColumn()],
      [3, () => this.renameTable()],
      [7, () => this.dropColumn()],
      [4, () => this.seedRows()],
    ];
    for (;;) {
      const statements = this.random.weighted(weighted)();
      if (statements) return statements;
    }
  }

  private createTable(): string[] {
    const name = this.claim(this.random.pick(tableNouns), '_pkey');
    const table: Table = { name, columns: [pkColumn()] };
    for (let i = this.random.int(2, 4); i > 0; i--) {
      table.columns.push(this.newColumn(table, this.random.pick(columnKinds), 'required'));
    }
    table.columns.push(
      { ...this.timestamp('created_at'), fixed: true },
      { ...this.timestamp('updated_at'), fixed: false },
    );
    this.tables.push(table);
    const lines = table.columns.map((column) =>
      column.name === 'id'
        ? '\t"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL'
        : `\t${this.columnSql(column)}`,
    );
    const statements = [`CREATE TABLE ${q(name)} (\n${lines.join(',\n')}\n);`];
    if (this.random.chance(0.5)) statements.push(...this.createIndex(table)!);
    return statements;
  }

  private addColumn(): string[] {
    const table = this.random.pick(this.tables);
    const kind = this.random.chance(0.15) && this.enums.length > 0 ? this.enumKind() : null;
    const style = this.random.chance(0.5) ? 'nullable' : 'defaulted';
    const column = this.newColumn(table, kind ?? this.random.pick(columnKinds), style);
    table.columns.push(column);
    return [`ALTER TABLE ${q(table.name)} ADD COLUMN ${this.columnSql(column)};`];
  }

  /** The safe way to a new NOT NULL column on a table with rows: add, fill, constrain. */
  private backfillColumn(): string[] {
    const table = this.random.pick(this.tables);
    const column = this.newColumn(table, this.random.pick(columnKinds), 'nullable');
    table.columns.push(column);
    const statements = [
      `ALTER TABLE ${q(table.name)} ADD COLUMN ${this.columnSql(column)};`,
      `UPDATE ${q(table.name)} SET ${q(column.name)} = ${column.literal} WHERE ${q(column.name)} IS NULL;`,
      `ALTER TABLE ${q(table.name)} ALTER COLUMN ${q(column.name)} SET NOT NULL;`,
    ];
    column.notNull = true;
    return statements;
  }

  private createIndex(table = this.random.pick(this.tables)): string[] | null {
    const candidates = table.columns.filter((c) => c.name !== 'id');
    if (candidates.length === 0) return null;
    const column = this.random.pick(candidates);
    const name = this.claim(`${table.name}_${column.name}_idx`);
    const method = column.sqlType === 'jsonb' ? 'gin' : 'btree';
    return [`CREATE INDEX ${q(name)} ON ${q(table.name)} USING ${method} (${q(column.name)});`];
  }

  private addForeignKey(): string[] {
    const child = this.random.pick(this.tables);
    const parent = this.random.pick(this.tables);
    const base = parent === child ? 'parent_id' : `${parent.name.replace(/s(_\d+)?$/, '')}_id`;
    const column: Column = {
      name: this.freeColumnName(child, base),
      sqlType: 'uuid',
      literal: null,
      family: ['owner_id', 'source_id', 'target_id', 'ref_id'],
      notNull: false,
      hasDefault: false,
      fixed: false,
    };
    child.columns.push(column);
    const constraint = this.claim(`${child.name}_${column.name}_${parent.name}_id_fk`);
    const index = this.claim(`${child.name}_${column.name}_idx`);
    return [
      `ALTER TABLE ${q(child.name)} ADD COLUMN ${q(column.name)} uuid;`,
      `ALTER TABLE ${q(child.name)} ADD CONSTRAINT ${q(constraint)} FOREIGN KEY (${q(column.name)}) REFERENCES "public".${q(parent.name)}("id") ON DELETE ${this.random.pick(['cascade', 'set null', 'no action'])} ON UPDATE no action;`,
      `CREATE INDEX ${q(index)} ON ${q(child.name)} USING btree (${q(column.name)});`,
    ];
  }

  private createEnum(): string[] {
    const table = this.random.pick(this.tables);
    const set = this.random.pick(enumSets);
    const type: EnumType = {
      name: this.claim(`${table.name.replace(/s(_\d+)?$/, '')}_${set.suffix}`),
      suffix: set.suffix,
      usable: set.values,
      all: [...set.values],
    };
    this.enums.push(type);
    const column = this.newColumn(table, this.enumKind(type), 'defaulted');
    table.columns.push(column);
    return [
      `CREATE TYPE "public".${q(type.name)} AS ENUM(${type.all.map((v) => `'${v}'`).join(', ')});`,
      `ALTER TABLE ${q(table.name)} ADD COLUMN ${this.columnSql(column)};`,
    ];
  }

  /**
   * Inside a transaction PostgreSQL accepts ADD VALUE but refuses to use the new
   * value before commit, and the floors run the whole history as one transaction:
   * so no later migration ever mentions an added value.
   */
  private addEnumValue(): string[] | null {
    if (this.enums.length === 0) return null;
    const type = this.random.pick(this.enums);
    const value = addedEnumValues.find((v) => !type.all.includes(v));
    if (!value) return null;
    type.all.push(value);
    return [`ALTER TYPE "public".${q(type.name)} ADD VALUE '${value}';`];
  }

  private renameColumn(): string[] | null {
    const table = this.random.pick(this.tables);
    const movable = table.columns.filter((c) => !c.fixed);
    if (movable.length === 0) return null;
    const column = this.random.pick(movable);
    const before = column.name;
    const free = column.family.filter((n) => !table.columns.some((c) => c.name === n));
    column.name =
      free.length > 0 ? this.random.pick(free) : this.freeColumnName(table, `${before}_old`);
    return [`ALTER TABLE ${q(table.name)} RENAME COLUMN ${q(before)} TO ${q(column.name)};`];
  }

  private renameTable(): string[] {
    const table = this.random.pick(this.tables);
    const before = table.name;
    table.name = this.claim(this.random.pick(tableNouns), '_pkey');
    return [`ALTER TABLE ${q(before)} RENAME TO ${q(table.name)};`];
  }

  private dropColumn(): string[] | null {
    const table = this.random.pick(this.tables);
    const droppable = table.columns.filter((c) => !c.fixed);
    if (droppable.length < 2) return null;
    const column = this.random.pick(droppable);
    table.columns.splice(table.columns.indexOf(column), 1);
    return [`ALTER TABLE ${q(table.name)} DROP COLUMN ${q(column.name)};`];
  }

  /** A few rows, so later backfills, constraints and indexes meet data as they would in production. */
  private seedRows(): string[] | null {
    const table = this.random.pick(this.tables);
    const filled = table.columns.filter(
      (c) => c.literal !== null && ((c.notNull && !c.hasDefault) || this.random.chance(0.3)),
    );
    if (filled.length === 0) return null;
    const row = `(${filled.map((c) => c.literal).join(', ')})`;
    const rows = Array.from({ length: this.random.int(1, 3) }, () => row);
    return [
      `INSERT INTO ${q(table.name)} (${filled.map((c) => q(c.name)).join(', ')}) VALUES ${rows.join(', ')};`,
    ];
  }

  private newColumn(
    table: Table,
    kind: ColumnKind,
    style: 'required' | 'nullable' | 'defaulted',
  ): Column {
    return {
      name: this.freeColumnName(table, this.random.pick(kind.names)),
      sqlType: kind.sqlType,
      literal: kind.literal,
      family: kind.names,
      notNull: style !== 'nullable',
      hasDefault: style === 'defaulted',
      fixed: false,
    };
  }

  private timestamp(name: string): Column {
    return {
      name,
      sqlType: 'timestamp with time zone',
      literal: 'now()',
      family: [],
      notNull: true,
      hasDefault: true,
      fixed: false,
    };
  }

  private enumKind(type = this.random.pick(this.enums)): ColumnKind {
    const { suffix } = type;
    return {
      sqlType: `"public".${q(type.name)}`,
      literal: `'${type.usable[0]}'`,
      names: [suffix, `${suffix}_override`, `previous_${suffix}`],
    };
  }

  private columnSql(column: Column): string {
    const defaultSql = column.hasDefault ? ` DEFAULT ${column.literal}` : '';
    return `${q(column.name)} ${column.sqlType}${defaultSql}${column.notNull ? ' NOT NULL' : ''}`;
  }

  private freeColumnName(table: Table, base: string): string {
    let name = base;
    for (let n = 2; table.columns.some((c) => c.name === name); n++) name = `${base}_${n}`;
    return name;
  }

  /** A schema-wide name never used before, short enough that PostgreSQL won't truncate it (63 bytes). */
  private claim(base: string, companion = ''): string {
    const stem = base.slice(0, 50);
    let name = stem;
    for (let n = 2; this.taken.has(name) || this.taken.has(name + companion); n++) {
      name = `${stem}_${n}`;
    }
    this.taken.add(name);
    this.taken.add(name + companion);
    return name;
  }
}

export function generateHistory(
  count = defaultMigrationCount,
  seed = defaultSeed,
): SyntheticMigration[] {
  const random = createRandom(seed);
  const schema = new SchemaHistory(random);
  let when = Date.UTC(2023, 0, 2, 9);
  return Array.from({ length: count }, (_, idx) => {
    const statements: string[] = [];
    for (let changes = random.int(1, 3); changes > 0; changes--) {
      statements.push(...schema.change());
    }
    when += random.int(1, 72) * 3_600_000;
    const tag = `${String(idx).padStart(4, '0')}_${random.pick(tagAdjectives)}_${random.pick(tagNouns)}`;
    return { tag, when, statements };
  });
}

/** Writes the folder as drizzle-kit would (journal version 7), plus the concatenation for the floors. */
export function writeHistory(workDir: string, migrations = generateHistory()): SyntheticHistory {
  const dir = join(workDir, 'migrations');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'meta'), { recursive: true });
  const files = migrations.map((m) => {
    const sql = `${m.statements.join(breakpoint)}\n`;
    writeFileSync(join(dir, `${m.tag}.sql`), sql);
    return sql;
  });
  const journal = {
    version: '7',
    dialect: 'postgresql',
    entries: migrations.map((m, idx) => ({
      idx,
      version: '7',
      when: m.when,
      tag: m.tag,
      breakpoints: true,
    })),
  };
  writeFileSync(join(dir, 'meta', '_journal.json'), `${JSON.stringify(journal, null, 2)}\n`);
  // The breakpoint lines are SQL comments, so the files concatenate into one valid script.
  const allSqlPath = join(workDir, 'all-migrations.sql');
  writeFileSync(allSqlPath, files.join('\n'));
  return {
    dir,
    allSqlPath,
    migrations: migrations.length,
    statements: migrations.reduce((sum, m) => sum + m.statements.length, 0),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [target, count] = process.argv.slice(2);
  if (!target) {
    console.error('usage: tsx src/synthetic-history.ts <dir> [count]');
    process.exit(2);
  }
  const history = writeHistory(
    resolve(target),
    generateHistory(Number(count ?? defaultMigrationCount)),
  );
  console.log(
    `${history.migrations} migrations, ${history.statements} statements in ${history.dir}`,
  );
}
