import { mockServices } from '@backstage/backend-test-utils';
import { fixture } from './__testUtils__/kubeSimCluster';
import { QueueConfigSource } from './queueConfig';

describe('QueueConfigSource', () => {
  const objects = () => fixture('afs-queues.yaml');
  const withUsage = (gpus: string) =>
    objects().map(o =>
      o.kind === 'LocalQueue' && o.metadata.namespace === 'team-a'
        ? {
            ...o,
            status: {
              fairSharing: {
                weightedShare: 0,
                admissionFairSharingStatus: {
                  consumedResources: { 'nvidia.com/gpu': gpus },
                  lastUpdate: '2026-12-03T10:00:00Z',
                },
              },
            },
          }
        : o,
    );

  it('keeps a LocalQueue’s newer persisted usage for the next engine without reporting a configuration change', () => {
    const source = new QueueConfigSource('gpu', [], mockServices.logger.mock());
    expect(source.update(withUsage('1'))).toBe(true);
    expect(source.update(withUsage('2500m'))).toBe(false);
    expect(source.config.localQueues.get('team-a/training')?.admissionFairSharingStatus?.consumedResources).toEqual({
      'nvidia.com/gpu': 2500,
    });
  });

  it('reads the usage Kueue wrote (nano-units) when taking over from it', () => {
    const source = new QueueConfigSource('gpu', [], mockServices.logger.mock());
    expect(source.update(withUsage('10666666666n'))).toBe(true);
    expect(source.config.localQueues.get('team-a/training')?.admissionFairSharingStatus?.consumedResources).toEqual({
      'nvidia.com/gpu': 10667,
    });
  });

  it('reports a change of anything else', () => {
    const source = new QueueConfigSource('gpu', [], mockServices.logger.mock());
    source.update(objects());
    const renamed = objects().map(o =>
      o.kind === 'LocalQueue' && o.metadata.namespace === 'team-b' ? { ...o, spec: { clusterQueue: 'other' } } : o,
    );
    expect(source.update(renamed)).toBe(true);
  });
});
