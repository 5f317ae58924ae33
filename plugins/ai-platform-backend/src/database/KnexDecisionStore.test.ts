import { TestDatabases } from '@backstage/backend-test-utils';
import { KnexDecisionStore } from './KnexDecisionStore';
import { migratePluginDatabase } from './migrations';
import type { DecisionRecord } from './DecisionStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

const admitted: DecisionRecord = {
  cluster: 'gpu-east',
  namespace: 'team-a',
  kind: 'Job',
  name: 'train-llm',
  uid: 'uid-1',
  decision: 'Admitted',
  clusterQueue: 'cq-a',
  reason: 'QuotaReserved',
  message: 'Quota reserved in ClusterQueue cq-a',
  assignment: { podSets: [{ name: 'main', count: 2, flavors: { 'nvidia.com/gpu': 'h100' } }] },
  actor: 'controller',
  time: new Date('2026-11-23T10:00:00.000Z'),
};

async function storeFor(databaseId: Parameters<typeof databases.init>[0]) {
  const knex = await databases.init(databaseId);
  await migratePluginDatabase(knex);
  return { knex, store: new KnexDecisionStore(knex) };
}

describe.each(databases.eachSupportedId())('KnexDecisionStore on %p', databaseId => {
  it('returns a recorded decision exactly as recorded, assignment included', async () => {
    const { store } = await storeFor(databaseId);
    await store.record(admitted);
    expect(await store.list({ uid: 'uid-1' })).toEqual([admitted]);
  });

  it('lists the most recent decision first and honours the filters and limit', async () => {
    const { store } = await storeFor(databaseId);
    await store.record({
      ...admitted,
      decision: 'Submitted',
      actor: 'user:default/alice',
      time: new Date('2026-11-23T09:59:00Z'),
      assignment: undefined,
      clusterQueue: undefined,
      reason: undefined,
      message: undefined,
    });
    await store.record(admitted);
    await store.record({ ...admitted, decision: 'Preempted', time: new Date('2026-11-23T10:05:00Z') });
    await store.record({
      ...admitted,
      uid: 'uid-2',
      name: 'other',
      namespace: 'team-b',
      time: new Date('2026-11-23T11:00:00Z'),
    });

    const forWorkload = await store.list({ cluster: 'gpu-east', namespace: 'team-a', name: 'train-llm' });
    expect(forWorkload.map(d => d.decision)).toEqual(['Preempted', 'Admitted', 'Submitted']);
    expect(forWorkload[2]).toEqual({
      cluster: 'gpu-east',
      namespace: 'team-a',
      kind: 'Job',
      name: 'train-llm',
      uid: 'uid-1',
      decision: 'Submitted',
      actor: 'user:default/alice',
      time: new Date('2026-11-23T09:59:00Z'),
    });
    expect((await store.list({ limit: 2 })).map(d => d.name)).toEqual(['other', 'train-llm']);
    expect(await store.list({ namespace: 'nowhere' })).toEqual([]);
  });

  it('gives the last decision for a uid, or undefined when there is none', async () => {
    const { store } = await storeFor(databaseId);
    expect(await store.lastDecision('uid-1')).toBeUndefined();
    await store.record(admitted);
    await store.record({ ...admitted, decision: 'Evicted', time: new Date('2026-11-23T10:30:00Z') });
    await store.record({ ...admitted, uid: 'uid-2', decision: 'Finished', time: new Date('2026-11-23T12:00:00Z') });
    expect((await store.lastDecision('uid-1'))?.decision).toBe('Evicted');
  });

  it('migrates idempotently and creates the indexed decisions table', async () => {
    const { knex } = await storeFor(databaseId);
    await migratePluginDatabase(knex);
    expect(await knex.schema.hasTable('ai_platform_decisions')).toBe(true);
    for (const column of [
      'id',
      'cluster',
      'namespace',
      'kind',
      'name',
      'uid',
      'decision',
      'cluster_queue',
      'reason',
      'message',
      'assignment',
      'actor',
      'time',
    ]) {
      expect(await knex.schema.hasColumn('ai_platform_decisions', column)).toBe(true);
    }
  });
});
