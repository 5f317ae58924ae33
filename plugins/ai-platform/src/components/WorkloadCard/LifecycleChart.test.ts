import { pendingWorkload } from '../../testing/workloads';
import { phasesOf } from './LifecycleChart';

const at = (hhmm: string) => `2026-11-23T${hhmm}:00Z`;
const minutes = (spans: ReturnType<typeof phasesOf>) => spans.map(s => [s.phase, (s.end - s.start) / 60_000] as const);

describe('the life of a workload', () => {
  it('is queued, admitted, running, preempted, requeued and running again until it finishes', () => {
    const workload = pendingWorkload(1, {
      createdAt: at('08:00'),
      state: 'Succeeded',
      conditions: [
        { type: 'Admitted', status: true, time: at('08:10') },
        { type: 'PodsReady', status: true, time: at('08:12') },
        { type: 'Evicted', status: true, reason: 'InCohortReclamation', time: at('09:00') },
        { type: 'Admitted', status: false, time: at('09:01') },
        { type: 'Admitted', status: true, time: at('09:30') },
        { type: 'PodsReady', status: true, time: at('09:31') },
        { type: 'Finished', status: true, time: at('10:00') },
      ],
    });
    expect(minutes(phasesOf(workload, Date.parse(at('12:00'))))).toEqual([
      ['Queued', 10],
      ['Admitted', 2],
      ['Running', 48],
      ['Preempted', 1],
      ['Requeued', 29],
      ['Admitted', 1],
      ['Running', 29],
    ]);
  });

  it('is still queued now when nothing happened yet', () => {
    const workload = pendingWorkload(2, { createdAt: at('08:00'), conditions: [] });
    expect(minutes(phasesOf(workload, Date.parse(at('08:45'))))).toEqual([['Queued', 45]]);
  });
});
