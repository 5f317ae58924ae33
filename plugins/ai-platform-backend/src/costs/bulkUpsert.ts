import type { Knex } from 'knex';

/** What to do with a row whose key is already stored. */
export type OnConflict =
  | { ignore: true }
  /**
   * Column → SQL expression over the stored row (`<table>.col`) and the new
   * one (`excluded.col`); `where` (over the same) limits which stored rows change.
   */
  | { set: Record<string, string>; where?: string };

type Row = Record<string, string | number | null>;

/** Rows per statement: one JSON parameter each, so statements stay small to parse. */
const ROWS_PER_STATEMENT = 5_000;

const id = (name: string) => `"${name}"`;

/**
 * Inserts many rows in a few statements; `onConflict` says what happens to
 * keys already stored. Returns the `returning` columns of the rows inserted
 * or updated (none without `returning`).
 *
 * Each statement sends its rows as one JSON parameter (SQLite's json_each
 * over arrays, PostgreSQL's json_populate_recordset typed by the table). A
 * multi-row VALUES list would be parsed and prepared afresh for every 500
 * rows (SQLite's compound-select limit), which costs more than the writes
 * themselves.
 */
export async function bulkUpsert(
  db: Knex | Knex.Transaction,
  table: string,
  key: string[],
  rows: Row[],
  onConflict: OnConflict,
  returning: string[] = [],
): Promise<Row[]> {
  if (rows.length === 0) return [];
  const columns = Object.keys(rows[0]);
  const postgres = db.client.config.client === 'pg';
  const source = postgres
    ? `SELECT ${columns.map(id).join(', ')} FROM json_populate_recordset(NULL::${id(table)}, ?::json)`
    : // Rows as arrays (cheaper to parse); WHERE true: SQLite reads ON CONFLICT after a bare SELECT as a join constraint.
      `SELECT ${columns.map((_, i) => `value ->> ${i}`).join(', ')} FROM json_each(?) WHERE true`;
  const action =
    'ignore' in onConflict
      ? 'DO NOTHING'
      : `DO UPDATE SET ${Object.entries(onConflict.set)
          .map(([column, expression]) => `${id(column)} = ${expression}`)
          .join(', ')}${onConflict.where ? ` WHERE ${onConflict.where}` : ''}`;
  const tail = returning.length ? ` RETURNING ${returning.map(id).join(', ')}` : '';
  const sql = `INSERT INTO ${id(table)} (${columns.map(id).join(', ')}) ${source} ON CONFLICT (${key
    .map(id)
    .join(', ')}) ${action}${tail}`;
  const out: Row[] = [];
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
    const chunk = rows.slice(i, i + ROWS_PER_STATEMENT);
    const result = await db.raw(sql, [
      JSON.stringify(postgres ? chunk : chunk.map(row => columns.map(c => row[c] ?? null))),
    ]);
    if (returning.length) out.push(...rowsOf(result));
  }
  return out;
}

/** A raw query's rows: better-sqlite3 returns them (or a run summary), pg wraps them in a result. */
function rowsOf(result: Row[] | { rows?: Row[] }): Row[] {
  return Array.isArray(result) ? result : result.rows ?? [];
}
