import type { Knex } from 'knex';
import { resolvePackagePath } from '@backstage/backend-plugin-api';

const migrationsTable = 'ai_platform_knex_migrations';
/** Where the cost ledger recorded its migrations when it kept a tree of its own (costs-migrations/). */
const formerCostsTable = 'ai_platform_costs_knex_migrations';

/**
 * Brings the plugin's database schema up to date from its one migrations
 * tree (migrations/: the decision log and the cost ledger). A database made
 * when the cost ledger had its own tree and table has those migrations
 * adopted first, so they are not run twice.
 */
export async function migratePluginDatabase(knex: Knex): Promise<void> {
  await adoptFormerCostsMigrations(knex);
  await knex.migrate.latest({
    directory: resolvePackagePath('@ai-platform/backstage-plugin-ai-platform-backend', 'migrations'),
    tableName: migrationsTable,
  });
}

async function adoptFormerCostsMigrations(knex: Knex): Promise<void> {
  if (!(await knex.schema.hasTable(formerCostsTable))) return;
  await knex.transaction(async tx => {
    if (!(await tx.schema.hasTable(migrationsTable))) {
      await tx.schema.renameTable(formerCostsTable, migrationsTable);
    } else {
      const known = new Set((await tx(migrationsTable).select('name')).map(r => r.name as string));
      const adopted = (await tx(formerCostsTable).select('name', 'batch', 'migration_time')).filter(
        r => !known.has(r.name),
      );
      if (adopted.length) await tx(migrationsTable).insert(adopted);
      await tx.schema.dropTable(formerCostsTable);
    }
    if (await tx.schema.hasTable(`${formerCostsTable}_lock`)) await tx.schema.dropTable(`${formerCostsTable}_lock`);
  });
}
