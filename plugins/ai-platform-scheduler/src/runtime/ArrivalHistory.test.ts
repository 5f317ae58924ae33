import { engineFor, GPU, queue, resourceFlavor, workload } from '../__testUtils__/builders';
import { estimateAdmissions } from '../simulator/estimate';
import { ArrivalHistory, type FutureArrival } from './ArrivalHistory';
import { RunTimeModel } from './RunTimeModel';

const tenMinutes = new RunTimeModel().predict({ queue: 'q', gpus: 1, declaredSeconds: 600 });

function drain(next: () => FutureArrival | undefined): FutureArrival[] {
  const out: FutureArrival[] = [];
  for (let a = next(); a; a = next()) out.push(a);
  return out;
}

function historyOf(workloads: ReturnType<typeof engineFor>['workloads'], name: string, times: number[]) {
  const history = new ArrivalHistory();
  for (const t of times) history.record(workloads[name], t, tenMinutes);
  return history;
}

describe('ArrivalHistory', () => {
  const { workloads } = engineFor({
    objects: [resourceFlavor('default'), ...queue('team', { flavors: { default: { [GPU]: 4 } } })],
    workloads: [workload('a', 'team', { count: 1 })],
  });

  it('draws nothing for a queue with fewer than five arrivals', () => {
    expect(drain(historyOf(workloads, 'a', [0, 10_000, 20_000, 30_000]).future(40_000, 0))).toEqual([]);
  });

  it("draws copies of the queue's recent workloads at its recent rate, no further ahead than it was seen", () => {
    // One arrival a minute for 30 minutes.
    const history = historyOf(
      workloads,
      'a',
      Array.from({ length: 30 }, (_, i) => i * 60_000),
    );
    const now = 30 * 60_000;
    const drawn = drain(history.future(now, 3));
    expect(drawn.length).toBeGreaterThan(10);
    expect(drawn.length).toBeLessThanOrEqual(30);
    for (const a of drawn) {
      expect(a.time).toBeGreaterThan(now);
      expect(a.time).toBeLessThanOrEqual(2 * now);
      expect(a.workload).toMatchObject({ queue: 'team', namespace: 'default', creationTime: a.time });
      expect(a.duration).toBeGreaterThan(0);
    }
    expect(new Set(drawn.map(a => a.workload.key)).size).toBe(drawn.length);
    expect(drain(history.future(now, 3))).toEqual(drawn);
    expect(drain(history.future(now, 4))).not.toEqual(drawn);
  });

  it('a queue gone quiet is extrapolated at a lower rate', () => {
    const history = historyOf(
      workloads,
      'a',
      Array.from({ length: 30 }, (_, i) => i * 60_000),
    );
    const within = (now: number) => drain(history.future(now, 1)).filter(a => a.time <= now + 30 * 60_000).length;
    expect(within(10 * 3_600_000)).toBeLessThan(within(30 * 60_000));
  });
});

describe('estimateAdmissions with future arrivals', () => {
  it('counts later work of higher priority that goes first', () => {
    const { engine, workloads } = engineFor({
      objects: [resourceFlavor('default'), ...queue('team', { flavors: { default: { [GPU]: 1 } } })],
      workloads: [
        workload('running', 'team', { count: 1 }),
        workload('low', 'team', { count: 1, priority: 0 }),
        workload('urgent', 'team', { count: 1, priority: 100 }),
      ],
    });
    engine.submit(workloads.running);
    engine.schedule(0);
    engine.submit(workloads.low);
    engine.schedule(1);
    const options = { expectedDuration: () => 600_000 };
    const alone = estimateAdmissions(engine, 1, options).get('default/low');
    // Urgent work has arrived every five minutes.
    const history = historyOf(
      workloads,
      'urgent',
      Array.from({ length: 10 }, (_, i) => 1 - (10 - i) * 300_000),
    );
    const withArrivals = estimateAdmissions(engine, 1, { ...options, arrivals: history.future(1, 0) }).get(
      'default/low',
    );
    expect(alone).toBe(600_000);
    expect(withArrivals).toBeGreaterThan(alone! + 600_000);
  });
});
