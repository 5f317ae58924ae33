import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseScenario } from '../simulator/scenario';
import { simulate } from '../simulator/simulate';
import { engineFor, GPU, queue, resourceFlavor, workload } from '../__testUtils__/builders';
import type { Engine } from './Engine';
import type { Decision } from './types';

const used = (engine: Engine, cq = 'team') =>
  engine
    .usage()
    .find(u => u.clusterQueue === cq)!
    .resources.reduce((sum, r) => sum + r.used, 0);
const counts = (engine: Engine, key: string) =>
  Object.fromEntries(engine.get(key)!.admission!.podSets.map(ps => [ps.name, ps.count]));

/** Two pod sets, foo and bar, admitted at the given counts in a queue of `gpus`. */
function admittedTwoSets(foo: number, bar: number, gpus = 20) {
  const { engine, workloads } = engineFor({
    objects: [resourceFlavor('default'), ...queue('team', { flavors: { default: { [GPU]: gpus } } })],
    workloads: [
      workload('elastic', 'team', {
        podSets: [
          { name: 'foo', count: foo, requests: { [GPU]: 1 } },
          { name: 'bar', count: bar, requests: { [GPU]: 1 } },
        ],
      }),
    ],
  });
  engine.submit(workloads.elastic);
  engine.schedule(0);
  return engine;
}

describe('elastic workloads via workload slices', () => {
  // pkg/workloadslicing/workloadslicing_test.go TestScaledDown: whether a change of counts is a scale-down
  // (updated in place, quota freed now) or not (a new slice queues). The two "Extraneous" cases name a pod set
  // the workload does not have; Kueue's EnsureWorkloadSlices refuses such a change, and so does the engine.
  it.each<[string, { foo?: number; bar?: number; baz?: number }, string]>([
    ['TestScaledDown EmptyCounts', { foo: 3, bar: 5 }, 'Unchanged'],
    ['TestScaledDown OnePodSetScaledDown', { foo: 3, bar: 4 }, 'ScaledDown'],
    ['TestScaledDown AllPodSetsScaledDown', { foo: 2, bar: 4 }, 'ScaledDown'],
    ['TestScaledDown OnePodSetScaledDownAndOnePodSetScaledUp', { foo: 2, bar: 6 }, 'SlicePending'],
    ['TestScaledDown ExtraneousPodSetScaledUp', { foo: 2, baz: 6 }, 'must name its pod sets (foo, bar)'],
    ['TestScaledDown ExtraneousPodSetScaledDown', { foo: 2, baz: 1 }, 'must name its pod sets (foo, bar)'],
  ])('%s', (_, wanted, outcome) => {
    const engine = admittedTwoSets(3, 5);
    let got: string;
    try {
      got = engine.resize('default/elastic', wanted as Record<string, number>);
    } catch (e) {
      got = (e as Error).message;
    }
    expect(got).toContain(outcome);
    const total = (wanted.foo ?? 0) + (wanted.bar ?? 0);
    expect(used(engine)).toBe(outcome === 'ScaledDown' ? total * 1000 : 8000);
  });

  // pkg/scheduler/scheduler_test.go TestSchedule "workload-slice fits in single clusterQueue": foo-1 holds 10 of
  // sales' 50 cpu; its slice of 15 pods needs only the 5 more, is admitted, and foo-1 is finished as replaced.
  it('TestSchedule workload-slice fits in single clusterQueue', () => {
    const { engine, workloads } = engineFor({
      objects: [resourceFlavor('default'), ...queue('sales', { flavors: { default: { cpu: 50 } } })],
      workloads: [workload('foo', 'sales', { count: 10, requests: { cpu: 1 } })],
    });
    engine.submit(workloads.foo);
    engine.schedule(0);
    expect(engine.resize('default/foo', { main: 15 })).toBe('SlicePending');
    const decisions = engine.schedule(1);
    expect(decisions).toEqual<Decision[]>([
      {
        type: 'Admitted',
        workload: 'default/foo',
        clusterQueue: 'sales',
        admission: { clusterQueue: 'sales', podSets: [{ name: 'main', count: 15, flavors: { cpu: 'default' } }] },
        borrowing: false,
        replaced: { clusterQueue: 'sales', podSets: [{ name: 'main', count: 10, flavors: { cpu: 'default' } }] },
      },
    ]);
    expect(used(engine, 'sales')).toBe(15_000);
    expect(engine.get('default/foo')!.firstAdmittedAt).toBe(0);
    expect(engine.pendingSlice('default/foo')).toBeUndefined();
  });

  function twoJobs() {
    const { engine, workloads } = engineFor({
      objects: [resourceFlavor('default'), ...queue('team', { flavors: { default: { [GPU]: 4 } } })],
      workloads: [workload('elastic', 'team', { count: 2 }), workload('other', 'team', { count: 2, arrival: 1 })],
    });
    engine.submit(workloads.elastic);
    engine.schedule(0);
    return { engine, workloads };
  }

  it('a slice that does not fit waits, naming the extra GPUs, while the workload keeps its admission', () => {
    const { engine, workloads } = twoJobs();
    engine.submit(workloads.other);
    engine.schedule(1);
    engine.resize('default/elastic', { main: 4 });
    expect(engine.schedule(2)).toEqual([]);
    expect(counts(engine, 'default/elastic')).toEqual({ main: 2 });
    expect(engine.get('default/elastic')!.status).toBe('admitted');
    const [pending] = engine.pending();
    expect(pending.workload).toBe('default/elastic');
    expect(pending.reason.code).toBe('QuotaExhausted');
    expect(pending.reason.message).toMatch(/^Growing from 2 to 4 pods .*waits for 2 more nvidia\.com\/gpu: /);
    expect(used(engine)).toBe(4000);
    // The other job finishes: the slice takes its quota, and the workload grows.
    engine.remove('default/other');
    expect(engine.schedule(3).map(d => d.type === 'Admitted' && d.replaced?.podSets[0].count)).toEqual([2]);
    expect(counts(engine, 'default/elastic')).toEqual({ main: 4 });
  });

  it('a scale-down frees quota at once for a waiting workload, and drops a waiting slice', () => {
    const { engine, workloads } = twoJobs();
    engine.resize('default/elastic', { main: 4 });
    engine.submit(workloads.other);
    // The slice (older) is admitted first: it needs only the 2 more GPUs.
    expect(engine.schedule(1).map(d => [d.type, d.workload])).toEqual([['Admitted', 'default/elastic']]);
    engine.resize('default/elastic', { main: 8 });
    expect(engine.resize('default/elastic', { main: 2 })).toBe('ScaledDown');
    expect(engine.pendingSlice('default/elastic')).toBeUndefined();
    expect(engine.schedule(2).map(d => [d.type, d.workload])).toEqual([['Admitted', 'default/other']]);
    expect(used(engine)).toBe(4000);
  });

  it('a clone (for ETAs) carries the pending slice', () => {
    const { engine } = twoJobs();
    engine.resize('default/elastic', { main: 4 });
    const copy = engine.clone();
    expect(copy.schedule(1).map(d => d.type)).toEqual(['Admitted']);
    expect(counts(copy, 'default/elastic')).toEqual({ main: 4 });
    expect(counts(engine, 'default/elastic')).toEqual({ main: 2 });
  });

  it.each<[string, () => Engine, Record<string, number>, string]>([
    ['a pod count that is not a whole number', () => twoJobs().engine, { main: 2.5 }, 'counts.main: must be a whole'],
    ['zero pods', () => twoJobs().engine, { main: 0 }, 'counts.main: must be a whole'],
    [
      'a workload that is not admitted',
      () => {
        const { engine, workloads } = twoJobs();
        engine.submit(workloads.other);
        engine.resize('default/elastic', { main: 4 });
        return engine;
      },
      { main: 4 },
      'default/other cannot be resized: it is not admitted',
    ],
  ])('refuses %s', (_, make, wanted, message) => {
    const engine = make();
    const key = message.startsWith('default/other') ? 'default/other' : 'default/elastic';
    expect(() => engine.resize(key, wanted)).toThrow(message);
  });

  it('refuses to resize with the gate off', () => {
    const { engine, workloads } = engineFor({
      config: { featureGates: { ElasticJobsViaWorkloadSlices: false } },
      objects: [resourceFlavor('default'), ...queue('team')],
      workloads: [workload('elastic', 'team', { count: 2 })],
    });
    engine.submit(workloads.elastic);
    engine.schedule(0);
    expect(() => engine.resize('default/elastic', { main: 4 })).toThrow(
      'feature gate ElasticJobsViaWorkloadSlices is off',
    );
  });
});

