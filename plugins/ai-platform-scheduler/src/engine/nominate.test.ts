import { engineFor, GPU, queue, resourceFlavor, workload } from '../__testUtils__/builders';

describe('nomination: the whole gang, else (PartialAdmission) fewer pods', () => {
  // 6 GPUs free; "gang" asks for 8 pods of 1 GPU.
  it.each<[string, number | undefined, boolean, number | undefined]>([
    ['no minCount: waits for room for all 8', undefined, true, undefined],
    ['minCount 4: admitted with the 6 that fit', 4, true, 6],
    ['minCount 7: more than fits, waits', 7, true, undefined],
    ['PartialAdmission off: waits despite minCount', 4, false, undefined],
  ])('%s', (_, minCount, PartialAdmission, admittedPods) => {
    const { engine, workloads } = engineFor({
      config: { featureGates: { PartialAdmission } },
      objects: [resourceFlavor('default'), ...queue('team', { flavors: { default: { [GPU]: 6 } } })],
      workloads: [workload('gang', 'team', { count: 8, minCount })],
    });
    engine.submit(workloads.gang);
    const [decision] = engine.schedule(0);
    expect(decision?.type === 'Admitted' ? decision.admission.podSets[0].count : undefined).toBe(admittedPods);
  });
});
