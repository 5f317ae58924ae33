import type { Knex } from 'knex';

/** What to do with a row whose key is already stored. */
export type OnConflict =
  | { ignore: true }
  /** Column → SQL expression over the stored row (`<table>.col`) and the new one (`excluded.col`). */
  | { set: Record<string, string> };

/** Rows per statement: one JSON parameter each, so statements stay small to parse. */
const ROWS_PER_STATEMENT = 5_000;

/**
 * Inserts many rows, each statement sending its rows as one JSON document
 * (SQLite's json_each over arrays, PostgreSQL's json_populate_recordset). The ledger
 * writes tens of thousands of rows a batch; a multi-row VALUES insert would
 * be parsed and prepared afresh for every 500 rows (SQLite's compound-select
 * limit), which costs more than the writes themselves.
 */
export async function bulkUpsert(
  db: Knex | Knex.Transaction,
  table: string,
  key: string[],
  rows: Array<Record<string, string | number | null>>,
  onConflict: OnConflict,
): Promise<void> {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0]);
  const postgres = db.client.config.client === 'pg';
  const id = (name: string) => `"${name}"`;
  const source = postgres
    ? `SELECT ${columns.map(id).join(', ')} FROM json_populate_recordset(NULL::${id(table)}, ?::json)`
    : // Rows as arrays (cheaper to parse); WHERE true: SQLite reads ON CONFLICT after a bare SELECT as a join constraint.
      `SELECT ${columns.map((_, i) => `value ->> ${i}`).join(', ')} FROM json_each(?) WHERE true`;
  const action =
    'ignore' in onConflict
      ? 'DO NOTHING'
      : `DO UPDATE SET ${Object.entries(onConflict.set)
          .map(([column, expression]) => `${id(column)} = ${expression}`)
          .join(', ')}`;
  const sql = `INSERT INTO ${id(table)} (${columns.map(id).join(', ')}) ${source} ON CONFLICT (${key.map(id).join(', ')}) ${action}`;
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
    const chunk = rows.slice(i, i + ROWS_PER_STATEMENT);
    await db.raw(sql, [JSON.stringify(postgres ? chunk : chunk.map(row => columns.map(c => row[c] ?? null)))]);
  }
}
