import type {
  ClusterQueueSummary,
  QueueListResponse,
  WorkloadSummary,
} from '@ai-platform/backstage-plugin-ai-platform-common';
import { pendingWorkload } from '../../testing/workloads';

const GiB = 2 ** 30;

function clusterQueue(
  cluster: string,
  name: string,
  cohort: string | undefined,
  fields: Partial<ClusterQueueSummary>,
): ClusterQueueSummary {
  return {
    cluster,
    name,
    cohort,
    queueingStrategy: 'BestEffortFIFO',
    stopPolicy: 'None',
    resources: [],
    fairShare: 0,
    pending: 0,
    admitted: 0,
    localQueues: [],
    ...fields,
  };
}

/** Two clusters; on gpu-west a two-level cohort tree (org → training, inference), where research borrows h100s vision lends, and a queue without cohort. For tests. */
export const queueFixture: QueueListResponse = {
  cohorts: [
    { cluster: 'gpu-west', name: 'org', clusterQueues: [] },
    {
      cluster: 'gpu-west',
      name: 'training',
      parent: 'org',
      clusterQueues: ['research', 'vision'],
    },
    {
      cluster: 'gpu-west',
      name: 'inference',
      parent: 'org',
      clusterQueues: ['serving'],
    },
    { cluster: 'gpu-east', name: 'training', clusterQueues: ['research'] },
  ],
  clusterQueues: [
    clusterQueue('gpu-west', 'research', 'training', {
      queueingStrategy: 'StrictFIFO',
      fairShare: 412,
      pending: 3,
      admitted: 5,
      localQueues: [{ namespace: 'ml-research', name: 'research', team: 'ml-research' }],
      resources: [
        {
          flavor: 'h100',
          resource: 'nvidia.com/gpu',
          nominal: 16,
          borrowingLimit: 8,
          lendingLimit: 4,
          used: 20,
          borrowed: 4,
        },
        {
          flavor: 'h100',
          resource: 'memory',
          nominal: 2048 * GiB,
          used: 1024 * GiB,
          borrowed: 0,
        },
      ],
    }),
    clusterQueue('gpu-west', 'vision', 'training', {
      fairShare: 120,
      admitted: 1,
      resources: [
        {
          flavor: 'h100',
          resource: 'nvidia.com/gpu',
          nominal: 8,
          lendingLimit: 6,
          used: 2,
          borrowed: 0,
        },
      ],
    }),
    clusterQueue('gpu-west', 'serving', 'inference', {
      fairShare: 0,
      resources: [
        {
          flavor: 'l40s',
          resource: 'nvidia.com/gpu',
          nominal: 12,
          used: 12,
          borrowed: 0,
        },
      ],
    }),
    clusterQueue('gpu-west', 'sandbox', undefined, {
      resources: [
        {
          flavor: 'l4',
          resource: 'nvidia.com/gpu',
          nominal: 2,
          used: 0,
          borrowed: 0,
        },
      ],
    }),
    clusterQueue('gpu-east', 'research', 'training', {
      resources: [
        {
          flavor: 'h100',
          resource: 'nvidia.com/gpu',
          nominal: 64,
          used: 0,
          borrowed: 0,
        },
      ],
    }),
  ],
};

/** Pending workloads of gpu-west's research ClusterQueue, deliberately out of order, plus one of another queue. */
export const researchPending: WorkloadSummary[] = [
  pendingWorkload(3, {
    cluster: 'gpu-west',
    name: 'llama-finetune',
    positionInClusterQueue: 3,
    positionInLocalQueue: 3,
    reason: {
      code: 'WaitingInQueue',
      message: 'Fits now, but 2 workloads are ahead of it in a StrictFIFO queue',
    },
  }),
  pendingWorkload(1, {
    cluster: 'gpu-west',
    name: 'vit-sweep',
    positionInClusterQueue: 1,
    positionInLocalQueue: 1,
    eta: '2026-11-23T13:30:00Z',
    reason: {
      code: 'QuotaExhausted',
      message: 'Waiting for quota: nvidia.com/gpu on flavor h100: requested 8, available 2',
    },
  }),
  pendingWorkload(2, {
    cluster: 'gpu-west',
    name: 'moe-pretrain',
    positionInClusterQueue: 2,
    positionInLocalQueue: 2,
    reason: {
      code: 'TopologyPlacementFailed',
      message: 'No NVLink domain can hold 16 GPUs',
    },
  }),
  pendingWorkload(5, {
    cluster: 'gpu-west',
    name: 'other-queue-job',
    clusterQueue: 'vision',
    queue: 'vision',
  }),
];
