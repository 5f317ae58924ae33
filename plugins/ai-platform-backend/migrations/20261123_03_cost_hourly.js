// @ts-check
/**
 * Hourly cost rollup beside the daily one, for showback at step=1h. The
 * ledger backfills recent closed intervals on start; older hours stay empty
 * (hourly showback only covers the last 7 days).
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('ai_platform_cost_hourly', table => {
    table.string('pod_uid').notNullable();
    table.string('resource').notNullable();
    // YYYY-MM-DDTHH (UTC)
    table.string('hour', 13).notNullable();
    table.string('cluster').notNullable();
    table.string('namespace').notNullable();
    table.string('workload').notNullable();
    table.string('team');
    table.string('queue');
    table.string('flavor');
    table.string('gpu_product');
    table.bigInteger('gpu_ms').notNullable();
    table.bigInteger('cost_micros').notNullable();
    table.primary(['pod_uid', 'resource', 'hour']);
    table.index(['hour', 'team']);
  });
  await knex.schema.alterTable('ai_platform_gpu_intervals', table => {
    table.index(['cluster', 'namespace', 'workload']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('ai_platform_gpu_intervals', table => {
    table.dropIndex(['cluster', 'namespace', 'workload']);
  });
  await knex.schema.dropTable('ai_platform_cost_hourly');
};
