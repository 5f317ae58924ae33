import { EtaObserver } from './eta';
import type { ClusterSnapshot } from './observe';
import type { RestView } from './quota';

const iso = (s: number) => new Date(s * 1000).toISOString();
const snapshot = (admitted: Record<string, number>): ClusterSnapshot => ({
  cluster: 'c',
  objects: Object.entries(admitted).map(([uid, at]) => ({
    apiVersion: 'batch/v1',
    kind: 'Job',
    namespace: 'n',
    name: uid,
    uid,
    labels: {},
    annotations: {
      'ai-platform.io/admission': JSON.stringify({ clusterQueue: 'q', podSets: [], admittedAt: at * 1000 }),
    },
    raw: {},
  })),
  pods: [],
  nodes: [],
  namespaces: new Map(),
  events: [],
});
const waiting = (
  uid: string,
  created: number,
  p10: number,
  p50: number,
  p90: number,
): RestView['workloads'][number] => ({
  cluster: 'c',
  namespace: 'n',
  kind: 'Job',
  name: uid,
  uid,
  state: 'Pending',
  createdAt: iso(created),
  eta: iso(p50),
  etaP10: iso(p10),
  etaP90: iso(p90),
  podSets: [],
});

describe('EtaObserver', () => {
  it('measures the ETA first seen against the admission the cluster shows, as the simulator does', () => {
    const etas = new EtaObserver(0, { minWaitSeconds: 60, warmUpRuns: 0 });
    // a: waits 600 s, predicted 500 s at first sight (error 1/6), inside its range; the later ETA is not the one measured.
    etas.observe('c', [waiting('a', 100, 400, 600, 900), waiting('b', 100, 110, 120, 130)], snapshot({}), 130_000);
    etas.observe('c', [waiting('a', 100, 100, 100, 100)], snapshot({ b: 150 }), 160_000);
    // b waited 50 s: not in the relative error, but outside its range.
    etas.observe('c', [], snapshot({ a: 700, b: 150 }), 700_000);
    const f = etas.figures();
    expect(f.predictions).toBe(3);
    expect(f.measured).toBe(1);
    expect(f.medianRelativeError).toBeCloseTo(1 / 6, 3);
    expect(f.intervalCoverage).toBe(0.5);
    // The raw material, in seconds from creation: a's first ETA, not its later one.
    expect(f.workloads).toEqual([
      { workload: 'c/n/Job/a', seenAfter: 30, p10: 300, p50: 500, p90: 800, waited: 600, warm: true },
      { workload: 'c/n/Job/b', seenAfter: 30, p10: 10, p50: 20, p90: 30, waited: 50, warm: true },
    ]);
  });

  it('leaves out workloads created before the run began and predictions before the warm-up', () => {
    const etas = new EtaObserver(1000_000, { minWaitSeconds: 60, warmUpRuns: 1 });
    etas.observe(
      'c',
      [waiting('old', 10, 20, 30, 40), waiting('cold', 1000, 1100, 1200, 1300)],
      snapshot({}),
      1001_000,
    );
    etas.observe('c', [], snapshot({ old: 2000, cold: 1200 }), 2001_000);
    const f = etas.figures();
    expect(f.measured).toBe(0);
    expect(f.includingWarmUp.measured).toBe(1);
    expect(f.includingWarmUp.medianRelativeError).toBe(0);
  });
});
