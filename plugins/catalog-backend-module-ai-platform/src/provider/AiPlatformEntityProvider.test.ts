import { mockServices } from '@backstage/backend-test-utils';
import { stringifyEntityRef } from '@backstage/catalog-model';
import type { EntityProviderConnection, EntityProviderMutation } from '@backstage/plugin-catalog-node';
import type {
  ClusterSummary,
  QueueListResponse,
  WorkloadSummary,
} from '@ai-platform/backstage-plugin-ai-platform-common';
import fixture from '../__fixtures__/platform.json';
import { readAiPlatformProviderConfig } from '../config';
import type { AiPlatformSource } from '../source/types';
import { AiPlatformEntityProvider } from './AiPlatformEntityProvider';

class FakeSource implements AiPlatformSource {
  workloads = structuredClone(fixture.workloads) as WorkloadSummary[];
  failing = false;
  async listWorkloads() {
    if (this.failing) throw new Error('backend down');
    return structuredClone(this.workloads);
  }
  async listQueues() {
    return fixture.queues as QueueListResponse;
  }
  async listClusters() {
    return fixture.clusters as ClusterSummary[];
  }
}

function setup() {
  const source = new FakeSource();
  const mutations: EntityProviderMutation[] = [];
  const connection: EntityProviderConnection = {
    applyMutation: async m => {
      mutations.push(m);
    },
    refresh: async () => {},
  };
  const logger = mockServices.logger.mock();
  const provider = new AiPlatformEntityProvider({
    source,
    logger,
    config: readAiPlatformProviderConfig(mockServices.rootConfig({ data: {} })),
    now: () => new Date('2026-11-23T10:00:00Z'),
  });
  return { source, mutations, connection, provider, logger };
}

const refsOf = (entities: Array<{ entity: { kind: string; metadata: { name: string } } }>) =>
  entities.map(d => stringifyEntityRef(d.entity as never)).sort();

describe('AiPlatformEntityProvider', () => {
  it('applies everything as one full mutation', async () => {
    const { provider, connection, mutations } = setup();
    await provider.connect(connection);
    const stats = await provider.refreshAll();
    expect(mutations).toHaveLength(1);
    const [full] = mutations;
    expect(full.type).toBe('full');
    const entities = full.type === 'full' ? full.entities : [];
    const kinds = entities.map(e => e.entity.kind);
    expect(kinds.filter(k => k === 'Component')).toHaveLength(7);
    expect(kinds.filter(k => k === 'API')).toHaveLength(2);
    expect(kinds.filter(k => k === 'Resource')).toHaveLength(11);
    expect(stats).toMatchObject({ kind: 'full', applied: 20, invalid: 0 });
    expect(entities.every(e => e.locationKey?.startsWith('ai-platform:'))).toBe(true);
  });

  it('sends nothing when no workload changed, and only what changed when one did', async () => {
    const { provider, connection, mutations, source } = setup();
    await provider.connect(connection);
    await provider.refreshAll();
    await provider.refreshWorkloads();
    expect(mutations).toHaveLength(1);

    source.workloads[0].state = 'Preempted';
    source.workloads.push({ ...source.workloads[0], name: 'train-vit', uid: 'u-new', state: 'Pending' });
    source.workloads = source.workloads.filter(w => w.name !== 'scratch');
    const stats = await provider.refreshWorkloads();
    expect(stats).toMatchObject({ kind: 'delta', applied: 2, removed: 1 });
    const delta = mutations[1];
    if (delta.type !== 'delta') throw new Error('expected a delta mutation');
    expect(refsOf(delta.added)).toEqual(
      [
        'component:default/gpu-east--team-vision--train-vit',
        'component:default/gpu-east--team-vision--train-resnet--pytorchjob',
      ].sort(),
    );
    expect(delta.removed).toEqual([
      { entityRef: 'component:default/gpu-east--team-vision--scratch', locationKey: 'ai-platform:gpu-east' },
    ]);

    await provider.refreshWorkloads();
    expect(mutations).toHaveLength(2);
  });

  it('sends every valid entity again on the next full run, and reports an invalid one once', async () => {
    const { provider, connection, mutations, source, logger } = setup();
    source.workloads.push({ ...source.workloads[0], name: 'bad', uid: 'u-bad', entityType: 'Not A Type!' as never });
    await provider.connect(connection);
    const first = await provider.refreshAll();
    source.workloads[0].state = 'Preempted';
    const second = await provider.refreshAll();
    expect(first).toMatchObject({ applied: 20, invalid: 1 });
    expect(second).toMatchObject({ applied: 20, invalid: 1 });
    const [before, after] = mutations.map(m => (m.type === 'full' ? m.entities : []));
    expect(refsOf(after)).toEqual(refsOf(before));
    expect(after.find(d => d.entity.metadata.name.includes('train-resnet'))?.entity.metadata.annotations).not.toEqual(
      before.find(d => d.entity.metadata.name.includes('train-resnet'))?.entity.metadata.annotations,
    );
    expect(logger.error).toHaveBeenCalledTimes(1);
    expect(logger.error.mock.calls[0][0]).toMatch(/invalid Component "gpu-east--team-vision--bad"/);
  });

  it('emits every workload entity as added on a delta before any full run', async () => {
    const { provider, connection, mutations } = setup();
    await provider.connect(connection);
    await provider.refreshWorkloads();
    const [delta] = mutations;
    expect(delta.type === 'delta' && delta.added).toHaveLength(9);
  });

  it('keeps the catalog as it is when the backend cannot be read', async () => {
    const { provider, connection, mutations, source } = setup();
    await provider.connect(connection);
    source.failing = true;
    await expect(provider.refreshAll()).rejects.toThrow('backend down');
    await expect(provider.refreshWorkloads()).rejects.toThrow('backend down');
    expect(mutations).toEqual([]);
    source.failing = false;
    await expect(provider.refreshAll()).resolves.toMatchObject({ applied: 20 });
  });

  it('refuses to run before the catalog connected it', async () => {
    const { provider } = setup();
    await expect(provider.refreshAll()).rejects.toThrow(/not connected/);
  });
});
