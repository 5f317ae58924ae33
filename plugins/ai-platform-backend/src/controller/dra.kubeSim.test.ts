import { mockServices } from '@backstage/backend-test-utils';
import { CustomObjectsApi, KubeConfig } from '@kubernetes/client-node';
import { kubeconfigYaml, startKubeSim, type KubeObject, type KubeSim } from '@ai-platform/kube-sim';
import { parseEngineOptions } from '@ai-platform/scheduler';
import { builtinWorkloadKinds } from '../workloads/adapters';
import { ClusterController } from './ClusterController';
import { eventually, fixture, MemoryDecisionStore } from './__testUtils__/kubeSimCluster';

jest.setTimeout(60_000);

/** One A100 node of 2 GPUs, each cut into 4 MIG 1g.10gb partitions: 8 DRA devices. */
const migFleet = {
  apiVersion: 'kube-sim.io/v1alpha1',
  kind: 'Fleet',
  simulation: { startupSeconds: 1, failureRate: 0 },
  clusters: [
    {
      name: 'gpu',
      nodePools: [
        {
          name: 'a100-mig',
          count: 1,
          cpu: '96',
          memory: '1Ti',
          zones: ['z1'],
          gpu: { product: 'NVIDIA-A100-SXM4-80GB', count: 2, memoryMiB: 81920, mig: { profiles: { '1g.10gb': 4 } } },
          taints: [{ key: 'nvidia.com/gpu', value: 'present', effect: 'NoSchedule' }],
        },
      ],
    },
  ],
  namespaces: [{ name: 'team-a', team: 'a' }],
};

describe('DRA devices as quota, through the controller on kube-sim', () => {
  let sim: KubeSim;
  let controller: ClusterController;

  afterEach(async () => {
    await controller?.stop();
    await sim?.stop();
  });

  it('admits a Job whose pods claim MIG partitions within quota, runs them with allocated claims, and holds the next Job', async () => {
    sim = await startKubeSim({ generator: false, speed: 60, fleet: migFleet as never });
    const [cluster] = sim.clusters;
    const type = (o: KubeObject) => cluster.store.typeFor(o.apiVersion, o.kind);
    const objects = fixture('dra-queues.yaml');
    for (const obj of objects.filter(o => o.kind !== 'Job')) cluster.store.create(type(obj), obj);
    const job = objects.find(o => o.kind === 'Job')!;
    cluster.store.create(type(job), job);
    const second = structuredClone(job);
    second.metadata.name = 'eval';
    (second.spec as { parallelism: number; completions: number }).parallelism = 1;
    (second.spec as { parallelism: number; completions: number }).completions = 1;

    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromString(kubeconfigYaml([{ name: 'gpu', url: cluster.url }]));
    const store = new MemoryDecisionStore();
    controller = new ClusterController({
      connection: { name: 'gpu', mode: 'admit', kubeConfig },
      adapters: builtinWorkloadKinds,
      decisions: store,
      logger: mockServices.logger.mock(),
      identity: 'dra-test',
      leaseTiming: { durationMs: 1_500, renewMs: 300 },
      engineOptions: parseEngineOptions({
        resources: { deviceClassMappings: [{ name: 'mig-1g.10gb', deviceClassNames: ['mig-1g.10gb.nvidia.com'] }] },
      }),
    });
    await controller.start();
    await eventually(() => store.count('Admitted', 'sweep') === 1);

    // Its two pods run on the MIG node, each with a ResourceClaim of 2 allocated devices (read through the API).
    const api = kubeConfig.makeApiClient(CustomObjectsApi);
    const claims = await eventually(async () => {
      const list = (await api.listNamespacedCustomObject({
        group: 'resource.k8s.io',
        version: 'v1',
        namespace: 'team-a',
        plural: 'resourceclaims',
      })) as { items: KubeObject[] };
      return list.items.length === 2 && list.items.every(c => c.status?.allocation) ? list.items : undefined;
    });
    const node = 'gpu-a100-mig-0';
    for (const claim of claims) {
      const results = claim.status.allocation.devices.results as Array<{ pool: string; device: string }>;
      expect(results).toHaveLength(2);
      expect(results.every(r => r.pool === node)).toBe(true);
    }
    const pods = cluster.store.list(cluster.store.typeFor('v1', 'Pod'), { namespace: 'team-a' });
    expect(pods.map(p => p.spec.nodeName)).toEqual([node, node]);

    // A second Job's 2 devices would exceed the quota of 4: it waits, saying which resource is short.
    cluster.store.create(type(second), second);
    await eventually(() => controller.engine.get('team-a/Job/eval'));
    await controller.reconcileNow();
    expect(store.count('Admitted', 'eval')).toBe(0);
    const pending = controller.engine.pending().find(p => p.workload === 'team-a/Job/eval')!;
    expect(pending.reason.message).toContain('mig-1g.10gb');

    // Once the sweep's pods end, their claims are gone and the second Job is admitted.
    await eventually(() => store.count('Admitted', 'eval') === 1, 30_000);
  });
});
