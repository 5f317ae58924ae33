import type { ClusterSummary, QueueListResponse } from '@ai-platform/backstage-plugin-ai-platform-common';
import clusters from './__fixtures__/clusters.json';
import queues from './__fixtures__/queues.json';
import { gpuPools } from './gpuPools';

describe('GPU pools', () => {
  const pools = gpuPools(clusters as unknown as ClusterSummary[], queues as unknown as QueueListResponse);
  const row = (p: (typeof pools)[number]) => `${p.cluster} ${p.flavor} ${p.unitLabel} ${p.allocated}/${p.capacity}`;

  it('shows MIG profiles and time-sliced shares as what they are, beside whole GPUs', () => {
    expect(pools.map(row)).toEqual([
      'gpu-east a100-mig MIG 1g.10gb slices 0/128',
      'gpu-east a100-mig MIG 3g.40gb slices 0/32',
      'gpu-east h100 whole GPUs 56/64',
      'gpu-east l4-shared time-sliced shares 0/64',
      'gpu-west a10g whole GPUs 0/24',
      'gpu-west h100 whole GPUs 48/64',
    ]);
  });

  it("leaves out the catch-all flavor's GPUs, which no queue gives quota of", () => {
    expect(pools.some(p => p.flavor === 'default')).toBe(false);
  });
});
