import {
  clusterQueue,
  engineFor,
  GPU,
  localQueue,
  namespaceObject,
  resourceFlavor,
  run,
  workload,
  type ScenarioDoc,
} from '../__testUtils__/builders';
import type { BudgetPolicy, BudgetStandings } from './budgets';

/** Teams vision and speech share one ClusterQueue of 8 GPUs; vision holds 4 of them with a running job. */
function sharedQueue() {
  const { engine, workloads } = engineFor({
    objects: [
      resourceFlavor('h100'),
      clusterQueue('shared', { flavors: { h100: { [GPU]: 8 } } }),
      namespaceObject('vision-ns', { 'ai-platform.io/team': 'vision' }),
      namespaceObject('speech'),
      localQueue('gpus', 'shared', 'vision-ns'),
      localQueue('gpus', 'shared', 'speech'),
    ],
    workloads: [
      workload('running', 'gpus', { namespace: 'vision-ns', count: 4 }),
      workload('vision-next', 'gpus', { namespace: 'vision-ns', count: 4, arrival: 10, priority: 100 }),
      workload('speech-next', 'gpus', { namespace: 'speech', count: 4, arrival: 20 }),
    ],
  });
  engine.submit(workloads.running);
  engine.schedule(0);
  return { engine, workloads };
}

const visionOver = (policy: BudgetPolicy): BudgetStandings =>
  new Map([['vision', { policy, exceeded: true, spent: '1,020 of 1,000 GPU-hours' }]]);

describe('budgets at admission', () => {
  it.each([
    {
      name: 'Warn: a team over budget is admitted as before (higher priority first)',
      standings: visionOver('Warn'),
      admitted: ['vision-ns/vision-next'],
    },
    {
      name: "Deprioritize: the team's new work queues below work within budget, even of lower priority",
      standings: visionOver('Deprioritize'),
      admitted: ['speech/speech-next'],
    },
    {
      name: 'Hold: the team waits with BudgetExceeded while another team takes the free quota',
      standings: visionOver('Hold'),
      admitted: ['speech/speech-next'],
    },
    {
      name: 'a team within budget is untouched under any policy',
      standings: new Map([['vision', { policy: 'Hold' as const, exceeded: false }]]),
      admitted: ['vision-ns/vision-next'],
    },
  ])('$name', ({ standings, admitted }) => {
    const { engine, workloads } = sharedQueue();
    engine.setBudgets(standings);
    engine.submit(workloads['vision-next']);
    engine.submit(workloads['speech-next']);
    const decisions = engine.schedule(30_000).filter(d => d.type === 'Admitted');
    expect(decisions.map(d => d.workload)).toEqual(admitted);
    // Running work always finishes.
    expect(engine.get('vision-ns/running')!.status).toBe('admitted');
  });

  it('Hold: the waiting workload says why, and is admitted once the budget is raised', () => {
    const { engine, workloads } = sharedQueue();
    engine.setBudgets(visionOver('Hold'));
    engine.submit(workloads['vision-next']);
    expect(engine.schedule(30_000)).toEqual([]);
    const info = engine.pending().find(p => p.workload === 'vision-ns/vision-next')!;
    expect(info.reason.code).toBe('BudgetExceeded');
    expect(info.reason.message).toContain('Team vision');
    expect(info.reason.message).toContain('1,020 of 1,000 GPU-hours');
    engine.setBudgets(new Map());
    expect(engine.schedule(31_000).map(d => d.workload)).toEqual(['vision-ns/vision-next']);
  });

  it('Hold: an ETA (forward simulation on a clone) keeps the hold', () => {
    const { engine, workloads } = sharedQueue();
    engine.setBudgets(visionOver('Hold'));
    engine.submit(workloads['vision-next']);
    expect(engine.clone().schedule(30_000)).toEqual([]);
  });
});

describe('budgets in the simulator', () => {
  /** Team vision runs 4 GPUs for an hour first, past its 3.5 GPU-hours; meanwhile both teams queue a 4-GPU job. */
  const doc = (policy: BudgetPolicy) =>
    ({
      budgets: [{ team: 'vision', gpuHours: 3.5, policy }],
      objects: [
        resourceFlavor('h100'),
        clusterQueue('shared', { flavors: { h100: { [GPU]: 4 } } }),
        namespaceObject('vision-ns', { 'ai-platform.io/team': 'vision' }),
        namespaceObject('speech'),
        localQueue('gpus', 'shared', 'vision-ns'),
        localQueue('gpus', 'shared', 'speech'),
      ],
      workloads: [
        workload('first', 'gpus', { namespace: 'vision-ns', count: 4, duration: 3600 }),
        workload('vision-again', 'gpus', {
          namespace: 'vision-ns',
          count: 4,
          arrival: 10,
          duration: 600,
          priority: 100,
        }),
        workload('speech-job', 'gpus', { namespace: 'speech', count: 4, arrival: 20, duration: 600 }),
      ],
    } as ScenarioDoc);

  it.each([
    { policy: 'Warn' as const, order: ['vision-ns/first', 'vision-ns/vision-again', 'speech/speech-job'] },
    { policy: 'Deprioritize' as const, order: ['vision-ns/first', 'speech/speech-job', 'vision-ns/vision-again'] },
    { policy: 'Hold' as const, order: ['vision-ns/first', 'speech/speech-job'] },
  ])('$policy: admission order once vision spent its 3.5 GPU-hours', ({ policy, order }) => {
    const result = run(doc(policy));
    expect(result.events.filter(e => e.type === 'Admitted').map(e => e.workload)).toEqual(order);
    expect(result.summary.budgets!.vision).toMatchObject({ policy, budgetGpuHours: 3.5, exceededAt: 3150 });
    // Only Hold leaves the team's new work waiting, with BudgetExceeded.
    expect(result.workloads['vision-ns/vision-again'].pendingReason?.code === 'BudgetExceeded').toBe(policy === 'Hold');
  });

  it('rejects a budget with an unknown policy, naming the field', () => {
    expect(() =>
      run({ ...doc('Warn'), budgets: [{ team: 'vision', gpuHours: 4, policy: 'Block' }] } as ScenarioDoc),
    ).toThrow(/budgets\[0\]\.policy: must be one of Warn, Deprioritize, Hold/);
  });
});
