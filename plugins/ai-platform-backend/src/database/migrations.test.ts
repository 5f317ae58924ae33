import { TestDatabases } from '@backstage/backend-test-utils';
import { migratePluginDatabase } from './migrations';

describe('migratePluginDatabase', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  it.each(databases.eachSupportedId())(
    'upgrades a database whose cost ledger kept its own migrations table, without running them twice (%p)',
    async id => {
      const knex = await databases.init(id);
      await migratePluginDatabase(knex);
      await knex('ai_platform_gpu_intervals').insert({
        pod_uid: 'p',
        resource: 'nvidia.com/gpu',
        cluster: 'gpu-east',
        namespace: 'ml',
        workload: 'w',
        pod: 'w-0',
        count: 1,
        share_num: 1,
        share_den: 1,
        start_ms: 0,
        last_seen_ms: 0,
      });
      // As the plugin left it before the trees were merged: the cost migrations in a table of their own.
      await knex.schema.createTable('ai_platform_costs_knex_migrations', table => {
        table.increments('id');
        table.string('name');
        table.integer('batch');
        table.timestamp('migration_time');
      });
      const costs = await knex('ai_platform_knex_migrations').whereNot('name', 'like', '%decisions%');
      expect(costs.length).toBeGreaterThan(0);
      await knex('ai_platform_costs_knex_migrations').insert(costs.map(({ id: _id, ...row }) => row));
      await knex('ai_platform_knex_migrations').whereNot('name', 'like', '%decisions%').delete();

      await migratePluginDatabase(knex);

      expect(await knex.schema.hasTable('ai_platform_costs_knex_migrations')).toBe(false);
      expect((await knex('ai_platform_knex_migrations').select('name')).map(r => r.name).sort()).toEqual(
        [...costs.map(r => r.name), '20261123_01_decisions.js'].sort(),
      );
      expect(await knex('ai_platform_gpu_intervals').count({ n: '*' })).toEqual([{ n: expect.anything() }]);
      expect(Number((await knex('ai_platform_gpu_intervals').count({ n: '*' }))[0].n)).toBe(1);
    },
  );
});
