import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { mockServices } from '@backstage/backend-test-utils';
import type { KubeObject } from '@ai-platform/kube-sim';
import { builtinWorkloadKinds } from '../workloads/adapters';
import { admissionAnnotation } from '../workloads/admissionAnnotation';
import { ClusterController } from './ClusterController';
import { eventually, fixture, MemoryDecisionStore, SimCluster } from './__testUtils__/kubeSimCluster';

jest.setTimeout(60_000);

/** One manifest per kind, each carrying the queue label (the adapters' own fixture). */
const manifests = parseAllDocuments(
  readFileSync(join(__dirname, '..', 'workloads', 'adapters', '__fixtures__', 'kinds.yaml'), 'utf8'),
).map(d => d.toJS() as KubeObject);

function manifest(kind: string, name: string): KubeObject {
  const m = structuredClone(manifests.find(x => x.kind === kind)!);
  m.metadata.name = name;
  return m;
}

const ownedBy = (parent: KubeObject) => [
  {
    apiVersion: parent.apiVersion,
    kind: parent.kind,
    name: parent.metadata.name!,
    uid: parent.metadata.uid!,
    controller: true,
  },
];

/** Parent → child pairs whose child is itself a kind the platform could queue. */
const pairs: Array<[parent: string, child: string]> = [
  ['TrainJob', 'JobSet'],
  ['JobSet', 'Job'],
  ['InferenceService', 'Deployment'],
  ['LeaderWorkerSet', 'StatefulSet'],
];

