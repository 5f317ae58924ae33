import { clusterQueue, engineFor, GPU, queue, resourceFlavor, workload } from '../__testUtils__/builders';
import { estimateAdmissions } from './estimate';
import { chooseCluster } from './multicluster';

const flavor = resourceFlavor('default');
/** Expected run times in seconds, by workload name. */
const expected: Record<string, number> = {
  running: 100,
  long: 300,
  short: 100,
  p1: 50,
  p2: 20,
  p3: 20,
  fits: 10,
  huge: 10,
  next: 60,
};
const options = { expectedDuration: (key: string) => expected[key.split('/')[1]] * 1000 };

/** A 4-GPU queue with "running" (4 GPUs, admitted at 0) and the given workloads pending. */
function busyEngine(pending: Array<[string, number]>, gpus = 4) {
  const { engine, workloads } = engineFor({
    objects: [flavor, ...queue('team', { flavors: { default: { [GPU]: gpus } } })],
    workloads: [
      workload('running', 'team', { count: 4 }),
      ...pending.map(([name, count], i) => workload(name, 'team', { count, arrival: i + 1 })),
    ],
  });
  engine.submit(workloads.running);
  engine.schedule(0);
  for (const [name] of pending) engine.submit(workloads[name]);
  engine.schedule(1);
  return engine;
}

describe('estimateAdmissions', () => {
  it('predicts when each pending workload starts from the expected end of what runs', () => {
    const engine = busyEngine([
      ['p1', 4],
      ['p2', 2],
      ['p3', 2],
    ]);
    const etas = estimateAdmissions(engine, 30_000, options);
    // running ends at 100s, p1 then runs 50s, p2 and p3 start together.
    expect(Object.fromEntries(etas)).toEqual({ 'default/p1': 100_000, 'default/p2': 150_000, 'default/p3': 150_000 });
  });

  it.each([
    ['before its expected end', 30_000, 100_000],
    ['past its expected end: assumes another tenth of its run time, at least a minute', 200_000, 260_000],
  ])('with the running workload %s', (_, now, eta) => {
    expect(estimateAdmissions(busyEngine([['p1', 4]]), now, options).get('default/p1')).toBe(eta);
  });

  it('gives "now" for what fits now and no ETA for what can never fit', () => {
    const { engine, workloads } = engineFor({
      objects: [flavor, ...queue('team', { flavors: { default: { [GPU]: 6 } } })],
      workloads: [
        workload('running', 'team', { count: 4 }),
        workload('fits', 'team', { count: 2 }),
        workload('huge', 'team', { count: 9 }),
      ],
    });
    engine.submit(workloads.running);
    engine.schedule(0);
    engine.submit(workloads.fits);
    engine.submit(workloads.huge);
    expect(Object.fromEntries(estimateAdmissions(engine, 5_000, options))).toEqual({ 'default/fits': 5_000 });
  });

  it('leaves the engine it estimates for untouched', () => {
    const engine = busyEngine([['p1', 4]]);
    const before = engine.pending();
    estimateAdmissions(engine, 30_000, options);
    expect(engine.pending()).toEqual(before);
    expect(engine.get('default/running')!.status).toBe('admitted');
    expect(engine.get('default/p1')!.status).toBe('pending');
  });
});

describe('chooseCluster', () => {
  /** A cluster whose 4 GPUs are taken by `runner` since 0. */
  function cluster(runner: string) {
    const { engine, workloads } = engineFor({
      objects: [flavor, ...queue('team', { flavors: { default: { [GPU]: 4 } } })],
      workloads: [workload(runner, 'team', { count: 4 })],
    });
    engine.submit(workloads[runner]);
    engine.schedule(0);
    return engine;
  }
  const noQueue = engineFor({ objects: [flavor, clusterQueue('team')] }).engine;
  const next = engineFor({ objects: [flavor, ...queue('team')], workloads: [workload('next', 'team', { count: 4 })] })
    .workloads.next;

  it('picks the cluster where the workload starts first and skips clusters without its queue', () => {
    const clusters = [
      { name: 'no-queue', engine: noQueue },
      { name: 'busy-long', engine: cluster('long') },
      { name: 'busy-short', engine: cluster('short') },
    ];
    expect(chooseCluster(next, clusters, 10_000, options)).toEqual({
      cluster: 'busy-short',
      etas: { 'no-queue': undefined, 'busy-long': 300_000, 'busy-short': 100_000 },
    });
    expect(clusters[2].engine.get('default/next')).toBeUndefined();
  });

  it('breaks ties by the order of the clusters', () => {
    const clusters = [
      { name: 'first', engine: cluster('short') },
      { name: 'second', engine: cluster('short') },
    ];
    expect(chooseCluster(next, clusters, 10_000, options).cluster).toBe('first');
  });

  it('returns no cluster when none can run it', () => {
    expect(chooseCluster(next, [{ name: 'no-queue', engine: noQueue }], 0, options)).toEqual({
      cluster: undefined,
      etas: { 'no-queue': undefined },
    });
  });
});
