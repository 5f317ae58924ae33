/**
 * Kueue's scheduler performance test (test/performance/scheduler in
 * kubernetes-sigs/kueue), rewritten as scenarios for this project's simulator.
 * Every cohort holds `queuesPerCohort` ClusterQueues with one flavor of cpu
 * (nominal 20, borrowingLimit 100, reclaimWithinCohort Any,
 * withinClusterQueue LowerPriority); each ClusterQueue gets its own namespace
 * and LocalQueue and three concurrent workload streams. As in Kueue's
 * generator, the n-th workload of a stream is created after n+1 intervals.
 */

export interface WorkloadClass {
  className: string;
  count: number;
  intervalMs: number;
  runtimeMs: number;
  priority: number;
  request: number;
}

export interface KueueBenchmarkConfig {
  name: string;
  cohorts: number;
  queuesPerCohort: number;
  classes: WorkloadClass[];
}

const baselineClasses: WorkloadClass[] = [
  { className: 'small', count: 350, intervalMs: 100, runtimeMs: 200, priority: 50, request: 1 },
  { className: 'medium', count: 100, intervalMs: 500, runtimeMs: 500, priority: 100, request: 5 },
  { className: 'large', count: 50, intervalMs: 1200, runtimeMs: 1000, priority: 200, request: 20 },
];

export const kueueBenchmarks: Record<string, KueueBenchmarkConfig> = {
  /** configs/baseline: 5 cohorts x 6 ClusterQueues, 15,000 workloads. */
  baseline: { name: 'baseline', cohorts: 5, queuesPerCohort: 6, classes: baselineClasses },
  /**
   * The same shape at 1,000 ClusterQueues and 50,000 workloads: 10 cohorts x
   * 100 queues, 50 workloads per queue in the baseline's 7:2:1 mix.
   */
  'large-scale': {
    name: 'large-scale',
    cohorts: 10,
    queuesPerCohort: 100,
    classes: baselineClasses.map(c => ({ ...c, count: c.count / 10 })),
  },
};

/** Seconds of quota the whole run needs at 100 % usage: the lower bound of its makespan. */
export function makespanBound(config: KueueBenchmarkConfig): number {
  const workPerQueue = config.classes.reduce((sum, c) => sum + c.count * c.request * (c.runtimeMs / 1000), 0);
  const totalQuota = config.cohorts * config.queuesPerCohort * 20;
  return (workPerQueue * config.cohorts * config.queuesPerCohort) / totalQuota;
}

/** The scenario document (the simulator's YAML format) for one benchmark config. */
export function kueueScenarioDocument(config: KueueBenchmarkConfig) {
  const objects: object[] = [
    { apiVersion: 'kueue.x-k8s.io/v1beta1', kind: 'ResourceFlavor', metadata: { name: 'rf' } },
  ];
  const workloads: object[] = [];
  for (let c = 0; c < config.cohorts; c++) {
    const cohort = `cohort-${c}`;
    for (let q = 0; q < config.queuesPerCohort; q++) {
      const name = `cq-0-${q}-${cohort}`;
      objects.push(
        {
          apiVersion: 'kueue.x-k8s.io/v1beta1',
          kind: 'ClusterQueue',
          metadata: { name, labels: { 'kueue.x-k8s.io/performance-scheduler-class': 'cq' } },
          spec: {
            cohort,
            namespaceSelector: {},
            preemption: { reclaimWithinCohort: 'Any', withinClusterQueue: 'LowerPriority' },
            resourceGroups: [
              {
                coveredResources: ['cpu'],
                flavors: [{ name: 'rf', resources: [{ name: 'cpu', nominalQuota: 20, borrowingLimit: 100 }] }],
              },
            ],
          },
        },
        {
          apiVersion: 'kueue.x-k8s.io/v1beta1',
          kind: 'LocalQueue',
          metadata: { name, namespace: name },
          spec: { clusterQueue: name },
        },
      );
      for (const [set, cls] of config.classes.entries()) {
        for (let i = 0; i < cls.count; i++) {
          workloads.push({
            name: `${cls.className}-${set}-${i}-0`,
            namespace: name,
            queue: name,
            class: cls.className,
            priority: cls.priority,
            arrival: ((i + 1) * cls.intervalMs) / 1000,
            duration: cls.runtimeMs / 1000,
            podSets: [{ name: 'main', count: 1, requests: { cpu: String(cls.request) } }],
          });
        }
      }
    }
  }
  return { objects, workloads };
}
