import type { QueueListResponse } from '@ai-platform/backstage-plugin-ai-platform-common';
import { cohortTotals, placeClusterQueue, type CohortNode } from './cohortPlacement';
import queueFixtures from './__fixtures__/queues.json';

const queueFixture = queueFixtures.queueFixture as QueueListResponse;

const shape = (node: CohortNode): unknown => ({
  name: node.name,
  clusterQueues: node.clusterQueues.map(q => q.name),
  children: node.children.map(shape),
});

describe('placeClusterQueue', () => {
  it('builds the tree from the top-level cohort down, through parent cohorts', () => {
    const placed = placeClusterQueue(queueFixture, 'gpu-west', 'research');
    expect(placed?.kind).toBe('cohort');
    expect(placed?.kind === 'cohort' && shape(placed.root)).toEqual({
      name: 'org',
      clusterQueues: [],
      children: [
        { name: 'inference', clusterQueues: ['serving'], children: [] },
        {
          name: 'training',
          clusterQueues: ['research', 'vision'],
          children: [],
        },
      ],
    });
  });

  it('keeps other clusters out of the tree', () => {
    const placed = placeClusterQueue(queueFixture, 'gpu-east', 'research');
    expect(placed?.kind === 'cohort' && shape(placed.root)).toEqual({
      name: 'training',
      clusterQueues: ['research'],
      children: [],
    });
  });

  it('creates cohorts that are only named by a ClusterQueue or as a parent, as Kueue does', () => {
    const queues: QueueListResponse = {
      cohorts: [
        {
          cluster: 'c',
          name: 'child',
          parent: 'implicit-root',
          clusterQueues: [],
        },
      ],
      clusterQueues: [
        {
          ...queueFixture.clusterQueues[0],
          cluster: 'c',
          name: 'a',
          cohort: 'child',
        },
        {
          ...queueFixture.clusterQueues[0],
          cluster: 'c',
          name: 'b',
          cohort: 'unlisted',
        },
      ],
    };
    const placed = placeClusterQueue(queues, 'c', 'a');
    expect(placed?.kind === 'cohort' && shape(placed.root)).toEqual({
      name: 'implicit-root',
      clusterQueues: [],
      children: [{ name: 'child', clusterQueues: ['a'], children: [] }],
    });
  });

  it('stops at a cohort cycle instead of looping', () => {
    const queues: QueueListResponse = {
      cohorts: [
        { cluster: 'c', name: 'x', parent: 'y', clusterQueues: [] },
        { cluster: 'c', name: 'y', parent: 'x', clusterQueues: [] },
      ],
      clusterQueues: [
        {
          ...queueFixture.clusterQueues[0],
          cluster: 'c',
          name: 'a',
          cohort: 'x',
        },
      ],
    };
    const placed = placeClusterQueue(queues, 'c', 'a');
    expect(placed?.kind).toBe('cohort');
  });

  it('places a ClusterQueue without cohort alone, and an unknown one nowhere', () => {
    expect(placeClusterQueue(queueFixture, 'gpu-west', 'sandbox')?.kind).toBe('standalone');
    expect(placeClusterQueue(queueFixture, 'gpu-west', 'missing')).toBeUndefined();
  });

  it('sums what a cohort pools over its ClusterQueues and child cohorts', () => {
    const placed = placeClusterQueue(queueFixture, 'gpu-west', 'research');
    if (placed?.kind !== 'cohort') throw new Error('expected a cohort');
    expect(cohortTotals(placed.root, r => r.includes('gpu'))).toEqual([
      { flavor: 'h100', resource: 'nvidia.com/gpu', nominal: 24, used: 22 },
      { flavor: 'l40s', resource: 'nvidia.com/gpu', nominal: 12, used: 12 },
    ]);
    expect(cohortTotals(placed.root.children[0])).toEqual([
      { flavor: 'l40s', resource: 'nvidia.com/gpu', nominal: 12, used: 12 },
    ]);
  });
});
