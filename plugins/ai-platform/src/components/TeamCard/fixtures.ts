import type {
  AllocationResponse,
  BudgetsResponse,
  QueueListResponse,
  ShowbackResponse,
} from '@ai-platform/backstage-plugin-ai-platform-common';

/** The Group entity of team ml-research. */
export const teamEntity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name: 'ml-research' },
  spec: { type: 'team', children: [] },
};

/**
 * Cohort "research" on gpu-west: ml-research's queue lends 4 of its 6 idle
 * H100s to llm-serving, which borrows 4; a100 quota in no cohort (test data).
 */
export const queues: QueueListResponse = {
  cohorts: [{ cluster: 'gpu-west', name: 'research', clusterQueues: ['research', 'serving'] }],
  clusterQueues: [
    {
      cluster: 'gpu-west',
      name: 'research',
      cohort: 'research',
      queueingStrategy: 'BestEffortFIFO',
      stopPolicy: 'None',
      fairShare: 0,
      pending: 2,
      admitted: 3,
      localQueues: [{ namespace: 'ml-research', name: 'research', team: 'ml-research' }],
      resources: [
        { flavor: 'h100', resource: 'nvidia.com/gpu', nominal: 16, used: 10, borrowed: 0 },
        { flavor: 'h100', resource: 'cpu', nominal: 256, used: 100, borrowed: 0 },
      ],
    },
    {
      cluster: 'gpu-west',
      name: 'serving',
      cohort: 'research',
      queueingStrategy: 'StrictFIFO',
      stopPolicy: 'None',
      fairShare: 250,
      pending: 0,
      admitted: 4,
      localQueues: [{ namespace: 'llm-serving', name: 'serving', team: 'llm-serving' }],
      resources: [{ flavor: 'h100', resource: 'nvidia.com/gpu', nominal: 8, used: 12, borrowed: 4 }],
    },
    {
      cluster: 'gpu-east',
      name: 'research-a100',
      queueingStrategy: 'BestEffortFIFO',
      stopPolicy: 'None',
      fairShare: 0,
      pending: 0,
      admitted: 1,
      localQueues: [{ namespace: 'ml-research', name: 'research-a100', team: 'ml-research' }],
      resources: [{ flavor: 'a100', resource: 'nvidia.com/gpu', nominal: 8, used: 2, borrowed: 0 }],
    },
  ],
};

/** November: ml-research has spent 60 % and is forecast to reach 115 % of its budget. */
export const budgets: BudgetsResponse = {
  currency: 'USD',
  items: [
    {
      team: 'ml-research',
      month: '2026-11',
      budgetMicros: 10_000_000_000,
      spentMicros: 6_000_000_000,
      forecastMicros: 11_500_000_000,
      spentRatio: 0.6,
      forecastRatio: 1.15,
    },
    {
      team: 'llm-serving',
      month: '2026-11',
      budgetMicros: 5_000_000_000,
      spentMicros: 1_000_000_000,
      forecastMicros: 2_000_000_000,
      spentRatio: 0.2,
      forecastRatio: 0.4,
    },
  ],
};

const day = (d: string, key: string, gpuHours: number, dollars: number) => ({
  day: d,
  key,
  gpuHours,
  costMicros: dollars * 1_000_000,
  cost: dollars.toFixed(2),
});

/** Six workloads of ml-research over 30 days, by workload. */
export const workloadShowback: ShowbackResponse = {
  currency: 'USD',
  window: { from: '2026-10-24T00:00:00.000Z', to: '2026-11-23T00:00:00.000Z' },
  aggregate: 'workload',
  rows: [
    day('2026-11-01', 'train-llama', 400, 1600),
    day('2026-11-02', 'train-llama', 100, 400),
    day('2026-11-01', 'finetune-a', 200, 800),
    day('2026-11-03', 'eval-nightly', 100, 400),
    day('2026-11-03', 'notebook-jo', 80, 320),
    day('2026-11-04', 'sweep-42', 50, 200),
    day('2026-11-05', 'tiny-test', 1, 4),
  ],
  totalCostMicros: 3_724_000_000,
};

/** Allocation by workload with DCGM utilization: the notebook idles most. */
export const workloadAllocation: AllocationResponse = {
  code: 200,
  currency: 'USD',
  utilizationKnown: true,
  data: [
    {
      'train-llama': {
        name: 'train-llama',
        gpuHours: 500,
        gpuCost: 2000,
        gpuEfficiency: 0.9,
        idleCost: 200,
        totalCost: 2000,
      },
      'finetune-a': {
        name: 'finetune-a',
        gpuHours: 200,
        gpuCost: 800,
        gpuEfficiency: 0.7,
        idleCost: 240,
        totalCost: 800,
      },
      'notebook-jo': {
        name: 'notebook-jo',
        gpuHours: 80,
        gpuCost: 320,
        gpuEfficiency: 0.05,
        idleCost: 304,
        totalCost: 320,
      },
      'eval-nightly': {
        name: 'eval-nightly',
        gpuHours: 100,
        gpuCost: 400,
        gpuEfficiency: null,
        idleCost: null,
        totalCost: 400,
      },
    },
  ],
};
