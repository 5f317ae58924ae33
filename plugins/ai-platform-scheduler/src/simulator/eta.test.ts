import { queue, resourceFlavor, scenario, workload, engineFor, type ScenarioDoc } from '../__testUtils__/builders';
import { RunTimeModel } from '../runtime/RunTimeModel';
import { chooseClusterByPolicy, estimateAdmissionRange } from './eta';
import { simulate } from './simulate';

/** One queue of 8 GPUs: a job holding all 8, and one waiting behind it. */
function behindOne(durationOfRunning: number, extra: Record<string, unknown> = {}): ScenarioDoc {
  return {
    objects: [resourceFlavor('h100'), ...queue('team-a', { flavors: { h100: { 'nvidia.com/gpu': 8 } } })],
    workloads: [
      { ...workload('running', 'team-a', { count: 8, duration: durationOfRunning }), declaredDuration: 3600 },
      { ...workload('waiting', 'team-a', { count: 8, arrival: 60, duration: 600 }), declaredDuration: 600, ...extra },
    ],
  };
}

describe('estimateAdmissionRange', () => {
  it('a workload waiting behind a job of uncertain length gets a range around that job’s declared end', () => {
    const { engine, workloads } = engineFor(behindOne(3600));
    engine.submit(workloads.running);
    engine.schedule(0);
    engine.submit(workloads.waiting);
    const model = new RunTimeModel();
    const range = estimateAdmissionRange(engine, 60_000, {
      runTime: () => model.predict({ queue: 'team-a', gpus: 8, declaredSeconds: 3600 }),
    })!.get('default/waiting')!;
    expect(range.p10).toBeLessThan(range.p50!);
    expect(range.p50).toBeLessThan(range.p90!);
    // The declaration is the median: the running job is expected to end about 3,600 s after it started.
    expect(Math.abs(range.p50! - 3_600_000)).toBeLessThan(400_000);
    expect(range.p90! / 1000).toBeGreaterThan(5000);
  });

  it('gives no p90 when the workload could not start within the horizon in most draws', () => {
    const { engine, workloads } = engineFor(behindOne(3600));
    engine.submit(workloads.running);
    engine.schedule(0);
    engine.submit(workloads.waiting);
    const range = estimateAdmissionRange(engine, 60_000, {
      runTime: () => new RunTimeModel().predict({ queue: 'team-a', gpus: 8, declaredSeconds: 3600 }),
      horizon: 30 * 60_000,
    }).get('default/waiting')!;
    expect(range.p90).toBeUndefined();
  });
});

describe('ETA accuracy in the simulator', () => {
  it('never uses the true duration: predictions at submission are the same whatever the running job really takes', () => {
    const short = simulate(scenario(behindOne(1200)), { eta: true });
    const long = simulate(scenario(behindOne(7200)), { eta: true });
    expect(short.workloads['default/waiting'].etaAtSubmit).toBeDefined();
    expect(short.workloads['default/waiting'].etaAtSubmit).toBe(long.workloads['default/waiting'].etaAtSubmit);
    expect(short.workloads['default/waiting'].etaP90AtSubmit).toBe(long.workloads['default/waiting'].etaP90AtSubmit);
    // ... while what actually happens differs.
    expect(short.workloads['default/waiting'].admittedAt).toBe(1200);
    expect(long.workloads['default/waiting'].admittedAt).toBe(7200);
  });

  it('reports how far the predictions at submission were from the actual wait', () => {
    const doc = { ...behindOne(7200), eta: { warmUpRuns: 0 } } as ScenarioDoc;
    const result = simulate(scenario(doc), { eta: true });
    const eta = result.summary.eta!;
    expect(eta.measured).toBe(1);
    // Declared 3,600 s, ran 7,200 s: the wait (7,140 s) was predicted as about 3,540 s.
    expect(eta.medianRelativeError).toBeGreaterThan(0.4);
    expect(eta.medianRelativeError).toBeLessThan(0.6);
    expect(eta.declaredOnly.medianRelativeError).toBeCloseTo(3600 / 7140, 2);
    expect(eta.predictions).toBeGreaterThan(100);
    expect(eta.intervalCoverage).toBe(0);
  });

  it('rejects an unknown eta setting, naming it', () => {
    expect(() => scenario({ ...behindOne(10), eta: { sample: 3 } } as ScenarioDoc)).toThrow(/eta.sample: unknown/);
  });
});

describe('chooseClusterByPolicy', () => {
  /** east is busy for an hour and costs 2.00 per GPU-hour; west is free and costs 4.00. */
  function clusters() {
    const busy = engineFor(behindOne(3600));
    busy.engine.submit(busy.workloads.running);
    busy.engine.schedule(0);
    const free = engineFor(behindOne(3600));
    return {
      list: [
        { name: 'east', engine: busy.engine },
        { name: 'west', engine: free.engine },
      ],
      probe: busy.workloads.waiting,
    };
  }
  const prices: Record<string, number> = { east: 2_000_000, west: 4_000_000 };
  const options = (policy: 'FastestStart' | 'Cheapest', toleranceHours?: number) => ({
    policy,
    tolerance: toleranceHours === undefined ? undefined : toleranceHours * 3_600_000,
    runTime: () => new RunTimeModel().predict({ queue: 'team-a', gpus: 8, declaredSeconds: 3600 }),
    priceOf: (cluster: string) => prices[cluster],
  });

  it.each([
    {
      name: 'FastestStart takes the free cluster',
      policy: 'FastestStart' as const,
      tolerance: undefined,
      cluster: 'west',
    },
    {
      name: 'Cheapest waits for the cheaper cluster when its p90 start is within tolerance',
      policy: 'Cheapest' as const,
      tolerance: 4,
      cluster: 'east',
    },
    {
      name: 'Cheapest takes the pricier cluster when the cheap one would start too late',
      policy: 'Cheapest' as const,
      tolerance: 0.5,
      cluster: 'west',
    },
  ])('$name', ({ policy, tolerance, cluster }) => {
    const { list, probe } = clusters();
    const choice = chooseClusterByPolicy(probe, list, 60_000, options(policy, tolerance));
    expect(choice.cluster).toBe(cluster);
    const east = choice.candidates.find(c => c.cluster === 'east')!;
    const west = choice.candidates.find(c => c.cluster === 'west')!;
    expect(west.eta!.p50).toBe(60_000);
    expect(east.eta!.p50!).toBeGreaterThan(3_000_000);
    expect(east.eta!.p90!).toBeGreaterThan(east.eta!.p50!);
    expect([east.pricePerGpuHourMicros, west.pricePerGpuHourMicros]).toEqual([2_000_000, 4_000_000]);
  });

  it('a cluster without the queue is listed with its problem and never chosen', () => {
    const { list, probe } = clusters();
    const choice = chooseClusterByPolicy({ ...probe, queue: 'nowhere' }, list, 60_000, options('Cheapest'));
    expect(choice.cluster).toBeUndefined();
    expect(choice.candidates.map(c => c.problem?.code)).toEqual(['QueueNotFound', 'QueueNotFound']);
  });
});
