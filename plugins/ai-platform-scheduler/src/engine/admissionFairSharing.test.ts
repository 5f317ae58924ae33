import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { parseEngineOptions, parseQueueObjects } from '../config/parse';
import { parseScenario } from '../simulator/scenario';
import { simulate } from '../simulator/simulate';
import { decayed, entryPenalty, localQueueUsage } from './admissionFairSharing';
import { Engine } from './Engine';
import { candidateOrder, type Candidate } from './preemptionCommon';
import type { QuotaNode } from './quota';

const upstreamAfs = 'pkg/util/admissionfairsharing/admission_fair_sharing_test.go';

describe(`${upstreamAfs} TestCalculateUsageWithDRA`, () => {
  // Upstream adds the pending penalty to the consumed resources; here a penalty settles as it is charged, so the
  // case passes their sum.
  it.each<[string, Record<string, number>, Record<string, number>, number, Record<string, number>, number]>([
    ['DRA resource with default weight', { 'gpu-logical': 2 }, {}, 1, {}, 2],
    ['DRA resource with explicit weight', { 'gpu-logical': 2 }, {}, 1, { 'gpu-logical': 3 }, 6],
    ['mixed CPU and DRA resources', { cpu: 4, 'gpu-logical': 2 }, {}, 1, { cpu: 1, 'gpu-logical': 5 }, 14],
    ['DRA resource with weight zero contributes nothing', { 'gpu-logical': 10 }, {}, 1, { 'gpu-logical': 0 }, 0],
    ['DRA resource in penalty only', {}, { 'gpu-logical': 3 }, 1, {}, 3],
    [
      'DRA resource in both consumed and penalty',
      { 'gpu-logical': 2 },
      { 'gpu-logical': 1 },
      2,
      { 'gpu-logical': 4 },
      6,
    ],
  ])('%s', (_, consumed, penalty, lqWeight, resourceWeights, want) => {
    const sum = { ...consumed };
    for (const [r, v] of Object.entries(penalty)) sum[r] = (sum[r] ?? 0) + v;
    expect(localQueueUsage(sum, lqWeight, resourceWeights)).toBe(want);
  });
});

describe(`${upstreamAfs} TestCalculateUsageWithNonPositiveWeight`, () => {
  it.each<[string, Record<string, number>, number]>([
    ['zero weight, idle queue (no usage)', {}, 0],
    ['zero weight, active queue', { cpu: 4 }, 0],
    ['negative weight', { cpu: 4 }, -1],
  ])('%s', (_, consumed, lqWeight) => {
    expect(localQueueUsage(consumed, lqWeight, {})).toBe(Infinity);
  });
});

const halfLife = 168 * 3_600_000;
const sampling = 5 * 60_000;

describe(`${upstreamAfs} entry penalty`, () => {
  it.each<[string, number, number, Record<string, number>]>([
    ['TestCalculateEntryPenaltyWithDRAResources', 5 * 60_000, 10 * 60_000, { cpu: 4000, 'gpu-logical': 2000 }],
    ['TestCalculateEntryPenaltyWithLongHalfLife', 5 * 60_000, 168 * 3_600_000, { cpu: 2000, 'nvidia.com/gpu': 1000 }],
  ])('%s', (_, usageSamplingInterval, usageHalfLifeTime, requests) => {
    const penalty = entryPenalty(requests, { usageSamplingInterval, usageHalfLifeTime, resourceWeights: {} });
    expect(Object.keys(penalty).sort()).toEqual(Object.keys(requests).sort());
    for (const v of Object.values(penalty)) expect(v).toBeGreaterThan(0);
  });
});

describe(`${upstreamAfs} decay`, () => {
  it('TestCalculateDecayedConsumedConvergesToUsage', () => {
    let consumed: Record<string, number> = {};
    // After one, two and three half-lives of 2016 five-minute samples each: within 1m of 1, 1.5 and 1.75 CPU.
    for (const want of [1000, 1500, 1750]) {
      for (let i = 0; i < 2016; i++) consumed = decayed(consumed, { cpu: 2000 }, sampling, halfLife);
      expect(Math.abs(consumed.cpu - want)).toBeLessThanOrEqual(1);
      expect(consumed.cpu).toBeLessThanOrEqual(2000);
    }
  });

  it('TestCalculateDecayedConsumedAccumulatesSubMilli', () => {
    let consumed: Record<string, number> = {};
    let prev = { cpu: 0, gpu: 0 };
    for (let sample = 1; sample <= 3; sample++) {
      consumed = decayed(consumed, { cpu: 2000, 'nvidia.com/gpu': 1000 }, sampling, halfLife);
      expect(consumed.cpu).toBeGreaterThan(prev.cpu);
      expect(consumed['nvidia.com/gpu']).toBeGreaterThan(prev.gpu);
      prev = { cpu: consumed.cpu, gpu: consumed['nvidia.com/gpu'] };
    }
  });
});

