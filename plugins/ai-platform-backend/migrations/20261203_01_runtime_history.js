// @ts-check
/**
 * Run-time history: one row per workload that ran to its end, so the learned
 * run-time model (and with it every ETA) survives a restart.
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('ai_platform_runtime_history', table => {
    table.bigIncrements('id').primary();
    table.string('cluster').notNullable();
    table.string('uid').notNullable();
    table.string('team');
    table.string('kind');
    table.string('queue').notNullable();
    table.double('gpus').notNullable();
    table.double('declared_seconds');
    table.double('max_exec_seconds');
    table.bigInteger('actual_ms').notNullable();
    table.bigInteger('finished_ms').notNullable();
    table.unique(['cluster', 'uid'], { indexName: 'ai_platform_runtime_history_workload_uq' });
    table.index(['finished_ms'], 'ai_platform_runtime_history_finished_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('ai_platform_runtime_history');
};
