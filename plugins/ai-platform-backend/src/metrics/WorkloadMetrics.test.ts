import type { Attributes, Meter, ObservableCallback } from '@opentelemetry/api';
import type { QueueListResponse, WorkloadSummary } from '@ai-platform/backstage-plugin-ai-platform-common';
import type { WorkloadService } from '../services/WorkloadService';
import { WorkloadMetrics } from './WorkloadMetrics';
import fleet from '../routes/__fixtures__/fleet.json';

/** A meter that keeps what was recorded, by instrument name. */
function recordingMeter() {
  const recorded: Record<string, Array<{ value: number; attributes?: Attributes }>> = {};
  const callbacks: Record<string, ObservableCallback> = {};
  const instrument = (name: string) => ({
    add: (value: number, attributes?: Attributes) => (recorded[name] ??= []).push({ value, attributes }),
    record: (value: number, attributes?: Attributes) => (recorded[name] ??= []).push({ value, attributes }),
  });
  const meter = {
    createCounter: instrument,
    createHistogram: instrument,
    createObservableGauge: (name: string) => ({
      addCallback: (cb: ObservableCallback) => {
        callbacks[name] = cb;
      },
    }),
  } as unknown as Meter;
  const observe = (name: string) => {
    const seen: Array<{ value: number; attributes?: Attributes }> = [];
    callbacks[name]({ observe: (value: number, attributes?: Attributes) => seen.push({ value, attributes }) });
    return seen;
  };
  return { meter, recorded, observe };
}

const startedAt = Date.parse('2026-11-23T09:00:00Z');

function service(workloads: WorkloadSummary[]) {
  return {
    listQueues: async () => fleet.queues as QueueListResponse,
    listWorkloads: async () => workloads,
  } as Pick<WorkloadService, 'listQueues' | 'listWorkloads'> as WorkloadService;
}

describe('WorkloadMetrics', () => {
  const [pending] = fleet.workloads as WorkloadSummary[];

  it('reports pending workloads per ClusterQueue and quota used and nominal from the last poll', async () => {
    const { meter, observe } = recordingMeter();
    const metrics = new WorkloadMetrics(service([]), meter, startedAt);
    expect(observe('ai_platform.queue.pending')).toEqual([]);
    await metrics.poll();
    expect(observe('ai_platform.queue.pending')).toEqual([
      { value: 1, attributes: { cluster: 'gpu-east', cluster_queue: 'cq-a' } },
      { value: 0, attributes: { cluster: 'gpu-east', cluster_queue: 'cq-b' } },
    ]);
    expect(observe('ai_platform.quota.used').map(o => o.value)).toEqual([8, 8]);
    expect(observe('ai_platform.quota.nominal')[1]).toEqual({
      value: 8,
      attributes: { cluster: 'gpu-east', cluster_queue: 'cq-b', flavor: 'h100', resource: 'nvidia.com/gpu' },
    });
  });

  it('counts each admission since start once, with its time to admission', async () => {
    const workloads: WorkloadSummary[] = [
      { ...pending, uid: 'old', admittedAt: '2026-11-23T08:59:00Z', state: 'Running' },
      {
        ...pending,
        uid: 'new',
        createdAt: '2026-11-23T09:00:00Z',
        admittedAt: '2026-11-23T09:01:30Z',
        state: 'Admitted',
      },
    ];
    const { meter, recorded } = recordingMeter();
    const metrics = new WorkloadMetrics(service(workloads), meter, startedAt);
    await metrics.poll();
    await metrics.poll();
    expect(recorded['ai_platform.admissions']).toEqual([
      { value: 1, attributes: { cluster: 'gpu-east', cluster_queue: 'cq-a' } },
    ]);
    expect(recorded['ai_platform.time_to_admission']).toEqual([
      { value: 90, attributes: { cluster: 'gpu-east', cluster_queue: 'cq-a' } },
    ]);
  });

  it('counts a preemption once per Preempted condition', async () => {
    const preempted: WorkloadSummary = {
      ...pending,
      state: 'Preempted',
      conditions: [{ type: 'Preempted', status: true, reason: 'InCohortReclamation', time: '2026-11-23T09:10:00Z' }],
    };
    const workloads = [preempted];
    const { meter, recorded } = recordingMeter();
    const metrics = new WorkloadMetrics(service(workloads), meter, startedAt);
    await metrics.poll();
    await metrics.poll();
    workloads[0] = { ...preempted, conditions: [{ ...preempted.conditions[0], time: '2026-11-23T09:20:00Z' }] };
    await metrics.poll();
    expect(recorded['ai_platform.preemptions']).toEqual([
      { value: 1, attributes: { cluster: 'gpu-east', cluster_queue: 'cq-a', reason: 'InCohortReclamation' } },
      { value: 1, attributes: { cluster: 'gpu-east', cluster_queue: 'cq-a', reason: 'InCohortReclamation' } },
    ]);
  });
});