const v1beta2 = 'kueue.x-k8s.io/v1beta2';
function engineWith(admissionMode: string | undefined, afs: Record<string, unknown> | undefined, localQueues = ['lq']) {
  const config = parseQueueObjects([
    { apiVersion: v1beta2, kind: 'ResourceFlavor', metadata: { name: 'default' }, spec: {} },
    {
      apiVersion: v1beta2,
      kind: 'ClusterQueue',
      metadata: { name: 'cq' },
      spec: {
        namespaceSelector: {},
        ...(admissionMode && { admissionScope: { admissionMode } }),
        resourceGroups: [
          { coveredResources: ['cpu'], flavors: [{ name: 'default', resources: [{ name: 'cpu', nominalQuota: 8 }] }] },
        ],
      },
    },
    ...localQueues.map(name => ({
      apiVersion: v1beta2,
      kind: 'LocalQueue',
      metadata: { name, namespace: 'ns' },
      spec: { clusterQueue: 'cq' },
    })),
  ]);
  return new Engine(config, parseEngineOptions({ admissionFairSharing: afs }));
}

const cpu4 = { key: 'ns/wl', namespace: 'ns', name: 'wl', queue: 'lq', priority: 0, creationTime: 0 };

describe('pkg/scheduler/scheduler_afs_test.go TestShouldApplyEntryPenalty', () => {
  const afsConfig = { usageHalfLifeTime: '10s', usageSamplingInterval: '1s' };
  // Left out: "skips a second-pass workload that already holds a quota reservation" (this engine has no second pass).
  it.each<[string, Record<string, unknown> | undefined, string | undefined, boolean]>([
    [
      'pushes for a first-pass workload on a usage-based ClusterQueue',
      afsConfig,
      'UsageBasedAdmissionFairSharing',
      true,
    ],
    ['skips when no AdmissionFairSharing config is set', undefined, 'UsageBasedAdmissionFairSharing', false],
    ['skips for a ClusterQueue without usage-based admission mode', afsConfig, undefined, false],
  ])('%s', (_, afs, mode, want) => {
    const engine = engineWith(mode, afs);
    engine.submit({ ...cpu4, podSets: [{ name: 'main', count: 1, requests: { cpu: 4000 } }] });
    expect(engine.schedule(0).map(d => d.type)).toEqual(['Admitted']);
    const penalty = engine.localQueueUsage().get('ns/lq')?.consumedResources.cpu ?? 0;
    // Kueue's entry penalty: the requests × (1 − 0.5^(sampling / half-life)).
    expect(penalty).toBeCloseTo(want ? 4000 * (1 - 0.5 ** 0.1) : 0, 6);
  });
});

/** A usage-based ClusterQueue (half-life 10s, sampling 1s) that admitted a 4-CPU workload at 0. */
function runningFourCpu(localQueues?: string[]) {
  const afs = { usageHalfLifeTime: '10s', usageSamplingInterval: '1s' };
  const engine = engineWith('UsageBasedAdmissionFairSharing', afs, localQueues);
  engine.submit({ ...cpu4, podSets: [{ name: 'main', count: 1, requests: { cpu: 4000 } }] });
  engine.schedule(0);
  return engine;
}

describe('admission fair sharing over time', () => {
  it('decays the usage toward what the LocalQueue runs, once per sampling interval', () => {
    const engine = runningFourCpu();
    const penalty = 4000 * (1 - 0.5 ** 0.1);
    engine.schedule(500); // within the interval: no sample
    expect(engine.localQueueUsage().get('ns/lq')!.consumedResources.cpu).toBeCloseTo(penalty, 6);
    engine.schedule(10_000); // ten samples with 4 CPU running: one half-life toward 4000
    expect(engine.localQueueUsage().get('ns/lq')!.consumedResources.cpu).toBeCloseTo(4000 + (penalty - 4000) / 2, 6);
    expect(engine.localQueueUsage().get('ns/lq')!.lastUpdate).toBe(10_000);
  });

  it('refuses a sampling interval that is not positive, naming the field', () => {
    expect(() => parseEngineOptions({ admissionFairSharing: { usageSamplingInterval: '0s' } })).toThrow(
      /admissionFairSharing\.usageSamplingInterval: must be a positive duration/,
    );
  });
});

