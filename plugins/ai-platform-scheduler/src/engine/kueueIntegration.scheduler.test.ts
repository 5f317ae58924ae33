import {
  clusterQueue,
  engineFor,
  localQueue,
  namespaceObject,
  queue,
  resourceFlavor,
  run,
  timeline,
  workload,
} from '../__testUtils__/builders';
import { before, cpu, flavorOf, flavors, instance, long, spotToleration } from '../__testUtils__/integrationSpecs';

// Kueue's test/integration/singlecluster/scheduler/scheduler_test.go (notation in
// __testUtils__/integrationSpecs.ts): upstream finishes workloads by hand; here they run 10 s.
const short = { duration: 10 };
const prodCq = queue('prod-cq', {
  cohort: 'prod-cohort',
  flavors: { 'spot-tainted': { cpu: { nominal: 5, borrowingLimit: 5 } }, 'on-demand': { cpu: 5 } },
});
const devCq = queue('dev-cq', { flavors: { 'spot-untainted': { cpu: 5 }, 'on-demand': { cpu: 5 } } });

describe('test/integration/singlecluster/scheduler/scheduler_test.go', () => {
  describe('Scheduling workloads on clusterQueues', () => {
    it('Should admit workloads as they fit in their ClusterQueue', () => {
      const doc = {
        objects: [...flavors, ...prodCq, ...devCq],
        workloads: [
          workload('prod-wl1', 'prod-cq', { ...cpu(2), ...short }),
          workload('prod-wl2', 'prod-cq', { ...cpu(5), arrival: 1, ...long }),
          workload('dev-wl', 'dev-cq', { ...cpu(5), arrival: 3, ...long }),
        ],
      };
      const result = run(doc);
      expect(before(timeline(result))).toEqual(['0 Admitted prod-wl1', '3 Admitted dev-wl', '10 Admitted prod-wl2']);
      expect(['prod-wl1', 'dev-wl', 'prod-wl2'].map(n => flavorOf(result, n))).toEqual([
        'on-demand',
        'spot-untainted',
        'on-demand',
      ]);
      // Upstream's empty-wl, a pod set of 0 pods while prod-wl2 waits: scenarios refuse a count of 0, the engine does not.
      const { engine, workloads } = engineFor(doc);
      engine.submit({ ...workloads['prod-wl1'], creationTime: 0 });
      engine.schedule(0);
      engine.submit({ ...workloads['prod-wl2'], creationTime: 1000 });
      const empty = { ...workloads['prod-wl1'], key: 'default/empty-wl', name: 'empty-wl', creationTime: 2000 };
      engine.submit({ ...empty, podSets: [{ ...empty.podSets[0], count: 0 }] });
      expect(engine.schedule(2000)).toMatchObject([
        {
          type: 'Admitted',
          workload: 'default/empty-wl',
          admission: { podSets: [{ name: 'main', count: 0, flavors: { cpu: 'on-demand' } }] },
        },
      ]);
    });

    it.each([
      ['Should admit workloads as number of pods allows it', { cpu: 100, pods: 5 }, cpu(2)],
      ['Should admit workloads as the number of pods (only) allows it', { pods: 5 }, { requests: {} }],
    ])('%s', (_, quota, requests) => {
      const result = run({
        objects: [...flavors, ...queue('pods-count-cq', { flavors: { 'on-demand': quota } })],
        workloads: [
          workload('wl1', 'pods-count-cq', { ...requests, count: 3, ...short }),
          workload('wl2', 'pods-count-cq', { ...requests, count: 3, arrival: 1, ...long }),
          workload('wl3', 'pods-count-cq', { ...requests, count: 2, arrival: 2, ...long }),
        ],
      });
      expect(before(timeline(result))).toEqual(['0 Admitted wl1', '2 Admitted wl3', '10 Admitted wl2']);
      expect(flavorOf(result, 'wl1', 'pods')).toBe('on-demand');
    });

    describe.each(['ClusterQueue', 'LocalQueue'])('Hold %s at startup', kind => {
      const prod = (stopPolicy?: string) => [
        clusterQueue('prod-cq', {
          cohort: 'prod-cohort',
          flavors: { 'spot-tainted': { cpu: { nominal: 5, borrowingLimit: 5 } }, 'on-demand': { cpu: 5 } },
          ...(kind === 'ClusterQueue' && stopPolicy && { stopPolicy }),
        }),
        localQueue('prod-cq', 'prod-cq', 'default', kind === 'LocalQueue' && stopPolicy ? { stopPolicy } : {}),
      ];

      it('Should admit workloads according to their priorities', () => {
        const wl = (name: string, priority: number, duration: number) =>
          workload(name, 'prod-cq', { priority, ...cpu(2), duration });
        const result = run({
          objects: [...flavors, ...prod('Hold')],
          workloads: [
            wl('wl-low-priority', 0, 1000),
            wl('wl-mid-priority-1', 10, 1000),
            wl('wl-mid-priority-2', 10, 1000),
            wl('wl-high-priority-1', 100, 10),
            wl('wl-high-priority-2', 100, 10),
          ],
          changes: [{ at: 5, apply: prod() }],
        });
        expect(before(timeline(result))).toEqual([
          '5 Admitted wl-high-priority-1',
          '5 Admitted wl-high-priority-2',
          '15 Admitted wl-mid-priority-1',
          '15 Admitted wl-mid-priority-2',
        ]);
      });
    });

    it('Should admit two small workloads after a big one finishes', () => {
      const result = run({
        objects: [...flavors, ...prodCq],
        workloads: [
          workload('big-wl', 'prod-cq', { ...cpu(5), ...short }),
          workload('small-wl-1', 'prod-cq', { ...cpu(2.5), arrival: 1, ...long }),
          workload('small-wl-2', 'prod-cq', { ...cpu(2.5), arrival: 1, ...long }),
        ],
      });
      expect(before(timeline(result))).toEqual([
        '0 Admitted big-wl',
        '10 Admitted small-wl-1',
        '10 Admitted small-wl-2',
      ]);
    });

    it('Should admit workload with zero quantity request for resource not in ClusterQueue', () => {
      const result = run({
        objects: [...flavors, ...devCq],
        workloads: [workload('zero-resource-wl', 'dev-cq', { requests: { cpu: 1, 'example.com/gpu': 0 }, ...long })],
      });
      expect(before(timeline(result))).toEqual(['0 Admitted zero-resource-wl']);
      expect(result.events[0].assignment?.main.flavors).toEqual({ cpu: 'spot-untainted' });
    });
  });

  describe('Using clusterQueue NamespaceSelector', () => {
    it('Should admit workloads from the selected namespaces', () => {
      const selector = { matchExpressions: [{ key: 'dep', operator: 'In', values: ['eng'] }] };
      const result = run({
        objects: [
          ...flavors,
          namespaceObject('ns'),
          namespaceObject('foo'),
          clusterQueue('cluster-queue-with-selector', {
            flavors: { 'on-demand': { cpu: 5 } },
            namespaceSelector: selector,
          }),
          localQueue('queue', 'cluster-queue-with-selector', 'ns'),
          localQueue('foo', 'cluster-queue-with-selector', 'foo'),
        ],
        workloads: [
          workload('wl1', 'queue', { namespace: 'ns', ...cpu(1), ...long }),
          workload('wl2', 'foo', { namespace: 'foo', ...cpu(1), ...long }),
        ],
        changes: [{ at: 5, apply: namespaceObject('ns', { dep: 'eng' }) }],
      });
      expect(before(timeline(result))).toEqual(['5 Admitted ns/wl1']);
    });
  });

  describe('Using taints in resourceFlavors', () => {
    it('Should schedule workloads on tolerated flavors', () => {
      const result = run({
        objects: [
          ...flavors,
          ...queue('cluster-queue', {
            cohort: 'cohort',
            flavors: { 'spot-tainted': { cpu: { nominal: 5, borrowingLimit: 5 } }, 'on-demand': { cpu: 5 } },
          }),
        ],
        workloads: [
          workload('on-demand-wl1', 'cluster-queue', { ...cpu(5), ...long }),
          workload('on-demand-wl2', 'cluster-queue', { ...cpu(5), arrival: 1, ...long }),
          workload('on-demand-wl3', 'cluster-queue', { ...cpu(5), tolerations: [spotToleration], arrival: 2, ...long }),
        ],
      });
      expect(before(timeline(result))).toEqual(['0 Admitted on-demand-wl1', '2 Admitted on-demand-wl3']);
      expect([flavorOf(result, 'on-demand-wl1'), flavorOf(result, 'on-demand-wl3')]).toEqual([
        'on-demand',
        'spot-tainted',
      ]);
    });
  });

  describe('Using affinity in resourceFlavors', () => {
    it('Should admit workloads with affinity to specific flavor', () => {
      const result = run({
        objects: [
          ...flavors,
          ...queue('cluster-queue', { flavors: { 'spot-untainted': { cpu: 5 }, 'on-demand': { cpu: 5 } } }),
        ],
        workloads: [
          workload('no-affinity-workload', 'cluster-queue', { ...cpu(1), ...long }),
          workload('affinity-wl', 'cluster-queue', {
            ...cpu(1),
            nodeSelector: { [instance]: 'on-demand', foo: 'bar' },
            arrival: 1,
            ...long,
          }),
        ],
      });
      expect([flavorOf(result, 'no-affinity-workload'), flavorOf(result, 'affinity-wl')]).toEqual([
        'spot-untainted',
        'on-demand',
      ]);
    });
  });

  describe('Using cohorts for sharing unused resources', () => {
    it('Should admit workloads using borrowed ClusterQueue', () => {
      const result = run({
        objects: [
          ...flavors,
          ...queue('prod-cq', {
            cohort: 'all',
            flavors: { 'spot-tainted': { cpu: { nominal: 5, borrowingLimit: 0 } }, 'on-demand': { cpu: 5 } },
          }),
        ],
        workloads: [workload('wl', 'prod-cq', { ...cpu(10), tolerations: [spotToleration], ...long })],
        changes: [
          {
            at: 5,
            // prod-cq can't borrow its spot-tainted quota, because of its own borrowingLimit
            apply: clusterQueue('fallback-cq', {
              cohort: 'all',
              flavors: { 'spot-tainted': { cpu: 5 }, 'on-demand': { cpu: 5 } },
            }),
          },
        ],
      });
      expect(before(timeline(result))).toEqual(['5 Admitted wl']);
      expect(flavorOf(result, 'wl')).toBe('on-demand');
    });

    it('Should schedule workloads borrowing quota from ClusterQueues in the same Cohort', () => {
      const borrowing = { 'on-demand': { cpu: { nominal: 5, borrowingLimit: 10 } } };
      const result = run({
        objects: [
          ...flavors,
          ...queue('prod-cq', { cohort: 'all', flavors: borrowing }),
          ...queue('dev-cq', { cohort: 'all', flavors: borrowing }),
          clusterQueue('test-cq', {
            cohort: 'all',
            flavors: { 'on-demand': { cpu: { nominal: 15, borrowingLimit: 0 } } },
          }),
        ],
        workloads: [
          workload('wl-1', 'prod-cq', { ...cpu(11), ...long }),
          workload('wl-2', 'dev-cq', { ...cpu(11), ...long }),
        ],
      });
      expect(before(timeline(result)).sort()).toEqual(['0 Admitted wl-1', '0 Admitted wl-2']);
    });

    it('Should start workloads that are under min quota before borrowing', () => {
      const result = run({
        objects: [
          ...flavors,
          ...queue('prod-cq', { cohort: 'all', queueingStrategy: 'StrictFIFO', flavors: { 'on-demand': { cpu: 2 } } }),
          ...queue('dev-cq', { cohort: 'all', queueingStrategy: 'StrictFIFO', flavors: { 'on-demand': { cpu: 0 } } }),
        ],
        workloads: [
          workload('p-wl-1', 'prod-cq', { ...cpu(2), ...short }),
          workload('d-wl-1', 'dev-cq', { ...cpu(1), arrival: 1, ...long }),
          workload('p-wl-2', 'prod-cq', { ...cpu(2), arrival: 2, ...short }),
        ],
      });
      // p-wl-2 is admitted first, though created after d-wl-1: it is within its queue's nominal quota.
      expect(before(timeline(result))).toEqual(['0 Admitted p-wl-1', '10 Admitted p-wl-2', '20 Admitted d-wl-1']);
    });

    it("Should try next flavor if can't preempt on first", () => {
      const result = run({
        objects: [
          ...flavors,
          ...queue('prod-cq', {
            cohort: 'all',
            queueingStrategy: 'StrictFIFO',
            flavors: { 'on-demand': { cpu: 2 }, 'spot-untainted': { cpu: 2 } },
            preemption: { withinClusterQueue: 'LowerPriority' },
            flavorFungibility: { whenCanPreempt: 'MayStopSearch' },
          }),
        ],
        workloads: [
          workload('wl-1', 'prod-cq', { ...cpu(1), ...long }),
          workload('wl-2', 'prod-cq', { ...cpu(1), ...long }),
          workload('wl-3', 'prod-cq', { ...cpu(1), arrival: 1, ...long }),
        ],
      });
      expect(['wl-1', 'wl-2', 'wl-3'].map(n => flavorOf(result, n))).toEqual([
        'on-demand',
        'on-demand',
        'spot-untainted',
      ]);
      expect(result.workloads['default/wl-3'].admittedAt).toBe(1);
    });

    it('Should try next flavor instead of borrowing', () => {
      const result = run({
        objects: [
          ...flavors,
          ...queue('prod-cq', {
            cohort: 'all',
            flavors: { 'on-demand': { cpu: { nominal: 10, borrowingLimit: 10 } } },
          }),
          ...queue('dev-cq', {
            cohort: 'all',
            flavorFungibility: { whenCanBorrow: 'TryNextFlavor' },
            flavors: { 'on-demand': { cpu: { nominal: 10, borrowingLimit: 10 } }, 'spot-tainted': { cpu: 11 } },
          }),
        ],
        workloads: [
          workload('wl-1', 'prod-cq', { ...cpu(9), ...long }),
          workload('wl-2', 'dev-cq', { ...cpu(11), tolerations: [spotToleration], arrival: 1, ...long }),
        ],
      });
      expect(before(timeline(result))).toEqual(['0 Admitted wl-1', '1 Admitted wl-2']);
      expect([flavorOf(result, 'wl-1'), flavorOf(result, 'wl-2')]).toEqual(['on-demand', 'spot-tainted']);
    });

    it('Should preempt before try next flavor', () => {
      const result = run({
        objects: [
          ...flavors,
          ...queue('prod-cq', {
            cohort: 'all',
            flavors: { 'on-demand': { cpu: { nominal: 10, borrowingLimit: 10 } }, 'spot-untainted': { cpu: 11 } },
            preemption: { reclaimWithinCohort: 'Any' },
            flavorFungibility: { whenCanPreempt: 'MayStopSearch' },
          }),
          ...queue('dev-cq', {
            cohort: 'all',
            flavorFungibility: { whenCanBorrow: 'TryNextFlavor' },
            flavors: { 'on-demand': { cpu: { nominal: 10, borrowingLimit: 10 } } },
          }),
        ],
        workloads: [
          workload('wl-1', 'dev-cq', { priority: 0, ...cpu(9), ...long }),
          workload('wl-2', 'dev-cq', { priority: 1, ...cpu(9), ...long }),
          workload('wl-3', 'prod-cq', { ...cpu(5), arrival: 1, ...long }),
        ],
      });
      expect(before(timeline(result)).filter(l => l.startsWith('1 '))).toEqual([
        '1 Preempted wl-1 by wl-3 (InCohortReclamation)',
        '1 Admitted wl-3',
      ]);
      expect(flavorOf(result, 'wl-3')).toBe('on-demand');
    });
  });

  describe('Workload slicing with multiple podSets', () => {
    const slicing = () => {
      const { engine, workloads } = engineFor({
        objects: [resourceFlavor('default'), ...queue('default', { flavors: { default: { cpu: 10 } } })],
        workloads: [
          workload('multi-podset-wl', 'default', {
            podSets: [
              { name: 'worker', count: 2, requests: { cpu: 1 } },
              { name: 'coordinator', count: 1, requests: { cpu: 2 } },
            ],
          }),
          workload('multi-podset-wl-slice-2', 'default', { ...cpu(1), count: 2 }),
          workload('multi-podset-wl-slice-3-pending', 'default', { ...cpu(1), count: 2 }),
        ],
      });
      const used = () => engine.usage()[0].resources[0].used / 1000;
      engine.submit({ ...workloads['multi-podset-wl'], creationTime: 0 });
      engine.schedule(0);
      expect(used()).toBe(4);
      expect(engine.resize('default/multi-podset-wl', { worker: 2, coordinator: 3 })).toBe('SlicePending');
      engine.schedule(1);
      expect(used()).toBe(8);
      return { engine, workloads, used };
    };

    it('should handle scale-up and in-place scale-down with workload slicing', () => {
      const { engine, used } = slicing();
      expect(engine.resize('default/multi-podset-wl', { worker: 2, coordinator: 2 })).toBe('ScaledDown');
      expect(used()).toBe(6);
    });

    it('should not double-count quota for unchanged podSets during workload slicing', () => {
      const { engine, workloads, used } = slicing();
      engine.submit({ ...workloads['multi-podset-wl-slice-2'], creationTime: 2000 });
      engine.submit({ ...workloads['multi-podset-wl-slice-3-pending'], creationTime: 3000 });
      expect(engine.schedule(3).map(d => `${d.type} ${d.workload}`)).toEqual([
        'Admitted default/multi-podset-wl-slice-2',
      ]);
      expect(used()).toBe(10);
      expect(engine.pending().map(p => p.workload)).toEqual(['default/multi-podset-wl-slice-3-pending']);
    });
  });
});
