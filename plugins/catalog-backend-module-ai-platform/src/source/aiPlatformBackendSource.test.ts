import { mockServices } from '@backstage/backend-test-utils';
import type { WorkloadSummary } from '@ai-platform/backstage-plugin-ai-platform-common';
import fixture from '../__fixtures__/platform.json';
import { FakeAiPlatformBackend } from '../__testUtils__/FakeAiPlatformBackend';
import { aiPlatformBackendSource } from './aiPlatformBackendSource';
import type { AiPlatformSource } from './types';

describe('aiPlatformBackendSource', () => {
  const fake = new FakeAiPlatformBackend();
  let source: AiPlatformSource;

  beforeAll(async () => {
    const baseUrl = await fake.start();
    source = aiPlatformBackendSource({
      discovery: { getBaseUrl: async () => baseUrl, getExternalBaseUrl: async () => baseUrl },
      auth: mockServices.auth({ pluginId: 'catalog' }),
    });
  });
  afterAll(() => fake.stop());

  it('reads the three routes with a service token for ai-platform', async () => {
    fake.workloads = fixture.workloads as WorkloadSummary[];
    await expect(source.listWorkloads()).resolves.toHaveLength(fixture.workloads.length);
    await expect(source.listQueues()).resolves.toEqual({ clusterQueues: [], cohorts: [] });
    await expect(source.listClusters()).resolves.toEqual([]);
    expect(fake.requests.map(r => r.path)).toEqual([
      '/api/ai-platform/workloads',
      '/api/ai-platform/queues',
      '/api/ai-platform/clusters',
    ]);
    const token = fake.requests[0].authorization!.replace('Bearer ', '');
    expect(token).toContain('ai-platform');
  });

  it('refuses a partial workload list, which would read as removals', async () => {
    fake.workloads = (fixture.workloads as WorkloadSummary[]).slice(0, 2);
    fake.reportedTotal = 9;
    await expect(source.listWorkloads()).rejects.toThrow('returned 2 of 9 workloads');
    fake.reportedTotal = undefined;
  });
});
