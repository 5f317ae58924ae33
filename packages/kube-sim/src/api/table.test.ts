import { builtinResourceTypes } from '../store/resourceTypes';
import type { KubeObject } from '../store/types';
import { shortHumanDuration, toTable } from './table';

const typeOf = (group: string, kind: string) => builtinResourceTypes.find(t => t.group === group && t.kind === kind)!;

describe('toTable', () => {
  it.each([
    [30_000, '30s'],
    [5 * 60_000, '5m'],
    [3 * 3600_000, '3h'],
    [4 * 86400_000, '4d'],
    [800 * 86400_000, '2y'],
    [-5000, '<invalid>'],
  ])('shows an age of %d ms as %s', (ms, shown) => {
    expect(shortHumanDuration(ms)).toBe(shown);
  });

  it.each([
    [{ phase: 'Running' }, {}, 'Running'],
    [
      {
        phase: 'Pending',
        containerStatuses: [{ state: { waiting: { reason: 'ContainerCreating' } } }],
      },
      {},
      'ContainerCreating',
    ],
    [
      {
        phase: 'Failed',
        containerStatuses: [{ state: { terminated: { reason: 'OOMKilled' } } }],
      },
      {},
      'OOMKilled',
    ],
    [{ phase: 'Running' }, { deletionTimestamp: '2026-01-01T00:00:00Z' }, 'Terminating'],
  ])('shows pod status %j (metadata %j) as %s', (status, metadata, shown) => {
    const pod: KubeObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', ...metadata },
      spec: { containers: [{}] },
      status,
    };
    expect(toTable(typeOf('', 'Pod'), [pod], 'None').rows[0].cells[2]).toBe(shown);
  });

  it('describes events by type, reason, object and message', () => {
    const event: KubeObject = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: 'e', creationTimestamp: new Date().toISOString() },
      type: 'Warning',
      reason: 'FailedScheduling',
      involvedObject: { kind: 'Pod', name: 'train-0' },
      message: '0/8 nodes are available',
    };
    const table = toTable(typeOf('', 'Event'), [event], 'Metadata');
    expect(table.columnDefinitions.map(c => c.name)).toEqual(['Last Seen', 'Type', 'Reason', 'Object', 'Message']);
    expect(table.rows[0].cells.slice(1)).toEqual([
      'Warning',
      'FailedScheduling',
      'pod/train-0',
      '0/8 nodes are available',
    ]);
    expect(table.rows[0].object).toEqual({
      kind: 'PartialObjectMetadata',
      apiVersion: 'meta.k8s.io/v1',
      metadata: event.metadata,
    });
  });

  it('lists node roles from node-role labels', () => {
    const node: KubeObject = {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: {
        name: 'gpu-1',
        labels: { 'node-role.kubernetes.io/gpu': '' },
      },
      status: { conditions: [{ type: 'Ready', status: 'True' }] },
    };
    expect(toTable(typeOf('', 'Node'), [node], 'None').rows[0].cells.slice(0, 3)).toEqual(['gpu-1', 'Ready', 'gpu']);
  });
});
