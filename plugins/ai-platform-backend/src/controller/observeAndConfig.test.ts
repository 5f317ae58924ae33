import { mockServices } from '@backstage/backend-test-utils';
import type { KubeObject } from '@ai-platform/kube-sim';
import type { WorkloadObject } from '@ai-platform/backstage-plugin-ai-platform-node';
import { builtinWorkloadKinds } from '../workloads/adapters';
import { ClusterController } from './ClusterController';
import { leaseName } from './LeaderLease';
import { eventually, fixture, MemoryDecisionStore, SimCluster } from './__testUtils__/kubeSimCluster';

jest.setTimeout(60_000);

describe('ClusterController modes and configuration', () => {
  let sim: SimCluster;
  let controller: ClusterController | undefined;
  const store = new MemoryDecisionStore();
  const logger = mockServices.logger.mock();

  beforeEach(async () => {
    sim = await new SimCluster().start();
    for (const obj of fixture('queues.yaml')) sim.create(obj);
  });
  afterEach(async () => {
    await controller?.stop();
    await sim.stop();
  });

  function start(mode: 'auto' | 'admit') {
    controller = new ClusterController({
      connection: { name: 'sim', mode, kubeConfig: sim.kubeConfig() },
      adapters: builtinWorkloadKinds,
      decisions: store,
      logger,
      identity: 'test',
      leaseTiming: { durationMs: 1_500, renewMs: 300 },
    });
    return controller.start().then(() => controller!);
  }

  it("observes a cluster where Kueue runs: admits nothing and reads Kueue's admissions", async () => {
    sim.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kueue-system' } });
    sim.create({
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: 'c1f6bfd2.kueue.x-k8s.io', namespace: 'kueue-system' },
      spec: {},
    });
    const [admittedByKueue] = fixture('job.yaml');
    const job = sim.create(admittedByKueue);
    const [waiting] = fixture('job.yaml');
    waiting.metadata.name = 'waiting';
    const waitingJob = sim.create(waiting);
    /** The Workload Kueue makes for a Job, with the status Kueue wrote. */
    const kueueWorkload = (owner: KubeObject, status: object) => {
      const wl = sim.create({
        apiVersion: 'kueue.x-k8s.io/v1beta1',
        kind: 'Workload',
        metadata: {
          name: `job-${owner.metadata.name}`,
          namespace: 'team-a',
          ownerReferences: [
            {
              apiVersion: 'batch/v1',
              kind: 'Job',
              name: owner.metadata.name!,
              uid: owner.metadata.uid!,
              controller: true,
            },
          ],
        },
        spec: { queueName: 'training', podSets: [{ name: 'main', count: 1, template: { spec: { containers: [] } } }] },
      } as KubeObject);
      sim.store.updateStatus(sim.store.typeFor('kueue.x-k8s.io/v1beta1', 'Workload'), { ...wl, status });
    };
    kueueWorkload(job, {
      admission: {
        clusterQueue: 'team-a',
        podSetAssignments: [{ name: 'main', count: 1, flavors: { 'nvidia.com/gpu': 'h100', cpu: 'h100' } }],
      },
      conditions: [{ type: 'Admitted', status: 'True', lastTransitionTime: new Date().toISOString() }],
    });
    // Kueue 0.19 says why the other waits (KEP-10852): the platform shows it with its own code and runbook.
    const quotaWait =
      "couldn't assign flavors to pod set main: insufficient unused quota for nvidia.com/gpu in flavor h100, 1 more needed";
    kueueWorkload(waitingJob, {
      conditions: [{ type: 'QuotaReserved', status: 'False', reason: 'WaitingForQuota', message: quotaWait }],
    });
    const c = await start('auto');
    expect(c.mode).toBe('observe');
    await eventually(() => c.engine.get('team-a/Job/train')?.status === 'admitted');
    await eventually(() => c.engine.get('team-a/Job/waiting')?.status === 'pending');
    await c.reconcileNow();
    expect(c.leader).toBe(false);
    expect((sim.get('batch/v1', 'Job', 'team-a', 'waiting')!.spec as { suspend: boolean }).suspend).toBe(true);
    expect(sim.list('coordination.k8s.io/v1', 'Lease').map(l => l.metadata.name)).not.toContain(leaseName);
    expect(store.records).toEqual([]);
    await eventually(
      () => c.observedReason(sim.get('batch/v1', 'Job', 'team-a', 'waiting') as WorkloadObject) !== undefined,
    );
    expect(c.observedReason(sim.get('batch/v1', 'Job', 'team-a', 'waiting') as WorkloadObject)).toEqual({
      code: 'QuotaExhausted',
      kueueReason: 'WaitingForQuota',
      message: quotaWait,
    });
    expect(c.observedReason(sim.get('batch/v1', 'Job', 'team-a', 'train') as WorkloadObject)).toBeUndefined();
  });

  it('picks up queue changes live, and keeps the last good configuration when a change is invalid', async () => {
    const [big] = fixture('job.yaml');
    (big.spec as { parallelism: number }).parallelism = 12;
    sim.create(big);
    const c = await start('admit');
    await eventually(() => c.leader);
    await eventually(() => c.engine.get('team-a/Job/train')?.status === 'pending');
    const cqType = sim.store.typeFor('kueue.x-k8s.io/v1beta1', 'ClusterQueue');
    const cq = sim.store.get(cqType, undefined, 'team-a')!;
    const quotas = (
      cq.spec as {
        resourceGroups: Array<{ flavors: Array<{ resources: Array<{ name: string; nominalQuota: number }> }> }>;
      }
    ).resourceGroups[0].flavors[0].resources;
    quotas.find(r => r.name === 'nvidia.com/gpu')!.nominalQuota = 16;
    const grown = sim.store.update(cqType, cq);
    await eventually(() => c.engine.get('team-a/Job/train')?.status === 'admitted');

    (grown.spec as { preemption: { withinClusterQueue: string } }).preemption.withinClusterQueue = 'Sometimes';
    sim.store.update(cqType, grown);
    const errors = () =>
      (logger.child as jest.Mock).mock.results.flatMap(r =>
        (r.value.error as jest.Mock).mock.calls.map(([m]) => String(m)),
      );
    await eventually(() =>
      errors().some(m => /ClusterQueue\/team-a: spec\.preemption\.withinClusterQueue: must be one of/.test(m)),
    );
    const gpu = c.engine.usage()[0].resources.find(r => r.resource === 'nvidia.com/gpu')!;
    expect(gpu.nominal).toBe(16_000);
  });
});
