// @ts-check
/**
 * The GPU usage ledger: one row per pod and GPU resource (an allocation
 * interval), and its cost split by UTC day for fast showback.
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  /** @param {import('knex').Knex.CreateTableBuilder} table */
  const dims = table => {
    table.string('cluster').notNullable();
    table.string('namespace').notNullable();
    table.string('workload').notNullable();
    table.string('team');
    table.string('queue');
    table.string('flavor');
    table.string('gpu_product');
  };
  await knex.schema.createTable('ai_platform_gpu_intervals', table => {
    table.string('pod_uid').notNullable();
    table.string('resource').notNullable();
    dims(table);
    table.string('pod').notNullable();
    table.string('node');
    table.integer('count').notNullable();
    table.integer('share_num').notNullable();
    table.integer('share_den').notNullable();
    table.bigInteger('start_ms').notNullable();
    table.bigInteger('end_ms');
    table.bigInteger('last_seen_ms').notNullable();
    table.primary(['pod_uid', 'resource']);
    table.index(['end_ms']);
    table.index(['cluster', 'end_ms']);
  });
  await knex.schema.createTable('ai_platform_cost_daily', table => {
    table.string('pod_uid').notNullable();
    table.string('resource').notNullable();
    table.string('day', 10).notNullable();
    dims(table);
    table.bigInteger('gpu_ms').notNullable();
    table.bigInteger('cost_micros').notNullable();
    table.primary(['pod_uid', 'resource', 'day']);
    table.index(['day', 'team']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('ai_platform_cost_daily');
  await knex.schema.dropTable('ai_platform_gpu_intervals');
};
