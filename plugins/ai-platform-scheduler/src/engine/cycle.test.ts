import { engineFor, GPU, queue, resourceFlavor, workload } from '../__testUtils__/builders';

describe('a scheduling cycle tries the head of every ClusterQueue once', () => {
  // Three ClusterQueues with room for everything; two workloads in each.
  it.each([
    [1, ['a1', 'b1', 'c1']],
    [2, ['a1', 'b1', 'c1', 'a2', 'b2', 'c2']],
    [Infinity, ['a1', 'b1', 'c1', 'a2', 'b2', 'c2']],
  ])('%p cycle(s) admit %j', (cycles, admitted) => {
    const names = ['a', 'b', 'c'];
    const { engine, workloads } = engineFor({
      objects: [resourceFlavor('default'), ...names.flatMap(n => queue(n, { flavors: { default: { [GPU]: 8 } } }))],
      workloads: names.flatMap(n => [workload(`${n}1`, n), workload(`${n}2`, n, { arrival: 1 })]),
    });
    for (const w of Object.values(workloads)) engine.submit(w);
    const decisions = engine.schedule(0, cycles);
    expect(decisions.map(d => d.workload.slice('default/'.length))).toEqual(admitted);
  });
});
