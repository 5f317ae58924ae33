/**
 * Keys that suit ingest, which writes recent time and random pod uids:
 * - the rollups' keys lead with their time bucket, (day | hour, pod_uid,
 *   resource), so new rows land at the end of the index instead of all over
 *   it; per-pod lookups go through the intervals table;
 * - open intervals (few: the running pods) get a partial index by cluster,
 *   replacing the indexes over every interval's end.
 */
const rollups = [
  ['ai_platform_cost_daily', 'day'],
  ['ai_platform_cost_hourly', 'hour'],
];

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  for (const [table, bucket] of rollups) {
    await knex.schema.alterTable(table, t => {
      t.dropPrimary();
      t.primary([bucket, 'pod_uid', 'resource']);
      t.dropIndex([bucket, 'team']);
    });
  }
  await knex.schema.alterTable('ai_platform_gpu_intervals', t => {
    t.dropIndex(['end_ms']);
    t.dropIndex(['cluster', 'end_ms']);
    t.index(['cluster'], 'ai_platform_gpu_intervals_open_index', {
      predicate: knex.whereNull('end_ms'),
    });
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('ai_platform_gpu_intervals', t => {
    t.dropIndex([], 'ai_platform_gpu_intervals_open_index');
    t.index(['end_ms']);
    t.index(['cluster', 'end_ms']);
  });
  for (const [table, bucket] of rollups) {
    await knex.schema.alterTable(table, t => {
      t.dropPrimary();
      t.primary(['pod_uid', 'resource', bucket]);
      t.index([bucket, 'team']);
    });
  }
};