describe('elastic jobs through the simulator (examples/scenarios/elastic-jobs.yaml)', () => {
  const file = resolve(__dirname, '../../../../examples/scenarios/elastic-jobs.yaml');
  const text = readFileSync(file, 'utf8');

  it('grows without a restart when the quota allows, waits when not, and frees quota at once when shrinking', () => {
    const result = simulate(parseScenario(text, file), { events: true });
    const lines = result.events.map(
      e =>
        `${e.time} ${e.type} ${e.workload.replace(/^ml\//, '')} ${Object.values(e.assignment ?? {}).map(a => a.count)}`,
    );
    expect(lines).toEqual([
      '0 Admitted trainer 2',
      '60 Admitted batch 2',
      '300 Resized trainer 4',
      '1260 Finished batch ',
      '1260 Resized trainer 8',
      '2400 Resized trainer 2',
      '2400 Admitted late 6',
      '3000 Finished late ',
      '3600 Finished trainer ',
    ]);
    // The trainer ran its hour from its first admission: growing did not restart it.
    expect(result.workloads['ml/trainer']).toMatchObject({ admittedAt: 0, finishedAt: 3600, evictions: 0 });
    // GPU-seconds held: trainer 2×300 + 4×960 + 8×1140 + 2×1200, batch 2×1200, late 6×600 = 21,960 of 8×3,600.
    expect(result.summary.usage['nvidia.com/gpu']).toBe(76.25);
  });

  it.each<[string, string, string]>([
    [
      'a pod set the workload lacks',
      text.replace('{ workers: 4 }', '{ workers: 4, extra: 1 }'),
      'resizes[0].podSets.extra: the workload has no such pod set',
    ],
    [
      'a count that is not a positive integer',
      text.replace('{ workers: 8 }', '{ workers: 0 }'),
      'resizes[1].podSets.workers: must be a positive integer',
    ],
    [
      'the gate off',
      `${text}\nconfig: { featureGates: { ElasticJobsViaWorkloadSlices: false } }\n`,
      'resizes: needs config.featureGates.ElasticJobsViaWorkloadSlices',
    ],
  ])('refuses a scenario with %s', (_, doc, message) => {
    expect(() => parseScenario(doc, file)).toThrow(message);
  });
});
