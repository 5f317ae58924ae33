import { CustomObjectsApi } from '@kubernetes/client-node';
import type { KubeObject } from '@ai-platform/kube-sim';
import { parseEngineOptions } from '@ai-platform/scheduler';
import { eventually, fixture, migFleet, useAdmittingSim } from './__testUtils__/kubeSimCluster';

jest.setTimeout(60_000);

describe('DRA devices as quota, through the controller on kube-sim', () => {
  const start = useAdmittingSim();

  it('admits a Job whose pods claim MIG partitions within quota, runs them with allocated claims, and holds the next Job', async () => {
    const objects = fixture('dra-queues.yaml');
    const job = objects.find(o => o.kind === 'Job')!;
    const second = structuredClone(job);
    second.metadata.name = 'eval';
    (second.spec as { parallelism: number; completions: number }).parallelism = 1;
    (second.spec as { parallelism: number; completions: number }).completions = 1;
    const {
      cluster,
      controller,
      kubeConfig,
      create,
      decisions: store,
    } = await start({
      fleet: migFleet([{ name: 'team-a', team: 'a' }]),
      objects,
      identity: 'dra-test',
      speed: 60,
      engineOptions: parseEngineOptions({
        resources: { deviceClassMappings: [{ name: 'mig-1g.10gb', deviceClassNames: ['mig-1g.10gb.nvidia.com'] }] },
      }),
    });
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
    create(second);
    await eventually(() => controller.engine.get('team-a/Job/eval'));
    await controller.reconcileNow();
    expect(store.count('Admitted', 'eval')).toBe(0);
    const pending = controller.engine.pending().find(p => p.workload === 'team-a/Job/eval')!;
    expect(pending.reason.message).toContain('mig-1g.10gb');

    // Once the sweep's pods end, their claims are gone and the second Job is admitted.
    await eventually(() => store.count('Admitted', 'eval') === 1, 30_000);
  });
});
