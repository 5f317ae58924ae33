import request from 'supertest';
import { coreServices, createBackendModule, type SchedulerService } from '@backstage/backend-plugin-api';
import { startKubeSim, type KubeSim } from '@ai-platform/kube-sim';
import { eventually, fixture, migFleet } from '../controller/__testUtils__/kubeSimCluster';
import { alice, usePluginOnKubeSim } from '../__testUtils__/pluginOnKubeSim';

jest.setTimeout(90_000);

const HOUR_MS = 3_600_000;
/** One MIG 1g.10gb partition is 1 of an A100's 7 compute slices. */
const migShare = 1 / 7;

describe('GPUs claimed through DRA in showback (kube-sim, over HTTP)', () => {
  let sim: KubeSim | undefined;
  let backend: Awaited<ReturnType<ReturnType<typeof usePluginOnKubeSim>>> | undefined;
  const startPlugin = usePluginOnKubeSim();

  afterEach(async () => {
    await backend?.stop();
    await sim?.stop();
  });

  it('costs the MIG partitions a Job holds only through ResourceClaims, as long as kube-sim really allocated them', async () => {
    sim = await startKubeSim({ generator: false, fleet: migFleet([{ name: 'team-a', team: 'a' }]) });
    const [cluster] = sim.clusters;
    // The queues, the ResourceClaimTemplate (2 partitions per pod) and a Job of 2 pods running 20 s.
    for (const obj of fixture('dra-queues.yaml')) {
      if (obj.kind === 'Job') obj.spec.template.metadata.annotations['kube-sim.io/duration-seconds'] = '20';
      cluster.store.create(cluster.store.typeFor(obj.apiVersion, obj.kind), obj);
    }
    // The test runs the cost ingest itself, as the scheduler would each minute.
    let scheduler: SchedulerService | undefined;
    const schedulerOfThePlugin = createBackendModule({
      pluginId: 'ai-platform',
      moduleId: 'test-scheduler',
      register(env) {
        env.registerInit({ deps: { s: coreServices.scheduler }, init: async ({ s }) => void (scheduler = s) });
      },
    });
    backend = await startPlugin(
      sim,
      {
        engine: {
          resources: { deviceClassMappings: [{ name: 'mig-1g.10gb', deviceClassNames: ['mig-1g.10gb.nvidia.com'] }] },
        },
      },
      [schedulerOfThePlugin],
    );
    const ingest = () => scheduler!.triggerTask('ai-platform-cost-ingest');
    const store = cluster.store;
    const pods = () => store.list(store.typeFor('v1', 'Pod'), { namespace: 'team-a' });
    const phases = () => pods().map(p => (p.status as { phase?: string }).phase);
    // Passes while the pods run see their claims; the claims go when the pods end.
    await eventually(async () => {
      await ingest();
      return phases().length === 2 && phases().every(p => p === 'Running');
    }, 30_000);
    await ingest();
    await eventually(() => phases().length === 2 && phases().every(p => p === 'Succeeded'), 60_000);
    // DRA deleted the pods' claims when they ended; the ledger still has what they held.
    expect(store.list(store.typeFor('resource.k8s.io/v1', 'ResourceClaim'))).toHaveLength(0);

    // Ground truth: what kube-sim allocated to the sweep's pods, and for how long.
    const holdings = cluster.simulation.devices.holdings().filter(h => h.pod.startsWith('team-a/sweep-'));
    expect(holdings.map(h => [h.resource, h.count])).toEqual([
      ['nvidia.com/mig-1g.10gb', 2],
      ['nvidia.com/mig-1g.10gb', 2],
    ]);
    const trueGpuHours = holdings.reduce((sum, h) => sum + ((h.to! - h.from) * h.count * migShare) / HOUR_MS, 0);

    const window = `${new Date(Date.now() - HOUR_MS).toISOString()},${new Date(Date.now() + HOUR_MS).toISOString()}`;
    const showback = await eventually(async () => {
      await ingest();
      const res = await request(backend!.server)
        .get('/api/ai-platform/costs/showback')
        .query({ window, aggregate: 'workload', 'filter.team': 'a' })
        .set('Authorization', alice);
      expect(res.status).toBe(200);
      const row = (res.body.rows as Array<{ key: string; gpuHours: number; costMicros: number }>).find(
        r => r.key === 'sweep',
      );
      // Both pods' intervals closed: their cost no longer grows.
      return row && Math.abs(row.gpuHours - trueGpuHours) < trueGpuHours / 2 ? { row, body: res.body } : undefined;
    }, 30_000);
    // The API's timestamps are whole seconds: each pod's start and end may each be up to 1 s off kube-sim's own.
    const slack = (holdings.length * 2 * 2 * migShare * 1000) / HOUR_MS;
    expect(Math.abs(showback.row.gpuHours - trueGpuHours)).toBeLessThanOrEqual(slack);
    // Priced at the A100's list price of 2.50 USD per GPU-hour, per slice.
    expect(showback.row.costMicros).toBeGreaterThan(0);
    expect(Math.abs(showback.row.costMicros - showback.row.gpuHours * 2_500_000)).toBeLessThanOrEqual(2);
  });
});
