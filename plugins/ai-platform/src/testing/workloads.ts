import type { WorkloadSummary } from '@ai-platform/backstage-plugin-ai-platform-common';

/** A pending workload as the backend reports it, for tests. */
export function pendingWorkload(i: number, overrides: Partial<WorkloadSummary> = {}): WorkloadSummary {
  return {
    cluster: i % 2 ? 'gpu-west' : 'gpu-east',
    namespace: i % 3 ? 'ml-research' : 'llm-serving',
    kind: 'JobSet',
    name: `train-${i}`,
    apiVersion: 'jobset.x-k8s.io/v1alpha2',
    uid: `uid-${i}`,
    entityType: 'training-job',
    team: i % 3 ? 'ml-research' : 'llm-serving',
    queue: 'research',
    clusterQueue: 'research',
    priority: i % 5,
    state: 'Pending',
    createdAt: '2026-11-23T08:00:00Z',
    podSets: [{ name: 'workers', count: 8, requests: { 'nvidia.com/gpu': 1 } }],
    gpus: 8,
    positionInClusterQueue: i + 1,
    positionInLocalQueue: i + 1,
    reason:
      i % 2
        ? {
            code: 'QuotaExhausted',
            message: `Waiting for quota: nvidia.com/gpu on flavor h100: requested 8, available ${i % 8}`,
          }
        : { code: 'WaitingInQueue', message: 'Fits now, but workloads are ahead of it' },
    conditions: [],
    ...overrides,
  };
}
