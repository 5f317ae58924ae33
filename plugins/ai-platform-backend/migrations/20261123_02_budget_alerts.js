// @ts-check
/**
 * Budget threshold notifications already sent, so each threshold notifies
 * once per team per month.
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('ai_platform_budget_alerts', table => {
    table.string('team').notNullable();
    table.string('month', 7).notNullable();
    table.integer('threshold').notNullable();
    table.bigInteger('sent_ms').notNullable();
    table.primary(['team', 'month', 'threshold']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('ai_platform_budget_alerts');
};
