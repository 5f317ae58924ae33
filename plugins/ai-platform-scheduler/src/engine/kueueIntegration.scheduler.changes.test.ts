import { clusterQueue, cohort, localQueue, queue, run, timeline, workload } from '../__testUtils__/builders';
import { before, cpu, flavorOf, flavors, long } from '../__testUtils__/integrationSpecs';

// Kueue's test/integration/singlecluster/scheduler/scheduler_test.go, its Contexts on objects that
// change under admitted workloads: stop policies, a ClusterQueue losing a resource or deleted
// (notation in __testUtils__/integrationSpecs.ts).
describe('test/integration/singlecluster/scheduler/scheduler_test.go', () => {
  describe.each([
    ['clusterQueue', 'ClusterQueue cluster-queue'],
    ['localQueue', 'LocalQueue default/queue'],
  ])('Using %s stop policy', (kind, stopped) => {
    const objects = (stopPolicy?: string) => {
      const cq = clusterQueue('cluster-queue', {
        cohort: 'cohort',
        flavors: { 'on-demand': { cpu: { nominal: 5, borrowingLimit: 5 } } },
        ...(kind === 'clusterQueue' && stopPolicy && { stopPolicy }),
      });
      const lq = localQueue(
        'queue',
        'cluster-queue',
        'default',
        kind === 'localQueue' && stopPolicy ? { stopPolicy } : {},
      );
      return [cq, lq];
    };

    it('Should evict workloads when stop policy is drain', () => {
      const result = run({
        objects: [...flavors, ...objects()],
        workloads: [
          workload('one', 'queue', { requests: {}, ...long }),
          workload('two', 'queue', { requests: {}, arrival: 6, ...long }),
        ],
        changes: [
          { at: 5, apply: objects('HoldAndDrain') },
          { at: 10, apply: objects() },
        ],
      });
      expect(before(timeline(result))).toEqual([
        '0 Admitted one',
        '5 Requeued one (ClusterQueueStopped)',
        '10 Admitted one',
        '10 Admitted two',
      ]);
      expect(result.events.find(e => e.type === 'Requeued')?.reason).toBe('ClusterQueueStopped');
      expect(stopped).toBeTruthy();
    });
  });

  describe('Deleting resources from borrowing clusterQueue', () => {
    it("shouldn't admit second workload on over admission", () => {
      const cq1 = (memory: boolean) =>
        clusterQueue('cq1', {
          cohort: 'cohort',
          flavors: { 'on-demand': { cpu: 1, ...(memory && { memory: '1Gi' }) } },
        });
      const result = run({
        objects: [
          ...flavors,
          cq1(true),
          localQueue('lq1', 'cq1'),
          clusterQueue('cq2', { cohort: 'cohort', flavors: { 'on-demand': { cpu: 2, memory: '1Gi' } } }),
          localQueue('lq2', 'cq2'),
        ],
        workloads: [
          workload('wl1', 'lq1', { requests: { cpu: 2, memory: '2Gi' }, ...long }),
          workload('wl2', 'lq2', { requests: { cpu: 1, memory: '1Gi' }, arrival: 1, ...long }),
        ],
        changes: [{ at: 5, apply: cq1(false) }],
      });
      expect(before(timeline(result))).toEqual(['0 Admitted wl1']);
    });
  });

  describe('Deleting clusterQueues', () => {
    it('Should not admit new created workloads', () => {
      const result = run({
        objects: [...flavors, ...queue('cluster-queue', { flavors: { 'on-demand': { cpu: 5 } } })],
        workloads: [
          workload('workload1', 'cluster-queue', { requests: {}, ...long }),
          workload('workload2', 'cluster-queue', { requests: {}, arrival: 6, ...long }),
        ],
        changes: [{ at: 5, delete: { kind: 'ClusterQueue', name: 'cluster-queue' } }],
      });
      expect(before(timeline(result))).toEqual(['0 Admitted workload1']);
    });
  });

  describe('Deleting ClusterQueue should update cohort borrowable resources', () => {
    it('Should prevent incorrect admission through borrowing after ClusterQueue deletion', () => {
      const result = run({
        objects: [
          ...flavors,
          ...queue('queue-1', { cohort: 'bug-test', flavors: { 'on-demand': { cpu: 8 } } }),
          ...queue('queue-2', { cohort: 'bug-test', flavors: { 'on-demand': { cpu: 0 } } }),
        ],
        workloads: [workload('wl', 'queue-2', { ...cpu(8), arrival: 6, ...long })],
        changes: [{ at: 5, delete: { kind: 'ClusterQueue', name: 'queue-1' } }],
      });
      expect(before(timeline(result))).toEqual([]);
    });
  });

  describe('Deleting child Cohort should update borrowable resources for parent Cohort', () => {
    it('Should not admit from stale subtree quota after deleting sibling cohort', () => {
      const result = run({
        objects: [
          ...flavors,
          cohort('root'),
          cohort('left', { parent: 'root', flavors: { 'on-demand': { cpu: 0 } } }),
          cohort('right', { parent: 'root', flavors: { 'on-demand': { cpu: 5 } } }),
          ...queue('cq-a', { cohort: 'left', flavors: { 'on-demand': { cpu: 10 } } }),
          ...queue('cq-b', { cohort: 'right', flavors: { 'on-demand': { cpu: 7 } } }),
        ],
        workloads: [
          workload('wl-base', 'cq-a', { ...cpu(10), ...long }),
          workload('wl-after-delete', 'cq-a', { ...cpu(8), arrival: 6, ...long }),
        ],
        changes: [{ at: 5, delete: { kind: 'Cohort', name: 'right' } }],
      });
      expect(before(timeline(result))).toEqual(['0 Admitted wl-base']);
    });

    it('Should not allow borrowing through deleted mid-tree cohort', () => {
      const result = run({
        objects: [
          ...flavors,
          cohort('root', { flavors: { 'on-demand': { cpu: 2 } } }),
          cohort('mid', { parent: 'root', flavors: { 'on-demand': { cpu: 2 } } }),
          ...queue('cq-mid', { cohort: 'mid', flavors: { 'on-demand': { cpu: 1 } } }),
        ],
        workloads: [
          workload('wl-base', 'cq-mid', { ...cpu(1), ...long }),
          workload('wl-after-delete', 'cq-mid', { ...cpu(2), arrival: 6, ...long }),
        ],
        changes: [{ at: 5, delete: { kind: 'Cohort', name: 'mid' } }],
      });
      // wl-base, within the ClusterQueue's own quota, is not evicted; the new one cannot borrow through mid.
      expect(before(timeline(result, ['Admitted', 'Preempted', 'Requeued']))).toEqual(['0 Admitted wl-base']);
    });
  });

  describe('Queueing with StrictFIFO', () => {
    it('Should allow mutating the requeueingStrategy', () => {
      const cq = (queueingStrategy: string) =>
        clusterQueue('cq', { queueingStrategy, flavors: { 'on-demand': { cpu: 5 } } });
      const result = run({
        objects: [...flavors, cq('StrictFIFO'), localQueue('local-queue', 'cq')],
        workloads: [
          workload('wl1', 'local-queue', { priority: 100, ...cpu(2), ...long }),
          workload('wl2', 'local-queue', { priority: 10, ...cpu(5), ...long }),
          workload('wl3', 'local-queue', { priority: 1, ...cpu(1), ...long }),
          workload('wl4', 'local-queue', { priority: 1, ...cpu(1), arrival: 15, ...long }),
        ],
        changes: [
          { at: 5, apply: cq('BestEffortFIFO') },
          { at: 10, apply: cq('StrictFIFO') },
        ],
      });
      // Under BestEffortFIFO wl3 passes the blocked wl2; under StrictFIFO again wl4 waits behind it.
      expect(before(timeline(result))).toEqual(['0 Admitted wl1', '5 Admitted wl3']);
    });
  });

  describe('Handling workloads events', () => {
    const cq = queue('cluster-queue', {
      cohort: 'prod',
      flavors: { 'spot-tainted': { cpu: { nominal: 5, borrowingLimit: 5 } }, 'on-demand': { cpu: 5 } },
    });

    it('Should re-enqueue by the delete event of workload belonging to the same ClusterQueue', () => {
      const result = run({
        objects: [...flavors, ...cq],
        workloads: [
          workload('on-demand-wl1', 'cluster-queue', { ...cpu(4), duration: 5 }),
          workload('on-demand-wl2', 'cluster-queue', { ...cpu(4), arrival: 1, ...long }),
          workload('on-demand-wl3', 'cluster-queue', { ...cpu(1), arrival: 2, ...long }),
        ],
      });
      expect(before(timeline(result))).toEqual([
        '0 Admitted on-demand-wl1',
        '2 Admitted on-demand-wl3',
        '5 Admitted on-demand-wl2',
      ]);
      expect(flavorOf(result, 'on-demand-wl2')).toBe('on-demand');
    });

    it('Should re-enqueue by the delete event of workload belonging to the same Cohort', () => {
      const result = run({
        objects: [
          ...flavors,
          ...cq,
          ...queue('foo-clusterqueue', { cohort: 'prod', flavors: { 'on-demand': { cpu: 5 } } }),
        ],
        workloads: [
          workload('on-demand-wl1', 'foo-clusterqueue', { ...cpu(8), duration: 5 }),
          workload('on-demand-wl2', 'cluster-queue', { ...cpu(8), arrival: 1, ...long }),
          workload('on-demand-wl3', 'foo-clusterqueue', { ...cpu(2), arrival: 2, ...long }),
        ],
      });
      expect(before(timeline(result))).toEqual([
        '0 Admitted on-demand-wl1',
        '2 Admitted on-demand-wl3',
        '5 Admitted on-demand-wl2',
      ]);
      expect(['on-demand-wl1', 'on-demand-wl2', 'on-demand-wl3'].map(n => flavorOf(result, n))).toEqual([
        'on-demand',
        'on-demand',
        'on-demand',
      ]);
    });
  });

  describe('Handling clusterQueue events', () => {
    it('Should re-enqueue by the update event of ClusterQueue', () => {
      const result = run({
        objects: [...flavors, ...queue('cluster-queue', { flavors: { 'on-demand': { cpu: 5 } } })],
        workloads: [workload('on-demand-wl', 'cluster-queue', { ...cpu(6), ...long })],
        changes: [
          {
            at: 5,
            apply: clusterQueue('cluster-queue', {
              cohort: 'cohort',
              flavors: { 'on-demand': { cpu: { nominal: 6, borrowingLimit: 0 } } },
            }),
          },
        ],
      });
      expect(before(timeline(result))).toEqual(['5 Admitted on-demand-wl']);
    });
  });
});
