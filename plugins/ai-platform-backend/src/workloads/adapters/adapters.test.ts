import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WorkloadObject } from '@ai-platform/backstage-plugin-ai-platform-node';
import type { Admission, ResourceFlavor } from '@ai-platform/scheduler';
import { parseAllDocuments } from 'yaml';
import { builtinWorkloadKinds, savedReplicasAnnotation } from '.';

const manifests = parseAllDocuments(readFileSync(join(__dirname, '__fixtures__', 'kinds.yaml'), 'utf8')).map(
  d => d.toJS() as WorkloadObject,
);
const manifest = (kind: string) => structuredClone(manifests.find(m => m.kind === kind)!);
const adapterFor = (kind: string) => builtinWorkloadKinds.find(a => a.kind === kind)!;

const flavor: ResourceFlavor = {
  name: 'h100',
  nodeLabels: { 'nvidia.com/gpu.product': 'H100' },
  nodeTaints: [],
  tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }],
};
const flavors = new Map([[flavor.name, flavor]]);
const context = { priorityClasses: new Map([['high', 1000]]) };

// [kind, pod sets as name:count, GPUs per pod of each set, suspended by scaling to 0]
const cases: Array<[string, string[], number[], boolean]> = [
  ['Job', ['main:4'], [1], false],
  ['JobSet', ['driver:1', 'workers:8'], [0, 8], false],
  ['PyTorchJob', ['master:1', 'worker:3'], [1, 1], false],
  ['TrainJob', ['node:2'], [4], false],
  ['RayJob', ['head:1', 'gpu:3'], [0, 2], false],
  ['LeaderWorkerSet', ['leader:2', 'workers:6'], [8, 8], true],
  ['InferenceService', ['predictor:2'], [1], true],
  ['Deployment', ['main:3'], [1], true],
  ['StatefulSet', ['main:1'], [0], true],
  ['SparkApplication', ['driver:1', 'executor:4'], [0, 1], false],
  ['Workflow', ['prep:1', 'train:1'], [0, 2], false],
];

