// @ts-check
/**
 * The admission decision log: every admission, preemption, eviction and
 * user action on a workload, so the controller never admits twice after a
 * restart and users can see why a workload did what it did.
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('ai_platform_decisions', table => {
    table.bigIncrements('id').primary();
    table.string('cluster').notNullable();
    table.string('namespace').notNullable();
    table.string('kind').notNullable();
    table.string('name').notNullable();
    table.string('uid').notNullable();
    table.string('decision').notNullable();
    table.string('cluster_queue');
    table.string('reason');
    table.text('message');
    table.text('assignment');
    table.string('actor').notNullable();
    table.timestamp('time', { useTz: true }).notNullable();
    table.index(['uid', 'time'], 'ai_platform_decisions_uid_time_idx');
    table.index(['cluster', 'namespace', 'name', 'time'], 'ai_platform_decisions_workload_time_idx');
    table.index(['time'], 'ai_platform_decisions_time_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('ai_platform_decisions');
};
