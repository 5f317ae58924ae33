import {
  clusterQueue,
  engineFor,
  GPU,
  localQueue,
  namespaceObject,
  resourceFlavor,
  workload,
} from '../testing/builders';
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
