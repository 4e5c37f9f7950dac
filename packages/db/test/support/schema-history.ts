import { sql } from 'drizzle-orm';
import {
  check,
  foreignKey,
  index,
  integer,
  jsonb,
  numeric,
  pgEnum,
  pgSchema,
  pgTable,
  pgView,
  primaryKey,
  serial,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  varchar,
} from 'drizzle-orm/pg-core';

/**
 * A schema that changes in every way drizzle-kit knows, one version at a time:
 * the source of a synthetic history that `generate`, `generate-down` and
 * `verify` must get right. Each version is a whole schema module, like the file
 * drizzle-kit's `schema` option points at.
 */
export interface SchemaVersion {
  name: string;
  schema: Record<string, unknown>;
  renames?: string[];
  created?: string[];
}

interface Shape {
  emailUnique: boolean;
  nameColumn: 'name' | 'full_name';
  bio: boolean;
  age: boolean;
  ageCheck: boolean;
  titleType: 'varchar' | 'text';
  bodyDefault: boolean;
  moodValues: string[];
  userMood: boolean;
  postsTable: 'posts' | 'articles';
  titleIndex: 'unique' | 'partial' | 'none';
  tags: boolean;
  appSchema: boolean;
  onDelete: 'cascade' | 'set null';
  view: boolean;
  counters: boolean;
  emailNullable: boolean;
}

function build(shape: Shape): Record<string, unknown> {
  const mood = pgEnum('mood', shape.moodValues as [string, ...string[]]);
  const users = pgTable(
    'users',
    {
      id: uuid('id').primaryKey().defaultRandom(),
      email: shape.emailNullable ? text('email') : text('email').notNull(),
      [shape.nameColumn]: text(shape.nameColumn),
      ...(shape.bio ? { bio: text('bio') } : {}),
      ...(shape.age ? { age: integer('age') } : {}),
      ...(shape.userMood ? { mood: mood('mood').default('ok') } : {}),
      createdAt: timestamp('created_at').defaultNow().notNull(),
    },
    (t) => [
      ...(shape.emailUnique ? [uniqueIndex('users_email_key').on(t.email)] : []),
      ...(shape.ageCheck && shape.age
        ? [check('users_age_check', sql`${sql.identifier('age')} >= 0`)]
        : []),
    ],
  );
  const posts = pgTable(
    shape.postsTable,
    {
      id: serial('id').primaryKey(),
      userId: uuid('user_id').notNull(),
      title:
        shape.titleType === 'varchar'
          ? varchar('title', { length: 200 }).notNull()
          : text('title').notNull(),
      body: shape.bodyDefault ? text('body').default('n/a') : text('body'),
      score: numeric('score', { precision: 10, scale: 2 }).default('0'),
    },
    (t) => [
      foreignKey({
        name: `${shape.postsTable}_user_fk`,
        columns: [t.userId],
        foreignColumns: [users.id],
      }).onDelete(shape.onDelete),
      index(`${shape.postsTable}_user_idx`).on(t.userId),
      ...(shape.titleIndex === 'unique'
        ? [uniqueIndex(`${shape.postsTable}_title_key`).on(t.title)]
        : []),
      ...(shape.titleIndex === 'partial'
        ? [index(`${shape.postsTable}_scored_idx`).on(t.score).where(sql`score > 0`)]
        : []),
    ],
  );
  const module: Record<string, unknown> = { mood, users, posts };
  if (shape.tags) {
    module.tags = pgTable(
      'tags',
      { postId: integer('post_id').notNull(), tag: text('tag').notNull() },
      (t) => [
        primaryKey({ name: 'tags_pk', columns: [t.postId, t.tag] }),
        foreignKey({
          name: 'tags_post_fk',
          columns: [t.postId],
          foreignColumns: [posts.id],
        }).onDelete('cascade'),
      ],
    );
  }
  if (shape.appSchema) {
    const app = pgSchema('app');
    module.app = app;
    module.settings = app.table('settings', {
      key: text('key').primaryKey(),
      value: jsonb('value'),
    });
    module.counter = app.sequence('counter', { startWith: 10, increment: 5 });
  }
  if (shape.view) {
    // The spread columns defeat drizzle's inference here; the view only needs the id.
    module.namedUsers = pgView('named_users').as((qb) =>
      qb.select({ id: users.id }).from(users as never),
    );
  }
  if (shape.counters) {
    module.counters = pgTable('counters', {
      id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
      hits: integer('hits').notNull().default(0),
    });
  }
  return module;
}

const start: Shape = {
  emailUnique: true,
  nameColumn: 'name',
  bio: false,
  age: true,
  ageCheck: false,
  titleType: 'varchar',
  bodyDefault: false,
  moodValues: ['ok', 'good'],
  userMood: false,
  postsTable: 'posts',
  titleIndex: 'none',
  tags: false,
  appSchema: false,
  onDelete: 'cascade',
  view: false,
  counters: false,
  emailNullable: false,
};

/** Each step changes the shape before it; together they cover every kind of change. */
const steps: [string, Partial<Shape>, Pick<SchemaVersion, 'renames' | 'created'>?][] = [
  ['initial', {}],
  ['add_columns_and_constraints', { bio: true, ageCheck: true, titleIndex: 'unique' }],
  ['rename_user_name', { nameColumn: 'full_name' }, { renames: ['users.name:full_name'] }],
  ['retype_and_defaults', { titleType: 'text', bodyDefault: true, emailNullable: true }],
  ['enum_value_and_column', { moodValues: ['ok', 'good', 'great'], userMood: true }],
  ['rename_posts_table', { postsTable: 'articles' }, { renames: ['posts:articles'] }],
  ['composite_key_table', { tags: true }],
  ['drop_column_swap_index', { bio: false, titleIndex: 'partial' }],
  ['schema_and_sequence', { appSchema: true }],
  ['drop_tags', { tags: false }],
  ['foreign_key_action', { onDelete: 'set null' }],
  ['view', { view: true }],
  ['identity_table', { counters: true }],
  ['drop_check_and_unique', { ageCheck: false, emailUnique: false }],
];

export function schemaHistory(): SchemaVersion[] {
  let shape = start;
  return steps.map(([name, change, hints]) => {
    shape = { ...shape, ...change };
    return { name, schema: build(shape), ...hints };
  });
}
