import { engineFor, GPU, queue, resourceFlavor, workload } from '../__testUtils__/builders';

// "victim" (priority 0) holds the queue's 4 GPUs; "preemptor" (priority 10) needs all 4.
function preemptionAt10() {
  const { engine, workloads } = engineFor({
    objects: [
      resourceFlavor('default'),
      ...queue('team', { flavors: { default: { [GPU]: 4 } }, preemption: { withinClusterQueue: 'LowerPriority' } }),
    ],
    workloads: [
      workload('victim', 'team', { count: 4 }),
      workload('preemptor', 'team', { count: 4, priority: 10, arrival: 10 }),
    ],
  });
  engine.submit(workloads.victim);
  engine.schedule(0);
  engine.submit(workloads.preemptor);
  return engine;
}

describe('applying a preemption', () => {
  it.each<[string, number, string[], string | undefined]>([
    [
      'one cycle: the victim is evicted, the preemptor waits for its quota',
      1,
      ['Preempted default/victim'],
      'WaitingForPreemption',
    ],
    [
      'until quiet: the freed quota goes to the preemptor, not back to the victim',
      Infinity,
      ['Preempted default/victim', 'Admitted default/preemptor'],
      undefined,
    ],
  ])('%s', (_, cycles, decisions, preemptorReason) => {
    const engine = preemptionAt10();
    expect(engine.schedule(10_000, cycles).map(d => `${d.type} ${d.workload}`)).toEqual(decisions);
    const preemptor = engine.pending().find(p => p.workload === 'default/preemptor');
    expect(preemptor?.reason.code).toBe(preemptorReason);
    expect(engine.get('default/victim')?.status).toBe('pending');
  });

  it('tells the victim who preempted it and why', () => {
    const [decision] = preemptionAt10().schedule(10_000);
    expect(decision).toEqual({
      type: 'Preempted',
      workload: 'default/victim',
      clusterQueue: 'team',
      preemptor: 'default/preemptor',
      reason: 'InClusterQueue',
      message: 'Preempted to make room for default/preemptor in ClusterQueue team (InClusterQueue)',
    });
  });
});