describe('pkg/scheduler/preemption/preemption_test.go TestCandidatesOrdering', () => {
  const preemptorCq = {} as QuotaNode;
  const differentCq = {} as QuotaNode;
  const c = (key: string, node: QuotaNode, priority: number, admittedAt: number, usage?: number): Candidate => ({
    key,
    priority,
    creationTime: 0,
    admittedAt,
    node,
    usage: new Map(),
    namespace: '',
    queue: `${key}-lq`,
    ...(usage !== undefined && { localQueueUsage: () => usage }),
  });
  const low = c('low_lq_usage', preemptorCq, 1, 0, 0.1);
  const mid = c('mid_lq_usage', preemptorCq, 10, 0, 0.5);
  const highOther = c('high_lq_usage_different_cq', differentCq, 1, 0, 1.0);
  // Left out: the priority-boost cases (no PriorityBoost here) and "evicted workload first" (evictions are instant).
  it.each<[string, Candidate[], string[]]>([
    ['workloads sorted by priority', [c('high', preemptorCq, 10, 0), c('low', preemptorCq, -10, 0)], ['low', 'high']],
    [
      'workload from different CQ first',
      [c('preemptorCq', preemptorCq, 10, 0), c('other', differentCq, 10, 0)],
      ['other', 'preemptorCq'],
    ],
    [
      'old workloads last',
      [c('older', preemptorCq, 0, -1000), c('younger', preemptorCq, 0, 1000), c('current', preemptorCq, 0, 0)],
      ['younger', 'current', 'older'],
    ],
    ['workloads with higher LQ usage first', [low, mid], ['mid_lq_usage', 'low_lq_usage']],
    [
      'workloads from different CQ are sorted based on priority and timestamp',
      [mid, highOther],
      ['high_lq_usage_different_cq', 'mid_lq_usage'],
    ],
  ])('%s', (_, candidates, want) => {
    expect([...candidates].sort(candidateOrder(preemptorCq)).map(x => x.key)).toEqual(want);
  });
});

describe('admission fair sharing in what-if copies', () => {
  it('a clone starts from the same usage and moves on its own', () => {
    const engine = runningFourCpu();
    const copy = engine.clone();
    expect(copy.localQueueUsage()).toEqual(engine.localQueueUsage());
    copy.schedule(10_000);
    expect(copy.localQueueUsage().get('ns/lq')!.consumedResources.cpu).toBeGreaterThan(
      engine.localQueueUsage().get('ns/lq')!.consumedResources.cpu,
    );
  });
});

describe('admission fair sharing through the simulator (examples/scenarios/admission-fair-sharing.yaml)', () => {
  const file = resolve(__dirname, '../../../../examples/scenarios/admission-fair-sharing.yaml');
  const order = (doc: string) =>
    simulate(parseScenario(doc, file), { events: true })
      .events.filter(e => e.type === 'Admitted')
      .map(e => e.workload.replace(/^team-.\//, ''));

  it('lets the team that used less lately go first, as its usage decays', () => {
    expect(order(readFileSync(file, 'utf8'))).toEqual(['a-1', 'b-1', 'a-2', 'b-2', 'a-3', 'b-3', 'a-4', 'a-5', 'a-6']);
  });

  it('is plain FIFO without the ClusterQueue admissionScope', () => {
    const doc = parseYaml(readFileSync(file, 'utf8'));
    delete doc.objects.find((o: { kind: string }) => o.kind === 'ClusterQueue').spec.admissionScope;
    expect(order(JSON.stringify(doc))).toEqual(['a-1', 'a-2', 'a-3', 'a-4', 'a-5', 'a-6', 'b-1', 'b-2', 'b-3']);
  });
});

describe('pending positions under admission fair sharing', () => {
  it('put the workload of the LocalQueue with less usage first', () => {
    const engine = runningFourCpu(['lq', 'other']); // ns/lq runs 4 of the 8 CPUs and carries its entry penalty
    const big = [{ name: 'main', count: 1, requests: { cpu: 8000 } }];
    engine.submit({ ...cpu4, key: 'ns/first', name: 'first', creationTime: 1, podSets: big });
    engine.submit({ ...cpu4, key: 'ns/second', name: 'second', queue: 'other', creationTime: 2, podSets: big });
    const positions = Object.fromEntries(engine.pending().map(p => [p.workload, p.positionInClusterQueue]));
    expect(positions).toEqual({ 'ns/second': 1, 'ns/first': 2 });
  });
});
