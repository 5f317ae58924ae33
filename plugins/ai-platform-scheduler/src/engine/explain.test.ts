import { engineFor, GPU, queue, resourceFlavor, ScenarioDoc, workload } from '../__testUtils__/builders';

const flavor = resourceFlavor('default');

describe('explainPending: the reason and position of every pending workload', () => {
  // Each scenario submits "busy" (scheduled at 0), then "waiting" and "behind" (not yet scheduled).
  it.each<[string, Partial<ScenarioDoc>, Record<string, [number | undefined, string, string]>]>([
    [
      'quota taken: both wait for it, in queue order',
      {},
      {
        waiting: [1, 'QuotaExhausted', expect.any(String)],
        behind: [2, 'QuotaExhausted', expect.any(String)],
      },
    ],
    [
      'room for both: the first is next, the second waits behind it',
      { objects: [flavor, ...queue('team', { flavors: { default: { [GPU]: 16 } } })] },
      {
        waiting: [1, 'WaitingInQueue', 'Fits; admitted in the next scheduling cycle'],
        behind: [2, 'WaitingInQueue', 'Fits now, but 1 workload(s) are ahead of it in ClusterQueue team'],
      },
    ],
    [
      'a stopped ClusterQueue',
      { objects: [flavor, ...queue('team', { stopPolicy: 'Hold' })] },
      {
        busy: [1, 'QueueStopped', 'ClusterQueue team is stopped (Hold)'],
        waiting: [2, 'QueueStopped', 'ClusterQueue team is stopped (Hold)'],
        behind: [3, 'QueueStopped', 'ClusterQueue team is stopped (Hold)'],
      },
    ],
  ])('%s', (_, doc, expected) => {
    const { engine, workloads } = engineFor({
      objects: [flavor, ...queue('team')],
      ...doc,
      workloads: [
        workload('busy', 'team', { count: 8 }),
        workload('waiting', 'team', { count: 4, arrival: 1 }),
        workload('behind', 'team', { count: 4, arrival: 2 }),
      ],
    });
    engine.submit(workloads.busy);
    engine.schedule(0);
    engine.submit(workloads.waiting);
    engine.submit(workloads.behind);
    const pending = Object.fromEntries(
      engine
        .pending()
        .map(p => [p.workload.slice('default/'.length), [p.positionInClusterQueue, p.reason.code, p.reason.message]]),
    );
    expect(pending).toEqual(expected);
  });
});
