import { pendingWorkload } from '../../testing/workloads';
import { queueActivity } from './queueActivity';

const now = Date.parse('2026-11-23T12:00:00Z');
const ago = (minutes: number) => new Date(now - minutes * 60_000).toISOString();

describe('queue activity', () => {
  it('counts admissions of the last hour, preemptions of the last day and why pending work waits', () => {
    const workloads = [
      pendingWorkload(1, { cluster: 'gpu-west', state: 'Running', admittedAt: ago(20) }),
      pendingWorkload(2, { cluster: 'gpu-west', state: 'Running', admittedAt: ago(90) }),
      pendingWorkload(3, {
        cluster: 'gpu-west',
        state: 'Running',
        admittedAt: ago(5),
        conditions: [
          { type: 'Preempted', status: true, time: ago(30) },
          { type: 'Evicted', status: true, time: ago(26 * 60) },
        ],
      }),
      pendingWorkload(5),
      pendingWorkload(7),
      pendingWorkload(4, { cluster: 'gpu-west' }),
    ];
    const west = queueActivity(workloads, now).get('gpu-west/research');
    expect(west).toEqual({
      admittedLastHour: 2,
      preemptedLastDay: 1,
      pendingReasons: [
        { code: 'QuotaExhausted', count: 2 },
        { code: 'WaitingInQueue', count: 1 },
      ],
    });
  });
});
