import { claimedDevicesByPod, type ResourceClaimLike, type ResourceSliceLike } from './claimedDevices';
import { podIntervals, type PodLike } from './intervals';

const slices: ResourceSliceLike[] = [
  {
    spec: {
      driver: 'gpu.nvidia.com',
      pool: { name: 'node-1' },
      devices: [
        { name: 'gpu-0', attributes: { type: { string: 'gpu' } } },
        { name: 'gpu-1-mig-1', attributes: { type: { string: 'mig' }, profile: { string: '1g.10gb' } } },
        { name: 'gpu-1-mig-2', attributes: { type: { string: 'mig' }, profile: { string: '3g.40gb' } } },
      ],
    },
  },
  { spec: { driver: 'nic.example.com', pool: { name: 'node-1' }, devices: [{ name: 'eth-0' }] } },
];

function claim(
  devices: Array<[request: string, driver: string, device: string]>,
  requests: NonNullable<NonNullable<ResourceClaimLike['spec']>['devices']>['requests'],
  pods = ['pod-1'],
): ResourceClaimLike {
  return {
    spec: { devices: { requests } },
    status: {
      allocation: {
        devices: { results: devices.map(([request, driver, device]) => ({ request, driver, pool: 'node-1', device })) },
      },
      reservedFor: pods.map(uid => ({ resource: 'pods', name: uid, uid })),
    },
  };
}

const mappings = [{ name: 'mig-small', deviceClassNames: ['mig-1g.10gb.nvidia.com'] }];

describe('claimedDevicesByPod', () => {
  it.each<[string, ResourceClaimLike[], Record<string, unknown>]>([
    [
      'counts a mapped DeviceClass as its resource, a MIG partition as its slices of 7',
      [
        claim(
          [['slices', 'gpu.nvidia.com', 'gpu-1-mig-1']],
          [{ name: 'slices', exactly: { deviceClassName: 'mig-1g.10gb.nvidia.com' } }],
        ),
      ],
      { 'pod-1': [{ resource: 'mig-small', count: 1, share: { num: 1, den: 7 } }] },
    ],
    [
      'counts an unmapped device of the GPU driver as its DeviceClass, a whole GPU as one',
      [claim([['gpu', 'gpu.nvidia.com', 'gpu-0']], [{ name: 'gpu', exactly: { deviceClassName: 'gpu.nvidia.com' } }])],
      { 'pod-1': [{ resource: 'gpu.nvidia.com', count: 1, share: { num: 1, den: 1 } }] },
    ],
    [
      'leaves out devices that are not GPUs',
      [
        claim(
          [['nic', 'nic.example.com', 'eth-0']],
          [{ name: 'nic', exactly: { deviceClassName: 'nic.example.com' } }],
        ),
      ],
      { 'pod-1': [] },
    ],
    [
      'reads the DeviceClass of a firstAvailable subrequest',
      [
        claim(
          [['any/big', 'gpu.nvidia.com', 'gpu-1-mig-2']],
          [{ name: 'any', firstAvailable: [{ name: 'big', deviceClassName: 'mig-3g.40gb.nvidia.com' }] }],
        ),
      ],
      { 'pod-1': [{ resource: 'mig-3g.40gb.nvidia.com', count: 1, share: { num: 3, den: 7 } }] },
    ],
    [
      'splits a claim shared by two pods between them',
      [
        claim(
          [['gpu', 'gpu.nvidia.com', 'gpu-0']],
          [{ name: 'gpu', exactly: { deviceClassName: 'gpu.nvidia.com' } }],
          ['pod-1', 'pod-2'],
        ),
      ],
      {
        'pod-1': [{ resource: 'gpu.nvidia.com', count: 1, share: { num: 1, den: 2 } }],
        'pod-2': [{ resource: 'gpu.nvidia.com', count: 1, share: { num: 1, den: 2 } }],
      },
    ],
    [
      'ignores a claim reserved for no pod and owned by none (allocated, not yet in use)',
      [
        claim(
          [['gpu', 'gpu.nvidia.com', 'gpu-0']],
          [{ name: 'gpu', exactly: { deviceClassName: 'gpu.nvidia.com' } }],
          [],
        ),
      ],
      {},
    ],
    [
      'counts a claim its pod’s template made for that pod once the pod is taken off it (the pod ended)',
      [
        {
          ...claim(
            [['gpu', 'gpu.nvidia.com', 'gpu-0']],
            [{ name: 'gpu', exactly: { deviceClassName: 'gpu.nvidia.com' } }],
            [],
          ),
          metadata: { ownerReferences: [{ kind: 'Pod', uid: 'pod-1', controller: true }] },
        },
      ],
      { 'pod-1': [{ resource: 'gpu.nvidia.com', count: 1, share: { num: 1, den: 1 } }] },
    ],
  ])('%s', (_, claims, expected) => {
    expect(Object.fromEntries(claimedDevicesByPod(claims, slices, mappings))).toEqual(expected);
  });
});

describe('podIntervals with claimed devices', () => {
  const pod: PodLike = {
    metadata: { uid: 'pod-1', name: 'p', namespace: 'team-a' },
    spec: { nodeName: 'node-1', containers: [{ resources: { requests: { 'nvidia.com/gpu': '1' } } }] },
    status: { phase: 'Running', startTime: '2026-12-01T00:00:00Z' },
  };

  it('adds an interval per claimed resource beside the containers’ GPUs', () => {
    const intervals = podIntervals('c', pod, undefined, 'a', undefined, [
      { resource: 'mig-small', count: 2, share: { num: 1, den: 7 } },
    ]);
    expect(intervals.map(i => [i.resource, i.count, i.shareNum, i.shareDen])).toEqual([
      ['nvidia.com/gpu', 1, 1, 1],
      ['mig-small', 2, 1, 7],
    ]);
  });

  it('adds partitions of different sizes counted as one resource up to their sum of a GPU', () => {
    const [, mixed] = podIntervals('c', pod, undefined, 'a', undefined, [
      { resource: 'mig', count: 2, share: { num: 1, den: 7 } },
      { resource: 'mig', count: 1, share: { num: 3, den: 7 } },
    ]);
    expect((mixed.count * mixed.shareNum) / mixed.shareDen).toBeCloseTo(5 / 7);
  });
});
