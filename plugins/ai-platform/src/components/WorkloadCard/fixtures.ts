import type {
  ShowbackResponse,
  WorkloadCostResponse,
  WorkloadEvent,
  WorkloadSummary,
} from '@ai-platform/backstage-plugin-ai-platform-common';
import { pendingWorkload } from '../../testing/workloads';

/** A JobSet that queued, was admitted, preempted, admitted again and now runs on two flavors. For tests. */
export const runningWorkload: WorkloadSummary = pendingWorkload(1, {
  cluster: 'gpu-west',
  namespace: 'ml-research',
  name: 'train-1',
  state: 'Running',
  reason: undefined,
  positionInClusterQueue: undefined,
  positionInLocalQueue: undefined,
  admittedAt: '2026-11-23T09:40:00Z',
  podSets: [
    { name: 'workers', count: 4, requests: { 'nvidia.com/gpu': 8, cpu: 32 } },
    { name: 'launcher', count: 1, requests: { cpu: 2 } },
  ],
  gpus: 32,
  assignment: {
    clusterQueue: 'research',
    podSets: [
      {
        name: 'workers',
        count: 4,
        flavors: { 'nvidia.com/gpu': 'h100', cpu: 'h100' },
        nodes: ['gpu-node-1', 'gpu-node-2'],
      },
      { name: 'launcher', count: 1, flavors: { cpu: 'cpu-pool' } },
    ],
  },
  conditions: [
    {
      type: 'Admitted',
      status: true,
      reason: 'Admitted',
      message: 'Admitted by ClusterQueue research',
      time: '2026-11-23T09:40:00Z',
    },
    {
      type: 'Queued',
      status: true,
      reason: 'Pending',
      time: '2026-11-23T08:00:05Z',
    },
    {
      type: 'Preempted',
      status: true,
      reason: 'InCohortReclamation',
      message: 'Preempted to reclaim quota lent to cohort training',
      time: '2026-11-23T09:10:00Z',
    },
    {
      type: 'PodsReady',
      status: true,
      reason: 'PodsReady',
      time: '2026-11-23T09:42:30Z',
    },
  ],
});

/** Cost of runningWorkload with four utilization samples. */
export const runningCost: WorkloadCostResponse = {
  currency: 'USD',
  costToDateMicros: 187_250_000,
  gpuHoursToDate: 74.9,
  ratePerHourMicros: 80_000_000,
  projectedMicros: 412_500_000,
  utilization: [
    { time: '2026-11-23T10:00:00Z', value: 0.6 },
    { time: '2026-11-23T10:05:00Z', value: 0.7 },
    { time: '2026-11-23T10:10:00Z', value: 0.8 },
    { time: '2026-11-23T10:15:00Z', value: 0.9 },
  ],
};

/** Events of runningWorkload, out of order. */
export const runningEvents: WorkloadEvent[] = [
  {
    type: 'Normal',
    reason: 'Admitted',
    message: 'Admitted by ClusterQueue research',
    time: '2026-11-23T09:40:00Z',
    count: 1,
    source: 'ai-platform',
  },
  {
    type: 'Warning',
    reason: 'Preempted',
    message: 'Preempted to reclaim quota',
    time: '2026-11-23T09:10:00Z',
    count: 1,
    source: 'ai-platform',
  },
  {
    type: 'Normal',
    reason: 'Started',
    message: 'Started container trainer',
    time: '2026-11-23T09:42:00Z',
    count: 4,
    source: 'kubelet',
  },
];

/** The ledger's days of runningWorkload (and another workload of its team), as GET /costs/showback?aggregate=workload returns them. */
export const runningShowback: ShowbackResponse = {
  currency: 'USD',
  window: { from: '2026-11-16T10:00:00Z', to: '2026-11-23T10:00:00Z' },
  aggregate: 'workload',
  rows: [
    { day: '2026-11-23', key: 'train-1', gpuHours: 74.9, costMicros: 187_250_000, cost: '187.25' },
    { day: '2026-11-23', key: 'eval-7', gpuHours: 2, costMicros: 7_800_000, cost: '7.80' },
  ],
  totalCostMicros: 195_050_000,
};
