import {
  clusterQueue,
  cohort,
  engineFor,
  localQueue,
  namespaceObject,
  queue,
  resourceFlavor,
  run,
  timeline,
  workload,
} from '../__testUtils__/builders';
import { before, cpu, flavorOf, flavors, long } from '../__testUtils__/integrationSpecs';

const short = { duration: 10 };

// Kueue's test/integration/singlecluster/scheduler/scheduler_test.go, its Contexts on cohorts that
// provide quota, lending limits, StrictFIFO, capacity reserved in a cohort and preemption
// across flavors (notation in __testUtils__/integrationSpecs.ts).
describe('test/integration/singlecluster/scheduler/scheduler_test.go', () => {
  describe('Cohort provides resources directly', () => {
    const cq = (cohortName: string) =>
      queue('clusterqueue', { cohort: cohortName, flavors: { 'on-demand': { cpu: 0 } } });
    const cohortWith = (name: string, cpus: number, parent?: string) =>
      cohort(name, { parent, flavors: { 'on-demand': { cpu: cpus } } });

    it('Should admit workload using resources borrowed from cohort', () => {
      const result = run({
        objects: [...flavors, ...cq('cohort')],
        workloads: [workload('wl', 'clusterqueue', { ...cpu(10), ...long })],
        changes: [
          { at: 5, apply: cohortWith('cohort', 5) },
          { at: 10, apply: cohortWith('cohort', 10) },
        ],
      });
      expect(before(timeline(result))).toEqual(['10 Admitted wl']);
      expect(flavorOf(result, 'wl')).toBe('on-demand');
    });

    it('Should admit workload borrowing from cohort when requesting zero of a resource not in ClusterQueue', () => {
      const result = run({
        objects: [...flavors, ...cq('cohort'), cohortWith('cohort', 10)],
        workloads: [workload('wl', 'clusterqueue', { requests: { cpu: 5, 'example.com/gpu': 0 }, ...long })],
      });
      expect(before(timeline(result))).toEqual(['0 Admitted wl']);
      expect(result.events[0].assignment?.main.flavors).toEqual({ cpu: 'on-demand' });
    });

    it('Should admit workload when cq switches into cohort with capacity', () => {
      const result = run({
        objects: [...flavors, ...cq('impecunious-cohort')],
        workloads: [workload('wl', 'clusterqueue', { ...cpu(10), ...long })],
        changes: [{ at: 5, apply: [cohortWith('cohort', 10), cq('cohort')[0]] }],
      });
      expect(before(timeline(result))).toEqual(['5 Admitted wl']);
    });

    it('Long distance resource allows workload to be scheduled', () => {
      const result = run({
        objects: [
          ...flavors,
          queue('cq', { cohort: 'left', flavors: { 'on-demand': { cpu: 0 } } })[0],
          localQueue('queue', 'cq'),
          cohort('root'),
          cohort('left', { parent: 'root' }),
          cohort('right', { parent: 'root' }),
        ],
        workloads: [workload('wl', 'queue', { ...cpu(10), ...long })],
        changes: [{ at: 5, apply: cohortWith('bank', 10, 'right') }],
      });
      expect(before(timeline(result))).toEqual(['5 Admitted wl']);
    });

    it('Should admit overflow workload after reparenting child cohort to a larger root', () => {
      const result = run({
        objects: [
          ...flavors,
          cohortWith('root-a', 1),
          cohortWith('root-b', 2),
          cohort('child', { parent: 'root-a' }),
          ...queue('cq', { cohort: 'child', flavors: { 'on-demand': { cpu: 0 } } }),
        ],
        workloads: [
          workload('wl-1', 'cq', { ...cpu(0.5), ...long }),
          workload('wl-2', 'cq', { ...cpu(0.5), ...long }),
          workload('wl-overflow', 'cq', { ...cpu(0.5), arrival: 1, ...long }),
        ],
        changes: [{ at: 5, apply: cohort('child', { parent: 'root-b' }) }],
      });
      expect(before(timeline(result))).toEqual(['0 Admitted wl-1', '0 Admitted wl-2', '5 Admitted wl-overflow']);
    });
  });

  describe('Using cohorts for sharing with LendingLimit', () => {
    const lending = (name: string, lendingLimit: number) =>
      queue(name, { cohort: 'all', flavors: { 'on-demand': { cpu: { nominal: 5, lendingLimit } } } });

    it('Should admit workloads using borrowed ClusterQueue', () => {
      const result = run({
        objects: [...flavors, ...lending('prod-cq', 1)],
        workloads: [workload('wl', 'prod-cq', { ...cpu(9), ...long })],
        changes: [{ at: 5, apply: lending('dev-cq', 4)[0] }],
      });
      expect(before(timeline(result))).toEqual(['5 Admitted wl']);
    });

    it('Should admit workloads after updating lending limit', () => {
      const result = run({
        objects: [...flavors, ...lending('prod-cq', 0), ...lending('dev-cq', 0)],
        workloads: [
          workload('wl-1', 'prod-cq', { ...cpu(5), ...long }),
          workload('wl-2', 'prod-cq', { ...cpu(5), ...long }),
        ],
        changes: [{ at: 5, apply: lending('dev-cq', 5)[0] }],
      });
      expect(before(timeline(result))).toEqual(['0 Admitted wl-1', '5 Admitted wl-2']);
    });
  });

  describe('Queueing with StrictFIFO', () => {
    const strictFifo = clusterQueue('strict-fifo-cq', {
      cohort: 'cohort',
      queueingStrategy: 'StrictFIFO',
      namespaceSelector: { matchExpressions: [{ key: 'dep', operator: 'In', values: ['eng'] }] },
      flavors: { 'on-demand': { cpu: { nominal: 5, borrowingLimit: 0 } } },
    });
    const namespaces = [namespaceObject('foo', { dep: 'eng' }), namespaceObject('ns')];

    it('Should schedule workloads by their priority strictly', () => {
      const result = run({
        objects: [...flavors, ...namespaces, strictFifo, localQueue('strict-fifo-q', 'strict-fifo-cq', 'foo')],
        workloads: [
          workload('wl1', 'strict-fifo-q', { namespace: 'foo', priority: 100, ...cpu(2), ...long }),
          workload('wl2', 'strict-fifo-q', { namespace: 'foo', priority: 10, ...cpu(5), ...long }),
          // wl3 can't be scheduled before wl2 even though there is enough quota.
          workload('wl3', 'strict-fifo-q', { namespace: 'foo', priority: 1, ...cpu(1), ...long }),
        ],
      });
      expect(before(timeline(result))).toEqual(['0 Admitted foo/wl1']);
    });

    it('Should report pending workloads properly when blocked', () => {
      const { engine, workloads } = engineFor({
        objects: [...flavors, ...queue('cq', { queueingStrategy: 'StrictFIFO', flavors: { 'on-demand': { cpu: 5 } } })],
        workloads: [
          workload('wl1', 'cq', { priority: 100, ...cpu(2) }),
          workload('wl2', 'cq', { priority: 10, ...cpu(5) }),
          workload('wl3', 'cq', { priority: 1, ...cpu(1) }),
        ],
      });
      const pending = () => engine.pending().map(p => `${p.workload} ${p.positionInClusterQueue}`);
      const step = (t: number, act: () => void) => {
        act();
        engine.schedule(t);
        return pending();
      };
      expect(step(0, () => engine.submit({ ...workloads.wl1, creationTime: 0 }))).toEqual([]);
      expect(step(1, () => engine.submit({ ...workloads.wl2, creationTime: 1000 }))).toEqual(['default/wl2 1']);
      expect(step(2, () => engine.submit({ ...workloads.wl3, creationTime: 2000 }))).toEqual([
        'default/wl2 1',
        'default/wl3 2',
      ]);
      expect(step(3, () => engine.remove('default/wl1'))).toEqual(['default/wl3 1']);
      expect(
        step(4, () => {
          engine.remove('default/wl2');
          engine.remove('default/wl3');
        }),
      ).toEqual([]);
    });

    it("Pending workload with StrictFIFO doesn't block other CQ from borrowing from a third CQ", () => {
      const teamA = (stopPolicy?: string) =>
        clusterQueue('team-a', {
          cohort: 'cohort',
          flavors: { 'on-demand': { cpu: 5 } },
          ...(stopPolicy && { stopPolicy }),
        });
      const foo = { namespace: 'foo', ...long };
      const result = run({
        objects: [
          ...flavors,
          ...namespaces,
          strictFifo,
          localQueue('strict-fifo-q', 'strict-fifo-cq', 'foo'),
          teamA(),
          localQueue('team-a-lq', 'team-a', 'foo'),
          clusterQueue('shared-resources', { cohort: 'cohort', flavors: { 'on-demand': { cpu: 5 } } }),
        ],
        workloads: [
          workload('wl', 'strict-fifo-q', { priority: 10, ...cpu(3), ...foo }),
          workload('player1-a', 'team-a-lq', { priority: 1, ...cpu(5), ...foo }),
          // exceeds what strict-fifo-cq may use now (nominal, no borrowing) and may not preempt within it
          workload('pending-wl', 'strict-fifo-q', { priority: 99, ...cpu(3), arrival: 2, ...foo }),
          // may borrow the shared ClusterQueue's quota, though another ClusterQueue waits to reclaim its own
          workload('player2-a', 'team-a-lq', { priority: 11, ...cpu(5), arrival: 2, ...foo }),
          // would borrow strict-fifo-cq's idle quota, which its pending head keeps
          workload('player3-a', 'team-a-lq', { priority: 10, ...cpu(1), arrival: 2, ...foo }),
        ],
        changes: [
          { at: 1, apply: teamA('Hold') },
          { at: 3, apply: teamA() },
        ],
      });
      expect(before(timeline(result)).sort()).toEqual([
        '0 Admitted foo/player1-a',
        '0 Admitted foo/wl',
        '3 Admitted foo/player2-a',
      ]);
    });

    it('Workloads not matching namespaceSelector should not block others', () => {
      const result = run({
        objects: [
          ...flavors,
          ...namespaces,
          strictFifo,
          localQueue('not-matching-queue', 'strict-fifo-cq', 'ns'),
          localQueue('matching-queue', 'strict-fifo-cq', 'foo'),
        ],
        workloads: [
          workload('wl1', 'matching-queue', { namespace: 'foo', priority: 100, ...cpu(2), ...long }),
          workload('wl2', 'not-matching-queue', { namespace: 'ns', priority: 10, ...cpu(5), ...long }),
          workload('wl3', 'matching-queue', { namespace: 'foo', priority: 1, ...cpu(1), ...long }),
        ],
      });
      expect(before(timeline(result))).toEqual(['0 Admitted foo/wl1', '0 Admitted foo/wl3']);
    });
  });

  describe('Reserving Resources in Cohort', () => {
    const reserving = (reclaimWithinCohort: string) => [
      ...flavors,
      ...queue('foundation-queue', {
        cohort: 'cohort',
        queueingStrategy: 'StrictFIFO',
        preemption: { reclaimWithinCohort },
        flavors: { 'on-demand': { cpu: 2 } },
      }),
      ...queue('best-effort-queue', { cohort: 'cohort', flavors: { 'on-demand': { cpu: 0 } } }),
    ];
    const workloads = [
      workload('foundation-1', 'foundation-queue', { priority: 1000, ...cpu(1), duration: 10 }),
      workload('foundation-2', 'foundation-queue', { priority: 1000, ...cpu(2), arrival: 1, ...long }),
      workload('best-effort-1', 'best-effort-queue', { priority: 0, ...cpu(1), arrival: 2, ...long }),
      workload('best-effort-2', 'best-effort-queue', { priority: 0, ...cpu(1), arrival: 2, ...long }),
    ];

    it('foundation-queue allows best-effort queue to use capacity until it is ready to admit next workload', () => {
      const result = run({ objects: reserving('Any'), workloads });
      expect(before(timeline(result))).toEqual([
        '0 Admitted foundation-1',
        '2 Admitted best-effort-1',
        '10 Preempted best-effort-1 by foundation-2 (InCohortReclamation)',
        '10 Admitted foundation-2',
      ]);
    });

    it('foundation-queue blocks capacity when it is not sure that it can reclaim', () => {
      const result = run({ objects: reserving('LowerPriority'), workloads });
      expect(before(timeline(result))).toEqual(['0 Admitted foundation-1', '10 Admitted foundation-2']);
    });
  });

  describe('Using multiple flavours', () => {
    it('finds correct flavor by discarding the first one in which preemption is not possible', () => {
      const shared = {
        cohort: 'cohort',
        flavorFungibility: { whenCanBorrow: 'TryNextFlavor', whenCanPreempt: 'TryNextFlavor' },
        preemption: {
          withinClusterQueue: 'LowerPriority',
          reclaimWithinCohort: 'Any',
          borrowWithinCohort: { policy: 'LowerPriority' },
        },
      };
      const result = run({
        objects: [
          resourceFlavor('f1'),
          resourceFlavor('f2'),
          ...queue('cq1', { ...shared, flavors: { f1: { cpu: 0 }, f2: { cpu: 1 } } }),
          ...queue('cq2', { ...shared, flavors: { f1: { cpu: 1 }, f2: { cpu: 0 } } }),
        ],
        workloads: [
          workload('cq1-low', 'cq1', { priority: 0, ...cpu(1), ...long }),
          workload('cq1-high', 'cq1', { priority: 9999, ...cpu(1), arrival: 1, ...long }),
          workload('cq2-middle', 'cq2', { priority: 105, ...cpu(1), arrival: 2, ...long }),
        ],
      });
      expect(before(timeline(result))).toEqual([
        '0 Admitted cq1-low',
        '1 Admitted cq1-high',
        '2 Preempted cq1-high by cq2-middle (InCohortReclamation)',
        '2 Admitted cq2-middle',
        '2 Preempted cq1-low by cq1-high (InClusterQueue)',
        '2 Admitted cq1-high',
      ]);
      const admittedOn = result.events
        .filter(e => e.type === 'Admitted' && e.time < 1000)
        .map(e => e.assignment?.main.flavors.cpu);
      expect(admittedOn).toEqual(['f2', 'f1', 'f1', 'f2']);
    });
  });

  describe('Cohort lendingLimit caps sibling borrowing in hierarchy', () => {
    it('Should admit only up to the lendingLimit of sibling cohort', () => {
      const result = run({
        objects: [
          ...flavors,
          cohort('root', { flavors: { 'on-demand': { cpu: 0 } } }),
          cohort('lender', { parent: 'root', flavors: { 'on-demand': { cpu: { nominal: 1, lendingLimit: 0.5 } } } }),
          cohort('borrower', { parent: 'root' }),
          ...queue('lender-cq', { cohort: 'lender', flavors: { 'on-demand': { cpu: 1 } } }),
          ...queue('borrower-cq', { cohort: 'borrower', flavors: { 'on-demand': { cpu: 0 } } }),
        ],
        workloads: [
          workload('wl-1', 'borrower-cq', { ...cpu(0.5), ...long }),
          workload('wl-2', 'borrower-cq', { ...cpu(0.5), ...long }),
        ],
      });
      expect(before(timeline(result))).toEqual(['0 Admitted wl-1']);
    });
  });

  describe('Cohort borrowingLimit blocks sibling borrowing in hierarchy', () => {
    const isolated = { 'on-demand': { cpu: { nominal: 0, borrowingLimit: 0 } } };

    it('should allow production to borrow but block research from borrowing', () => {
      const result = run({
        objects: [
          ...flavors,
          cohort('root', { flavors: { 'on-demand': { cpu: 0 } } }),
          cohort('research', { parent: 'root', flavors: isolated }),
          cohort('production', { parent: 'root', flavors: { 'on-demand': { cpu: 0 } } }),
          ...queue('research-cq', { cohort: 'research', flavors: { 'on-demand': { cpu: 1 } } }),
          ...queue('production-cq', { cohort: 'production', flavors: { 'on-demand': { cpu: 1 } } }),
        ],
        workloads: [
          ...[1, 2, 3].map(i => workload(`prod-${i}`, 'production-cq', { ...cpu(0.5), ...short })),
          ...[1, 2, 3].map(i => workload(`research-${i}`, 'research-cq', { ...cpu(0.5), arrival: 20, ...long })),
        ],
      });
      expect(before(timeline(result))).toEqual([
        '0 Admitted prod-1',
        '0 Admitted prod-2',
        '0 Admitted prod-3',
        '20 Admitted research-1',
        '20 Admitted research-2',
      ]);
    });

    it('should allow burst queue to borrow idle capacity while orgs stay isolated', () => {
      const result = run({
        objects: [
          ...flavors,
          cohort('root', { flavors: { 'on-demand': { cpu: 0 } } }),
          cohort('org-a', { parent: 'root', flavors: isolated }),
          cohort('org-b', { parent: 'root', flavors: isolated }),
          ...queue('org-a-cq', { cohort: 'org-a', flavors: { 'on-demand': { cpu: 1 } } }),
          ...queue('org-b-cq', { cohort: 'org-b', flavors: { 'on-demand': { cpu: 1 } } }),
          ...queue('burst-cq', { cohort: 'root', flavors: { 'on-demand': { cpu: 0 } } }),
        ],
        workloads: [
          ...[1, 2].map(i => workload(`org-a-${i}`, 'org-a-cq', { ...cpu(0.5), ...long })),
          workload('org-a-overflow', 'org-a-cq', { ...cpu(0.5), arrival: 1, ...long }),
          ...[1, 2].map(i => workload(`burst-${i}`, 'burst-cq', { ...cpu(0.5), arrival: 2, ...long })),
        ],
      });
      expect(before(timeline(result))).toEqual([
        '0 Admitted org-a-1',
        '0 Admitted org-a-2',
        '2 Admitted burst-1',
        '2 Admitted burst-2',
      ]);
    });
  });
});
