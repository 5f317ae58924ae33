import { InvariantChecker, queueModel, usageKey, type RestView } from './invariants';
import type { ClusterSnapshot, ObjectView, PodView } from './observe';

const quota = (name: string, nominal: number) => ({
  kind: 'ClusterQueue',
  metadata: { name },
  spec: {
    cohort: 'gpus',
    resourceGroups: [
      {
        coveredResources: ['nvidia.com/gpu'],
        flavors: [{ name: 'h100', resources: [{ name: 'nvidia.com/gpu', nominalQuota: nominal }] }],
      },
    ],
  },
});
const model = queueModel([
  { kind: 'ResourceFlavor', metadata: { name: 'h100' }, spec: { nodeLabels: { 'nvidia.com/gpu.product': 'H100' } } },
  quota('research', 8),
  quota('serving', 8),
]);

/** An admitted Job of `cq` with `gpus` GPUs, and its running pod. */
function admitted(name: string, cq: string, gpus: number, at: number): { job: ObjectView; pod: PodView } {
  const admission = {
    clusterQueue: cq,
    podSets: [{ name: 'main', count: 1, flavors: { 'nvidia.com/gpu': 'h100' } }],
    admittedAt: at,
  };
  const job: ObjectView = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    namespace: cq,
    name,
    uid: `${name}-uid`,
    labels: {},
    annotations: { 'ai-platform.io/admission': JSON.stringify(admission) },
    raw: { apiVersion: 'batch/v1', kind: 'Job', status: {} },
  };
  const pod: PodView = {
    ...job,
    kind: 'Pod',
    name: `${name}-0`,
    uid: `${name}-pod`,
    annotations: {},
    owner: { kind: 'Job', uid: job.uid, name },
    phase: 'Running',
    requests: { 'nvidia.com/gpu': gpus },
  };
  return { job, pod };
}

function sample(running: Array<{ job: ObjectView; pod: PodView }>, waiting: RestView['workloads'][number]) {
  const snapshot: ClusterSnapshot = {
    cluster: 'c',
    objects: running.map(r => r.job),
    pods: running.map(r => r.pod),
    nodes: [],
    namespaces: new Map(),
    events: [],
  };
  const used = new Map<string, number>();
  for (const { job, pod } of running) {
    const key = usageKey(job.namespace, 'h100', 'nvidia.com/gpu');
    used.set(key, (used.get(key) ?? 0) + pod.requests['nvidia.com/gpu']);
  }
  return { snapshot, rest: { used, workloads: [waiting] } };
}

const waiting = {
  cluster: 'c',
  namespace: 'serving',
  kind: 'Job',
  name: 'waits',
  uid: 'waits-uid',
  state: 'Pending',
  clusterQueue: 'serving',
  reason: { code: 'QuotaExhausted' },
  createdAt: '2026-12-03T00:00:00Z',
  podSets: [{ count: 1, requests: { 'nvidia.com/gpu': 8 } }],
};

describe('work conservation', () => {
  const minute = 60_000;
  const run = (running: Array<{ job: ObjectView; pod: PodView }>) => {
    const checker = new InvariantChecker(model, 3 * minute, 8 * minute);
    const { snapshot, rest } = sample(running, waiting);
    for (let t = 0; t <= 5 * minute; t += 30_000) checker.check(snapshot, rest, t, 30_000);
    return checker.violations.filter(v => v.invariant === 'workConservation');
  };

  it('flags a workload left waiting for quota its cohort has free for longer than the grace', () => {
    expect(run([admitted('small', 'research', 4, 0)])).toHaveLength(1);
  });

  it('does not flag it while another queue borrows the quota it would need', () => {
    // research uses its own 8 and borrows 4 of serving's: the cohort has only 4 of 16 left.
    expect(run([admitted('big', 'research', 12, 0)])).toEqual([]);
  });
});

describe('whole gangs', () => {
  const minute = 60_000;
  /** A 2-pod gang admitted at 0, one pod running and the other in `phase`, sampled until 10 minutes. */
  const run = (phase: string) => {
    const { job, pod } = admitted('gang', 'research', 4, 0);
    const gang = {
      ...job,
      annotations: {
        'ai-platform.io/admission': JSON.stringify({
          clusterQueue: 'research',
          podSets: [{ name: 'main', count: 2, flavors: { 'nvidia.com/gpu': 'h100' } }],
          admittedAt: 0,
        }),
      },
    };
    const second: PodView = { ...pod, name: 'gang-1', uid: 'gang-pod-1', phase };
    const { snapshot, rest } = sample([{ job: gang, pod }], { ...waiting, state: 'Running' });
    snapshot.pods.push(second);
    const checker = new InvariantChecker(model, 3 * minute, 8 * minute);
    for (let t = 0; t <= 10 * minute; t += 30_000) checker.check(snapshot, rest, t, 30_000);
    return checker.violations.filter(v => v.invariant === 'gangsWhole');
  };

  it('flags an admitted gang with a pod not running after the grace, once, with its pods by phase', () => {
    const violations = run('Pending');
    expect(violations).toHaveLength(1);
    expect(violations[0].detail).toBe(
      'Job research/gang admitted 510 s ago has 1 of 2 pods running (its pods by phase: Running 1, Pending 1)',
    );
  });

  it('counts succeeded pods as part of a whole gang', () => {
    expect(run('Succeeded')).toEqual([]);
  });
});
