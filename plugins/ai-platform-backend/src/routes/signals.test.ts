import { mockServices } from '@backstage/backend-test-utils';
import type { SignalPayload, SignalsService } from '@backstage/plugin-signals-node';
import type { WorkloadState, WorkloadSummary } from '@ai-platform/backstage-plugin-ai-platform-common';
import type { WorkloadChange, WorkloadService } from '../services/WorkloadService';
import { publishWorkloadSignals, workloadSignalsChannel } from './signals';
import fleet from './__fixtures__/fleet.json';

function harness() {
  let listener: ((change: WorkloadChange) => void) | undefined;
  const workloads = {
    subscribe(l: (change: WorkloadChange) => void) {
      listener = l;
      return () => {
        listener = undefined;
      };
    },
  } as Pick<WorkloadService, 'subscribe'> as WorkloadService;
  const published: SignalPayload[] = [];
  const signals: SignalsService = {
    async publish(signal) {
      published.push(signal);
    },
  };
  const stop = publishWorkloadSignals({ workloads, signals, logger: mockServices.logger.mock() });
  const [trainA, , trainB] = fleet.workloads as WorkloadSummary[];
  const emit = (workload: WorkloadSummary, state: WorkloadState, type: WorkloadChange['type'] = 'upsert') =>
    listener?.({ type, workload: { ...workload, state } });
  return { published, stop, emit, trainA, trainB, subscribed: () => listener !== undefined };
}

describe('publishWorkloadSignals', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('broadcasts a change at once on ai-platform:workloads with type, ref and state', () => {
    const { published, emit, trainA, stop } = harness();
    emit(trainA, 'Admitted');
    expect(published).toEqual([
      {
        recipients: { type: 'broadcast' },
        channel: workloadSignalsChannel,
        message: { type: 'upsert', ref: 'gpu-east/team-a/Job/train-a', state: 'Admitted' },
      },
    ]);
    expect(workloadSignalsChannel).toBe('ai-platform:workloads');
    stop();
  });

  it('sends at most one signal per second per workload, the last state at the end of the second', () => {
    const { published, emit, trainA, stop } = harness();
    emit(trainA, 'Pending');
    emit(trainA, 'Admitted');
    emit(trainA, 'Running');
    expect(published.map(p => p.message.state)).toEqual(['Pending']);
    jest.advanceTimersByTime(999);
    expect(published).toHaveLength(1);
    jest.advanceTimersByTime(1);
    expect(published.map(p => p.message.state)).toEqual(['Pending', 'Running']);
    jest.advanceTimersByTime(5000);
    expect(published).toHaveLength(2);
    emit(trainA, 'Succeeded', 'delete');
    expect(published.map(p => [p.message.type, p.message.state])).toEqual([
      ['upsert', 'Pending'],
      ['upsert', 'Running'],
      ['delete', 'Succeeded'],
    ]);
    stop();
  });

  it('throttles each workload on its own', () => {
    const { published, emit, trainA, trainB, stop } = harness();
    emit(trainA, 'Pending');
    emit(trainB, 'Running');
    emit(trainA, 'Admitted');
    expect(published.map(p => p.message.ref)).toEqual(['gpu-east/team-a/Job/train-a', 'gpu-east/team-b/Job/train-b']);
    stop();
  });

  it('stops listening and drops held-back signals when stopped', () => {
    const { published, emit, trainA, stop, subscribed } = harness();
    emit(trainA, 'Pending');
    emit(trainA, 'Admitted');
    stop();
    jest.advanceTimersByTime(2000);
    expect(published).toHaveLength(1);
    expect(subscribed()).toBe(false);
  });
});