describe('ownership: objects owned by a managed workload are part of it, as in Kueue', () => {
  let sim: SimCluster;
  let store: MemoryDecisionStore;
  let controller: ClusterController;

  beforeEach(async () => {
    sim = await new SimCluster().start();
    store = new MemoryDecisionStore();
    for (const obj of fixture('ownership-queues.yaml')) sim.create(obj);
  });

  afterEach(async () => {
    await controller?.stop();
    await sim.stop();
  });

  const start = async () => {
    controller = new ClusterController({
      connection: { name: 'sim', mode: 'admit', kubeConfig: sim.kubeConfig() },
      adapters: builtinWorkloadKinds,
      decisions: store,
      logger: mockServices.logger.mock(),
      identity: 'replica-1',
      leaseTiming: { durationMs: 1_500, renewMs: 300 },
    });
    await controller.start();
  };
  const fresh = (obj: KubeObject) => sim.get(obj.apiVersion, obj.kind, obj.metadata.namespace!, obj.metadata.name!)!;
  const admitted = (obj: KubeObject) => fresh(obj).metadata.annotations?.[admissionAnnotation] !== undefined;

  it.each(pairs)(
    'a %s is admitted as one workload; its %s, though it carries the queue label, is never queued, suspended or admitted',
    async (parentKind, childKind) => {
      const parent = sim.create(manifest(parentKind, 'parent'));
      const child = manifest(childKind, 'parent-child');
      child.metadata.ownerReferences = ownedBy(parent);
      const created = sim.create(child);
      await start();
      await eventually(() => admitted(parent));
      await controller.reconcileNow();

      expect([...controller.workloads.keys()]).toEqual([`ml/${parentKind}/parent`]);
      expect(store.records.filter(r => r.name === 'parent-child')).toEqual([]);
      const after = fresh(created);
      expect(after.metadata.annotations?.[admissionAnnotation]).toBeUndefined();
      // The backend never wrote to the child: its owner's controller decides what it runs.
      expect(after.metadata.resourceVersion).toBe(created.metadata.resourceVersion);
    },
  );

  it("a LeaderWorkerSet's worker StatefulSet, owned by the leader Pod, is part of the LeaderWorkerSet's workload", async () => {
    const lws = sim.create(manifest('LeaderWorkerSet', 'llm'));
    const worker = manifest('StatefulSet', 'llm-0');
    worker.metadata.ownerReferences = [
      { apiVersion: 'v1', kind: 'Pod', name: 'llm-0', uid: 'leader-pod-uid', controller: true },
    ];
    const created = sim.create(worker);
    await start();
    await eventually(() => admitted(lws));
    await controller.reconcileNow();
    expect(controller.workloads.has('ml/StatefulSet/llm-0')).toBe(false);
    expect(fresh(created).metadata.resourceVersion).toBe(created.metadata.resourceVersion);
    // Its pods are costed to the LeaderWorkerSet, traced through the leader pod.
    const leader = {
      metadata: {
        uid: 'leader-pod-uid',
        ownerReferences: [
          { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'llm', uid: 'leader-sts', controller: true },
        ],
      },
    };
    const leaderSts = manifest('StatefulSet', 'llm');
    leaderSts.metadata.ownerReferences = ownedBy(fresh(lws));
    sim.create(leaderSts);
    await eventually(() => controller.owners.topLevelOf({ metadata: { ownerReferences: ownedBy(fresh(leaderSts)) } }));
    const leaderPod = { metadata: { ...leader.metadata, ownerReferences: ownedBy(fresh(leaderSts)) } };
    const workerPod = { metadata: { ownerReferences: ownedBy(fresh(created)) } };
    expect(controller.owners.topLevelOf(workerPod, new Map([['leader-pod-uid', leaderPod]]))?.kind).toBe(
      'LeaderWorkerSet',
    );
  });

  it('a Job made by a CronJob, which nothing here manages, stays a workload of its own', async () => {
    const job = manifest('Job', 'nightly-28000000');
    job.metadata.ownerReferences = [
      { apiVersion: 'batch/v1', kind: 'CronJob', name: 'nightly', uid: 'cron-uid', controller: true },
    ];
    sim.create(job);
    await start();
    await eventually(() => admitted(job));
    expect(controller.workloads.has('ml/Job/nightly-28000000')).toBe(true);
  });

  it('a child that appears after its parent was queued does not take quota from it', async () => {
    await start();
    const parent = sim.create(manifest('JobSet', 'llm'));
    await eventually(() => admitted(parent));
    const child = manifest('Job', 'llm-workers-0');
    child.metadata.ownerReferences = ownedBy(parent);
    sim.create(child);
    await eventually(() => controller.owners.topLevelOf({ metadata: { ownerReferences: ownedBy(fresh(child)) } }));
    await controller.reconcileNow();
    expect(controller.workloads.has('ml/Job/llm-workers-0')).toBe(false);
    const usage = [...controller.engine.workloads()].filter(w => w.status === 'admitted').map(w => w.workload.key);
    expect(usage).toEqual(['ml/JobSet/llm']);
  });

  it("traces a pod through every level of its owners to the top-level workload, for its GPU time's cost", async () => {
    const trainJob = sim.create(manifest('TrainJob', 'tune'));
    const jobSet = manifest('JobSet', 'tune');
    jobSet.metadata.ownerReferences = ownedBy(trainJob);
    const js = sim.create(jobSet);
    const job = manifest('Job', 'tune-node-0');
    job.metadata.ownerReferences = ownedBy(js);
    const j = sim.create(job);
    const isvc = sim.create(manifest('InferenceService', 'chat'));
    const deployment = manifest('Deployment', 'chat-predictor');
    deployment.metadata.ownerReferences = ownedBy(isvc);
    sim.create(deployment);
    await start();
    await eventually(() => admitted(trainJob) && admitted(isvc));

    const podOfJob = { metadata: { namespace: 'ml', ownerReferences: ownedBy(j) } };
    expect(controller.owners.topLevelOf(podOfJob)).toEqual({ namespace: 'ml', kind: 'TrainJob', name: 'tune' });
    const podOfReplicaSet = {
      metadata: {
        namespace: 'ml',
        labels: { 'pod-template-hash': '5d8f9' },
        ownerReferences: [
          { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'chat-predictor-5d8f9', uid: 'rs-uid', controller: true },
        ],
      },
    };
    expect(controller.owners.topLevelOf(podOfReplicaSet)).toEqual({
      namespace: 'ml',
      kind: 'InferenceService',
      name: 'chat',
    });
    const workflow = sim.create(manifest('Workflow', 'etl'));
    await eventually(() => admitted(workflow));
    const podOfWorkflow = { metadata: { namespace: 'ml', ownerReferences: ownedBy(workflow) } };
    expect(controller.owners.topLevelOf(podOfWorkflow)).toEqual({ namespace: 'ml', kind: 'Workflow', name: 'etl' });
    const spark = sim.create(manifest('SparkApplication', 'agg'));
    await eventually(() => admitted(spark));
    expect(controller.owners.topLevelOf({ metadata: { ownerReferences: ownedBy(spark) } })?.name).toBe('agg');
  });
});
