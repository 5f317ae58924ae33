import { engineFor, GPU, queue, resourceFlavor, workload } from '../__testUtils__/builders';
import type { Engine } from './Engine';
import type { Workload } from './types';

const used = (engine: Engine) => engine.usage()[0].resources[0].used;

describe('quota bookkeeping: what a ClusterQueue reports as used', () => {
  it.each<[string, (engine: Engine, w: Record<string, Workload>) => void, number]>([
    ['nothing admitted', () => undefined, 0],
    [
      'one admitted workload of 3 pods',
      (e, w) => {
        e.submit(w.a);
        e.schedule(0);
      },
      3000,
    ],
    [
      'a finished workload gives its quota back',
      (e, w) => {
        e.submit(w.a);
        e.schedule(0);
        e.remove('default/a');
      },
      0,
    ],
    [
      'a workload found already admitted is charged',
      (e, w) =>
        e.restoreAdmitted(
          w.b,
          { clusterQueue: 'team', podSets: [{ name: 'main', count: 2, flavors: { [GPU]: 'default' } }] },
          0,
        ),
      2000,
    ],
    [
      'a pending workload charges nothing',
      (e, w) => {
        e.submit(w.big);
      },
      0,
    ],
  ])('%s', (_, act, expected) => {
    const { engine, workloads } = engineFor({
      objects: [resourceFlavor('default'), ...queue('team', { flavors: { default: { [GPU]: 8 } } })],
      workloads: [
        workload('a', 'team', { count: 3 }),
        workload('b', 'team', { count: 2 }),
        workload('big', 'team', { count: 9 }),
      ],
    });
    act(engine, workloads);
    expect(used(engine)).toBe(expected);
  });
});