describe('workload kind adapters', () => {
  it('cover every kind in the fixture', () => {
    expect(cases.map(c => c[0]).sort()).toEqual(manifests.map(m => m.kind).sort());
  });

  it.each(cases)('%s: reads pod sets with per-pod requests', (kind, sets, gpus) => {
    const workload = adapterFor(kind).toWorkload(manifest(kind), context);
    expect(workload.podSets.map(p => `${p.name}:${p.count}`)).toEqual(sets);
    expect(workload.podSets.map(p => (p.requests['nvidia.com/gpu'] ?? 0) / 1000)).toEqual(gpus);
    expect(workload.queue).toBe('q');
  });

  it.each(cases)('%s: suspends, then admits pinned to the flavor', (kind, _sets, _gpus, scaled) => {
    const adapter = adapterFor(kind);
    const original = manifest(kind);
    const before = adapter.toWorkload(original, context);
    const suspended = adapter.suspendPatch(original);
    expect(adapter.isSuspended(suspended)).toBe(true);
    expect(suspended.metadata.annotations?.[savedReplicasAnnotation] !== undefined).toBe(scaled);
    // Suspending by scaling keeps the pod sets the workload asks for.
    expect(adapter.toWorkload(suspended, context).podSets.map(p => p.count)).toEqual(before.podSets.map(p => p.count));
    const admission: Admission = {
      clusterQueue: 'cq',
      podSets: before.podSets.map(p => ({ name: p.name, count: p.count, flavors: { 'nvidia.com/gpu': 'h100' } })),
    };
    const admitted = adapter.admitPatch(suspended, admission, flavors);
    expect(adapter.isSuspended(admitted)).toBe(false);
    expect(admitted.spec).toEqual(expect.anything());
    for (const ps of adapter.toWorkload(admitted, context).podSets) {
      expect(ps.nodeSelector).toMatchObject({ 'nvidia.com/gpu.product': 'H100' });
      expect(ps.tolerations).toEqual([flavor.tolerations[0]]);
    }
    expect(admitted.metadata.annotations?.[savedReplicasAnnotation]).toBeUndefined();
    // The input objects are left alone.
    expect(original).toEqual(manifest(kind));
    // Suspending again takes the flavor's pinning off, so a requeued workload may get any flavor.
    const requeued = adapter.suspendPatch(admitted);
    expect(adapter.toWorkload(requeued, context).podSets).toEqual(before.podSets);
  });

  it("calls a TrainJob's pods ready only once its JobSet's jobs are ready, not as soon as it reports them", () => {
    const trainJob = manifest('TrainJob');
    const ready = (jobsStatus: unknown) => adapterFor('TrainJob').podsReady({ ...trainJob, status: { jobsStatus } });
    expect(ready(undefined)).toBe(false);
    expect(ready([{ name: 'node', ready: 0, active: 1 }])).toBe(false);
    expect(ready([{ name: 'node', ready: 1, active: 1 }])).toBe(true);
    expect(ready([{ name: 'node', succeeded: 1 }])).toBe(true);
  });

  it('restores the replica counts saved when scaling to zero', () => {
    const isvc = adapterFor('InferenceService');
    const suspended = isvc.suspendPatch(manifest('InferenceService'));
    expect(suspended.spec).toMatchObject({ predictor: { minReplicas: 0, maxReplicas: 0 } });
    const admitted = isvc.admitPatch(
      suspended,
      { clusterQueue: 'cq', podSets: [{ name: 'predictor', count: 2, flavors: {} }] },
      flavors,
    );
    expect(admitted.spec).toMatchObject({ predictor: { minReplicas: 2, maxReplicas: 4 } });
  });

  it('counts requests as max(sum of containers, each init container), with limits standing in for requests', () => {
    const [main] = adapterFor('Job').toWorkload(manifest('Job'), context).podSets;
    expect(main.requests).toEqual({ cpu: 6000, memory: 4 * 1024 ** 3 * 1000, 'nvidia.com/gpu': 1000 });
  });

  it('takes the priority from the WorkloadPriorityClass label, else 0', () => {
    expect(adapterFor('Job').toWorkload(manifest('Job'), context).priority).toBe(1000);
    expect(adapterFor('JobSet').toWorkload(manifest('JobSet'), context).priority).toBe(0);
  });

  it('leaves Deployments without a queue label alone', () => {
    const plain = manifest('Deployment');
    plain.metadata.labels = {};
    expect(adapterFor('Deployment').handles(plain)).toBe(false);
    expect(adapterFor('Deployment').handles(manifest('Deployment'))).toBe(true);
  });

  it('starts a Job with minimum parallelism on fewer pods when partially admitted', () => {
    const job = manifest('Job');
    job.metadata.annotations = { 'kueue.x-k8s.io/job-min-parallelism': '2' };
    const adapter = adapterFor('Job');
    expect(adapter.toWorkload(job, context).podSets[0]).toMatchObject({ count: 4, minCount: 2 });
    const admitted = adapter.admitPatch(
      adapter.suspendPatch(job),
      { clusterQueue: 'cq', podSets: [{ name: 'main', count: 3, flavors: { 'nvidia.com/gpu': 'h100' } }] },
      flavors,
    );
    expect(admitted.spec).toMatchObject({ parallelism: 3, suspend: false });
    expect(() =>
      adapterFor('JobSet').admitPatch(
        manifest('JobSet'),
        {
          clusterQueue: 'cq',
          podSets: [
            { name: 'driver', count: 1, flavors: {} },
            { name: 'workers', count: 4, flavors: {} },
          ],
        },
        flavors,
      ),
    ).toThrow('JobSet cannot run pod set workers with 4 of 8 pods');
  });

  it("counts the DRA devices a pod set's ResourceClaimTemplates request per pod, and names a missing template", () => {
    const job = manifest('Job');
    const pod = (job.spec as { template: { spec: Record<string, unknown> } }).template.spec;
    pod.resourceClaims = [{ name: 'slices', resourceClaimTemplateName: 'two-slices' }];
    const twoSlices = {
      spec: {
        spec: {
          devices: { requests: [{ name: 'r', exactly: { deviceClassName: 'mig-1g.10gb.nvidia.com', count: 2 } }] },
        },
      },
    };
    const withTemplates = {
      ...context,
      resourceClaimTemplate: (namespace: string, name: string) =>
        namespace === job.metadata.namespace && name === 'two-slices' ? twoSlices : undefined,
    };
    expect(adapterFor('Job').toWorkload(job, withTemplates).podSets[0].devices).toEqual({
      'mig-1g.10gb.nvidia.com': 2,
    });
    expect(() => adapterFor('Job').toWorkload(job, context)).toThrow(
      'pod set main: resourceClaims[0].resourceClaimTemplateName: ResourceClaimTemplate two-slices not found',
    );
  });

  it('names the missing part of a malformed manifest', () => {
    const broken = manifest('Job');
    delete broken.spec!.template;
    expect(() => adapterFor('Job').toWorkload(broken, context)).toThrow(
      'pod set main has no pod template (spec.template.spec)',
    );
  });
});
