// @ts-check
/**
 * GPU capacity of nodes over time, for fleet idle: one interval per node
 * (uid), GPU resource and stretch of constant capacity; and, per cluster,
 * when capacity recording began (nodes that existed then open at that
 * moment, not at their creation, since their earlier pods are not in the
 * ledger).
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('ai_platform_node_capacity', table => {
    table.string('cluster').notNullable();
    table.string('node').notNullable();
    table.string('node_uid').notNullable();
    table.string('resource').notNullable();
    table.string('flavor');
    table.string('gpu_product');
    table.integer('count').notNullable();
    table.integer('share_num').notNullable();
    table.integer('share_den').notNullable();
    table.bigInteger('start_ms').notNullable();
    table.bigInteger('end_ms');
    table.bigInteger('last_seen_ms').notNullable();
    table.primary(['cluster', 'node_uid', 'resource', 'start_ms']);
    table.index(['cluster', 'end_ms']);
    table.index(['start_ms']);
  });
  await knex.schema.createTable('ai_platform_capacity_clusters', table => {
    table.string('cluster').primary();
    table.bigInteger('since_ms').notNullable();
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('ai_platform_capacity_clusters');
  await knex.schema.dropTable('ai_platform_node_capacity');
};
