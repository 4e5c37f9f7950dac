import { quoteIdent, quoteLiteral } from '../sql/names.js';
import type {
  CatalogColumn,
  CatalogPolicy,
  CatalogSequence,
  CatalogTable,
} from './catalog-state.js';

/*
 * The pieces of DDL a derived down script is written with: quoting, and the
 * definitions of objects as CREATE and ALTER statements spell them.
 */

export { quoteIdent };
export const qualified = (schema: string, name: string) =>
  `${quoteIdent(schema)}.${quoteIdent(name)}`;
export { quoteLiteral as literal };

export function columnDefinition(column: CatalogColumn): string {
  const parts = [quoteIdent(column.name), column.type];
  if (column.generated) parts.push(`GENERATED ALWAYS AS (${column.default}) STORED`);
  else if (column.default !== null) parts.push(`DEFAULT ${column.default}`);
  if (column.identity)
    parts.push(`GENERATED ${column.identity === 'a' ? 'ALWAYS' : 'BY DEFAULT'} AS IDENTITY`);
  if (column.notNull) parts.push('NOT NULL');
  return parts.join(' ');
}

export function createPolicy(policy: CatalogPolicy): string {
  const parts = [
    `CREATE POLICY ${quoteIdent(policy.name)} ON ${qualified(policy.schema, policy.table)}`,
    `AS ${policy.permissive ? 'PERMISSIVE' : 'RESTRICTIVE'} FOR ${policy.command}`,
    `TO ${policy.roles.map((r) => (r === 'public' ? 'public' : quoteIdent(r))).join(', ')}`,
  ];
  if (policy.using !== null) parts.push(`USING (${policy.using})`);
  if (policy.check !== null) parts.push(`WITH CHECK (${policy.check})`);
  return `${parts.join(' ')};`;
}

const optionKey = (option: string) => option.split('=')[0]!;

/** Row level security and storage parameters of a table that exists in both states. */
export function tableSettings(from: CatalogTable, to: CatalogTable): string[] {
  const at = `ALTER TABLE ${qualified(to.schema, to.name)}`;
  const out: string[] = [];
  if (from.rowLevelSecurity !== to.rowLevelSecurity)
    out.push(`${at} ${to.rowLevelSecurity ? 'ENABLE' : 'DISABLE'} ROW LEVEL SECURITY;`);
  if (from.forceRowLevelSecurity !== to.forceRowLevelSecurity)
    out.push(`${at} ${to.forceRowLevelSecurity ? '' : 'NO '}FORCE ROW LEVEL SECURITY;`);
  const reset = from.options.filter((o) => !to.options.some((t) => optionKey(t) === optionKey(o)));
  if (reset.length > 0) out.push(`${at} RESET (${reset.map(optionKey).join(', ')});`);
  const set = to.options.filter((o) => !from.options.includes(o));
  if (set.length > 0) out.push(`${at} SET (${set.join(', ')});`);
  return out;
}

const sequenceOptions = (s: CatalogSequence) =>
  `INCREMENT BY ${s.increment} MINVALUE ${s.min} MAXVALUE ${s.max} START WITH ${s.start} CACHE ${s.cache}${s.cycle ? ' CYCLE' : ''}`;

export const createSequence = (s: CatalogSequence) =>
  `CREATE SEQUENCE ${qualified(s.schema, s.name)} AS ${s.dataType} ${sequenceOptions(s)};`;

export const identityOptions = (s: CatalogSequence) =>
  `SEQUENCE NAME ${qualified(s.schema, s.name)} ${sequenceOptions(s)}`;

/**
 * A sequence made anew starts over; the rows of its column already hold those
 * numbers, so it continues after the highest one (if there are rows).
 */
export const continueAfterRows = (sequence: string, column: CatalogColumn) =>
  `SELECT setval(${sequence}, max(${quoteIdent(column.name)})) FROM ${qualified(column.schema, column.table)} HAVING max(${quoteIdent(column.name)}) IS NOT NULL;`;
