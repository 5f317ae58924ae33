import { parseQueueObjects } from '../config/parse';
import { engineFor, GPU, queue, resourceFlavor, workload } from '../__testUtils__/builders';

const flavor = resourceFlavor('default');

describe('stopping a ClusterQueue', () => {
  // "running" is admitted; then the ClusterQueue is stopped and "next" submitted.
  it.each<[string, string, string[], string]>([
    ['Hold keeps what runs and admits nothing new', 'Hold', [], 'admitted'],
    [
      'HoldAndDrain evicts what runs, which queues again',
      'HoldAndDrain',
      ['Evicted default/running (ClusterQueueStopped)'],
      'pending',
    ],
    ['None admits as before', 'None', ['Admitted default/next'], 'admitted'],
  ])('%s', (_, stopPolicy, decisions, runningStatus) => {
    const { engine, workloads } = engineFor({
      objects: [flavor, ...queue('team', { flavors: { default: { [GPU]: 8 } } })],
      workloads: [workload('running', 'team', { count: 4 }), workload('next', 'team', { count: 4, arrival: 1 })],
    });
    engine.submit(workloads.running);
    engine.schedule(0);
    engine.setConfig(parseQueueObjects([flavor, ...queue('team', { stopPolicy })]));
    engine.submit(workloads.next);
    const out = engine.schedule(1000).map(d => `${d.type} ${d.workload}${'reason' in d ? ` (${d.reason})` : ''}`);
    expect(out).toEqual(decisions);
    expect(engine.get('default/running')?.status).toBe(runningStatus);
  });
});

describe('requeueing a head that does not fit', () => {
  // 6 of 8 GPUs are busy; "big" (4) is first in line, "small" (2) behind it.
  it.each([
    ['BestEffortFIFO parks the head and tries the next', 'BestEffortFIFO', ['Admitted default/small']],
    ['StrictFIFO keeps the head in front and stalls', 'StrictFIFO', []],
  ])('%s', (_, queueingStrategy, decisions) => {
    const { engine, workloads } = engineFor({
      objects: [flavor, ...queue('team', { queueingStrategy })],
      workloads: [
        workload('busy', 'team', { count: 6 }),
        workload('big', 'team', { count: 4, arrival: 1 }),
        workload('small', 'team', { count: 2, arrival: 2 }),
      ],
    });
    engine.submit(workloads.busy);
    engine.schedule(0);
    engine.submit(workloads.big);
    engine.submit(workloads.small);
    expect(engine.schedule(2000).map(d => `${d.type} ${d.workload}`)).toEqual(decisions);
  });
});
