import {
  clusterQueue,
  cohort,
  localQueue,
  namespaceObject,
  queue,
  run,
  timeline,
  workload,
} from '../__testUtils__/builders';
import { before, cpu, flavorOf, flavors, long } from '../__testUtils__/integrationSpecs';

// Kueue's test/integration/singlecluster/scheduler/scheduler_test.go, its Contexts on cohorts that
// provide quota, lending limits and StrictFIFO (notation in __testUtils__/integrationSpecs.ts).
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
});
