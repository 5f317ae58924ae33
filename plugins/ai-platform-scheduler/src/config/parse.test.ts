import { ConfigError, parseEngineOptions, parseQueueObjects } from './parse';
import {
  clusterQueue,
  cohort,
  GPU,
  KueueObject,
  localQueue,
  priorityClass,
  resourceFlavor,
  topology,
} from '../__testUtils__/builders';

function problemsOf(objects: KueueObject[]): string[] {
  try {
    parseQueueObjects(objects);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  throw new Error('expected a ConfigError, the objects were accepted');
}

describe('parseQueueObjects reads both API versions', () => {
  it.each([
    ['v1beta1 spec.cohort', clusterQueue('team-a', { cohort: 'gpus', apiVersion: 'kueue.x-k8s.io/v1beta1' })],
    ['v1beta2 spec.cohortName', clusterQueue('team-a', { cohort: 'gpus', apiVersion: 'kueue.x-k8s.io/v1beta2' })],
  ])('%s puts the ClusterQueue in its cohort', (_, cq) => {
    const config = parseQueueObjects([resourceFlavor('default'), cq]);
    const parsed = config.clusterQueues.get('team-a')!;
    expect(parsed.cohort).toBe('gpus');
    expect(parsed.resourceGroups[0].flavors[0]).toEqual({ flavor: 'default', resources: { [GPU]: { nominal: 8000 } } });
  });

  it('applies Kueue defaults and reads quantities as milli-units', () => {
    const config = parseQueueObjects([
      resourceFlavor('default'),
      clusterQueue('q', {
        cohort: 'c',
        flavors: { default: { cpu: '500m', memory: '1Gi', [GPU]: { nominal: 4, borrowingLimit: 2, lendingLimit: 1 } } },
      }),
      localQueue('lq', 'q', 'ns'),
      priorityClass('high', 1000),
      cohort('c', { parent: 'root', flavors: { default: { [GPU]: 2 } } }),
    ]);
    const cq = config.clusterQueues.get('q')!;
    expect(cq.queueingStrategy).toBe('BestEffortFIFO');
    expect(cq.stopPolicy).toBe('None');
    expect(cq.preemption).toEqual({
      withinClusterQueue: 'Never',
      reclaimWithinCohort: 'Never',
      borrowWithinCohort: { policy: 'Never' },
    });
    expect(cq.flavorFungibility).toEqual({ whenCanBorrow: 'Borrow', whenCanPreempt: 'TryNextFlavor' });
    expect(cq.resourceGroups[0].flavors[0].resources).toEqual({
      cpu: { nominal: 500 },
      memory: { nominal: 1024 ** 3 * 1000 },
      [GPU]: { nominal: 4000, borrowingLimit: 2000, lendingLimit: 1000 },
    });
    expect(config.localQueues.get('ns/lq')).toEqual({
      namespace: 'ns',
      name: 'lq',
      clusterQueue: 'q',
      stopPolicy: 'None',
      fairSharingWeight: 1,
    });
    expect(config.priorityClasses.get('high')).toBe(1000);
    expect(config.cohorts.get('c')).toMatchObject({
      parent: 'root',
      resourceGroups: [{ flavors: [{ flavor: 'default', resources: { [GPU]: { nominal: 2000 } } }] }],
    });
  });

  it('ignores objects that are not queue configuration', () => {
    const config = parseQueueObjects([
      { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j' } },
      { apiVersion: 'kueue.x-k8s.io/v1beta1', kind: 'Workload', metadata: { name: 'w' } },
    ]);
    expect(config.clusterQueues.size).toBe(0);
  });
});

const withQuota = (q: KueueObject) => ({
  ...clusterQueue('team-a'),
  spec: {
    namespaceSelector: {},
    resourceGroups: [{ coveredResources: [GPU], flavors: [{ name: 'default', resources: [{ name: GPU, ...q }] }] }],
  },
});
const quotaField = 'ClusterQueue/team-a: spec.resourceGroups[0].flavors[0].resources[0]';

describe('parseQueueObjects rejects invalid objects, naming the object and the field', () => {
  it.each<[string, KueueObject[], string]>([
    ['missing nominalQuota', [resourceFlavor('default'), withQuota({})], `${quotaField}.nominalQuota: is required`],
    [
      'an unknown flavor',
      [clusterQueue('team-a', { flavors: { h100: { [GPU]: 8 } } })],
      'ClusterQueue/team-a: spec.resourceGroups[0].flavors[0].name: ResourceFlavor "h100" does not exist',
    ],
    [
      'lendingLimit above nominalQuota',
      [
        resourceFlavor('default'),
        clusterQueue('team-a', { cohort: 'c', flavors: { default: { [GPU]: { nominal: 4, lendingLimit: 5 } } } }),
      ],
      `${quotaField}.lendingLimit: must not exceed nominalQuota (4)`,
    ],
    [
      'a bad quantity',
      [resourceFlavor('default'), withQuota({ nominalQuota: 'eight' })],
      `${quotaField}.nominalQuota: "eight" is not a Kubernetes quantity`,
    ],
    [
      'a negative quantity',
      [resourceFlavor('default'), withQuota({ nominalQuota: '-1' })],
      `${quotaField}.nominalQuota: must not be negative`,
    ],
    [
      'a bad queueingStrategy',
      [resourceFlavor('default'), clusterQueue('team-a', { queueingStrategy: 'LIFO' })],
      'ClusterQueue/team-a: spec.queueingStrategy: must be one of StrictFIFO, BestEffortFIFO, got "LIFO"',
    ],
    [
      'a bad preemption policy',
      [resourceFlavor('default'), clusterQueue('team-a', { preemption: { reclaimWithinCohort: 'Sometimes' } })],
      'ClusterQueue/team-a: spec.preemption.reclaimWithinCohort: must be one of Never, LowerPriority, LowerOrNewerEqualPriority, Any, got "Sometimes"',
    ],
    [
      'withinClusterQueue: Any',
      [resourceFlavor('default'), clusterQueue('team-a', { preemption: { withinClusterQueue: 'Any' } })],
      'ClusterQueue/team-a: spec.preemption.withinClusterQueue: must be Never, LowerPriority or LowerOrNewerEqualPriority',
    ],
    [
      'a bad stopPolicy',
      [resourceFlavor('default'), clusterQueue('team-a', { stopPolicy: 'Pause' })],
      'ClusterQueue/team-a: spec.stopPolicy: must be one of None, Hold, HoldAndDrain, got "Pause"',
    ],
    [
      'a bad whenCanBorrow',
      [resourceFlavor('default'), clusterQueue('team-a', { flavorFungibility: { whenCanBorrow: 'Maybe' } })],
      'ClusterQueue/team-a: spec.flavorFungibility.whenCanBorrow: must be one of Borrow, MayStopSearch, TryNextFlavor, got "Maybe"',
    ],
    [
      'borrowingLimit without a cohort',
      [
        resourceFlavor('default'),
        clusterQueue('team-a', { flavors: { default: { [GPU]: { nominal: 4, borrowingLimit: 2 } } } }),
      ],
      `ClusterQueue/team-a: spec.resourceGroups[0].flavors[0].resources(${GPU}): borrowingLimit and lendingLimit need the ClusterQueue to be in a cohort`,
    ],
    [
      'a cohort cycle',
      [cohort('a', { parent: 'b' }), cohort('b', { parent: 'a' })],
      'Cohort/a: spec.parentName: cohorts form a cycle (a -> b -> a)',
    ],
    [
      'a flavor with an unknown topology',
      [resourceFlavor('tas', { topologyName: 'racks' })],
      'ResourceFlavor/tas: spec.topologyName: Topology "racks" does not exist',
    ],
    ['a Topology without levels', [topology('racks', [])], 'Topology/racks: spec.levels: must list at least one level'],
    [
      'a LocalQueue without clusterQueue',
      [
        {
          apiVersion: 'kueue.x-k8s.io/v1beta1',
          kind: 'LocalQueue',
          metadata: { name: 'lq', namespace: 'ns' },
          spec: {},
        },
      ],
      'LocalQueue/lq: spec.clusterQueue: is required',
    ],
    [
      'a LocalQueue whose persisted fair-sharing usage is not a quantity',
      [
        {
          apiVersion: 'kueue.x-k8s.io/v1beta2',
          kind: 'LocalQueue',
          metadata: { name: 'lq', namespace: 'ns' },
          spec: { clusterQueue: 'q', fairSharing: { weight: '2' } },
          status: { fairSharing: { admissionFairSharingStatus: { consumedResources: { cpu: 'lots' } } } },
        },
      ],
      'LocalQueue/lq: status.fairSharing.admissionFairSharingStatus.consumedResources.cpu:',
    ],
    [
      'an unknown admissionMode',
      [
        resourceFlavor('default'),
        {
          apiVersion: 'kueue.x-k8s.io/v1beta2',
          kind: 'ClusterQueue',
          metadata: { name: 'q' },
          spec: { admissionScope: { admissionMode: 'ByUsage' } },
        },
      ],
      'ClusterQueue/q: spec.admissionScope.admissionMode: must be one of UsageBasedAdmissionFairSharing, NoAdmissionFairSharing, got "ByUsage"',
    ],
    [
      'borrowWithinCohort without reclaimWithinCohort',
      [
        resourceFlavor('default'),
        clusterQueue('team-a', { preemption: { borrowWithinCohort: { policy: 'LowerPriority' } } }),
      ],
      'ClusterQueue/team-a: spec.preemption.borrowWithinCohort.policy: needs reclaimWithinCohort to be LowerPriority or Any',
    ],
    [
      'a borrowWithinCohort policy other than Never or LowerPriority',
      [
        resourceFlavor('default'),
        clusterQueue('team-a', { preemption: { reclaimWithinCohort: 'Any', borrowWithinCohort: { policy: 'Any' } } }),
      ],
      'ClusterQueue/team-a: spec.preemption.borrowWithinCohort.policy: must be one of Never, LowerPriority, got "Any"',
    ],
    [
      'a non-integer maxPriorityThreshold',
      [
        resourceFlavor('default'),
        clusterQueue('team-a', {
          preemption: {
            reclaimWithinCohort: 'Any',
            borrowWithinCohort: { policy: 'LowerPriority', maxPriorityThreshold: 'high' },
          },
        }),
      ],
      'ClusterQueue/team-a: spec.preemption.borrowWithinCohort.maxPriorityThreshold: must be an integer priority, got "high"',
    ],
    [
      'a flavor in two resource groups',
      [
        resourceFlavor('default'),
        {
          ...clusterQueue('team-a'),
          spec: {
            resourceGroups: [
              {
                coveredResources: ['cpu'],
                flavors: [{ name: 'default', resources: [{ name: 'cpu', nominalQuota: 1 }] }],
              },
              { coveredResources: [GPU], flavors: [{ name: 'default', resources: [{ name: GPU, nominalQuota: 1 }] }] },
            ],
          },
        },
      ],
      'ClusterQueue/team-a: spec.resourceGroups[1].flavors[0].name: flavor "default" is already listed',
    ],
    [
      'a non-integer priority',
      [priorityClass('high', 1.5)],
      'WorkloadPriorityClass/high: value: must be an integer priority, got 1.5',
    ],
    [
      'an unsupported API version',
      [{ ...resourceFlavor('default'), apiVersion: 'kueue.x-k8s.io/v1alpha9' }],
      'ResourceFlavor/default: apiVersion: kueue.x-k8s.io/v1alpha9 is not supported',
    ],
    [
      'a resource outside coveredResources',
      [resourceFlavor('default'), withQuota({ name: 'cpu', nominalQuota: 1 })],
      `${quotaField}.name: "cpu" is not in coveredResources (${GPU})`,
    ],
  ])('rejects %s', (_, objects, expected) => {
    expect(problemsOf(objects)).toEqual(expect.arrayContaining([expect.stringContaining(expected)]));
  });

  const needsCohort = `borrowingLimit and lendingLimit need the ClusterQueue to be in a cohort`;
  const needsReclaim =
    'spec.preemption.borrowWithinCohort.policy: needs reclaimWithinCohort to be LowerPriority or Any';
  it.each<[string, KueueObject, string[]]>([
    [
      'borrowingLimit without a cohort, beside a malformed queueingStrategy',
      clusterQueue('team-a', {
        queueingStrategy: 'LIFO',
        flavors: { default: { [GPU]: { nominal: 4, borrowingLimit: 2 } } },
      }),
      [
        'ClusterQueue/team-a: spec.queueingStrategy: must be one of StrictFIFO, BestEffortFIFO, got "LIFO"',
        `ClusterQueue/team-a: spec.resourceGroups[0].flavors[0].resources(${GPU}): ${needsCohort}`,
      ],
    ],
    [
      'lendingLimit without a cohort, beside a malformed quota of another resource',
      clusterQueue('team-a', { flavors: { default: { cpu: 'eight', [GPU]: { nominal: 4, lendingLimit: 2 } } } }),
      [
        `${quotaField}.nominalQuota: "eight" is not a Kubernetes quantity`,
        `ClusterQueue/team-a: spec.resourceGroups[0].flavors[0].resources(${GPU}): ${needsCohort}`,
      ],
    ],
    [
      'borrowingLimit without a cohort, on a flavor that does not exist',
      clusterQueue('team-a', { flavors: { h100: { [GPU]: { nominal: 4, borrowingLimit: 2 } } } }),
      [
        'ClusterQueue/team-a: spec.resourceGroups[0].flavors[0].name: ResourceFlavor "h100" does not exist',
        `ClusterQueue/team-a: spec.resourceGroups[0].flavors[0].resources(${GPU}): ${needsCohort}`,
      ],
    ],
    [
      'borrowWithinCohort without reclaimWithinCohort, beside a malformed withinClusterQueue',
      clusterQueue('team-a', {
        preemption: { withinClusterQueue: 'Sometimes', borrowWithinCohort: { policy: 'LowerPriority' } },
      }),
      [
        'ClusterQueue/team-a: spec.preemption.withinClusterQueue: must be one of Never, LowerPriority, LowerOrNewerEqualPriority, Any, got "Sometimes"',
        `ClusterQueue/team-a: ${needsReclaim}`,
      ],
    ],
    [
      'borrowWithinCohort without reclaimWithinCohort, beside a malformed maxPriorityThreshold',
      clusterQueue('team-a', {
        preemption: { borrowWithinCohort: { policy: 'LowerPriority', maxPriorityThreshold: 'high' } },
      }),
      [
        'ClusterQueue/team-a: spec.preemption.borrowWithinCohort.maxPriorityThreshold: must be an integer priority, got "high"',
        `ClusterQueue/team-a: ${needsReclaim}`,
      ],
    ],
  ])('reports %s, both problems', (_, cq, expected) => {
    const problems = problemsOf([resourceFlavor('default'), cq]);
    for (const p of expected) expect(problems).toContainEqual(expect.stringContaining(p));
  });

  it.each<[string, KueueObject]>([
    [
      'a cohort',
      clusterQueue('team-a', {
        cohort: 'c',
        queueingStrategy: 'LIFO',
        flavors: { default: { [GPU]: { nominal: 4, borrowingLimit: 2 } } },
      }),
    ],
    [
      'a malformed cohort name, which the check cannot read',
      {
        ...clusterQueue('team-a', {
          queueingStrategy: 'LIFO',
          flavors: { default: { [GPU]: { nominal: 4, borrowingLimit: 2 } } },
        }),
        spec: {
          ...clusterQueue('team-a', { flavors: { default: { [GPU]: { nominal: 4, borrowingLimit: 2 } } } }).spec,
          cohort: 5,
        },
      },
    ],
  ])('does not say limits need a cohort for a ClusterQueue with %s', (_, cq) => {
    expect(problemsOf([resourceFlavor('default'), cq]).join('\n')).not.toContain(needsCohort);
  });

  it('lists every problem at once, not just the first', () => {
    const problems = problemsOf([
      withQuota({}),
      clusterQueue('team-b', { queueingStrategy: 'LIFO', flavors: { default: { [GPU]: 1 } } }),
    ]);
    expect(problems).toEqual(
      expect.arrayContaining([
        `${quotaField}.nominalQuota: is required`,
        'ClusterQueue/team-b: spec.queueingStrategy: must be one of StrictFIFO, BestEffortFIFO, got "LIFO"',
        'ClusterQueue/team-a: spec.resourceGroups[0].flavors[0].name: ResourceFlavor "default" does not exist',
      ]),
    );
  });
});

describe('parseEngineOptions reads the Kueue Configuration fields', () => {
  it("defaults to fair sharing off, waitForPodsReady off and Kueue 0.19's feature gates", () => {
    expect(parseEngineOptions(undefined)).toEqual({
      fairSharing: { enable: false, preemptionStrategies: ['LessThanOrEqualToFinalShare', 'LessThanInitialShare'] },
      waitForPodsReady: {
        enable: false,
        timeout: 300_000,
        blockAdmission: false,
        backoffBaseSeconds: 60,
        backoffMaxSeconds: 3600,
        requeuingTimestamp: 'Eviction',
        backoffLimitCount: undefined,
      },
      featureGates: {
        PartialAdmission: true,
        PrioritySortingWithinCohort: true,
        FairSharingPreemptWithinNominal: true,
        PrioritizePreemptorWorkloads: false,
        AdmissionFairSharing: true,
        ElasticJobsViaWorkloadSlices: true,
      },
    });
  });

  it("reads admissionFairSharing with Kueue's default sampling interval", () => {
    expect(
      parseEngineOptions({
        admissionFairSharing: { usageHalfLifeTime: '168h', resourceWeights: { cpu: 2, memory: 1 } },
      }).admissionFairSharing,
    ).toEqual({
      usageHalfLifeTime: 168 * 3_600_000,
      usageSamplingInterval: 300_000,
      resourceWeights: { cpu: 2, memory: 1 },
    });
  });

  it('reads feature gates', () => {
    expect(parseEngineOptions({ featureGates: { PartialAdmission: false } }).featureGates?.PartialAdmission).toBe(
      false,
    );
  });

  it.each([
    ['300s', 300_000],
    ['5m', 300_000],
    ['1h', 3_600_000],
    [90, 90_000],
  ])('reads the timeout %p as %d ms', (timeout, ms) => {
    expect(parseEngineOptions({ waitForPodsReady: { enable: true, timeout } }).waitForPodsReady.timeout).toBe(ms);
  });

  it('reads waitForPodsReady.blockAdmission, off by default as in Kueue', () => {
    expect(parseEngineOptions({ waitForPodsReady: { enable: true } }).waitForPodsReady.blockAdmission).toBe(false);
    expect(
      parseEngineOptions({ waitForPodsReady: { enable: true, blockAdmission: true } }).waitForPodsReady.blockAdmission,
    ).toBe(true);
  });

  it.each<[string, KueueObject, string]>([
    [
      'an unknown requeuing timestamp',
      { waitForPodsReady: { requeuingStrategy: { timestamp: 'Admission' } } },
      'config: waitForPodsReady.requeuingStrategy.timestamp: must be one of Eviction, Creation, got "Admission"',
    ],
    [
      'blockAdmission that is not a boolean',
      { waitForPodsReady: { blockAdmission: 'yes' } },
      'config: waitForPodsReady.blockAdmission: must be true or false, got "yes"',
    ],
    [
      'a bad duration',
      { waitForPodsReady: { timeout: 'soon' } },
      'config: waitForPodsReady.timeout: "soon" is not a duration',
    ],
    [
      'an unknown strategy',
      { fairSharing: { preemptionStrategies: ['Whatever'] } },
      'config: fairSharing.preemptionStrategies: "Whatever"',
    ],
    [
      'an unknown feature gate',
      { featureGates: { TopologyAwareScheduling: true } },
      'config: featureGates.TopologyAwareScheduling: is not a gate this engine knows',
    ],
    [
      'a negative resource weight',
      { admissionFairSharing: { resourceWeights: { cpu: -1 } } },
      'config: admissionFairSharing.resourceWeights.cpu: must be a non-negative number, got -1',
    ],
    [
      'a bad half-life',
      { admissionFairSharing: { usageHalfLifeTime: 'a week' } },
      'config: admissionFairSharing.usageHalfLifeTime: "a week" is not a duration',
    ],
    [
      'a feature gate that is not a boolean',
      { featureGates: { PartialAdmission: 'yes' } },
      'config: featureGates.PartialAdmission: must be true or false, got "yes"',
    ],
  ])('rejects %s', (_, config, expected) => {
    expect(() => parseEngineOptions(config)).toThrow(expected);
  });
});
