import { readFileSync } from 'node:fs';
import request from 'supertest';
import { parse } from 'yaml';
import { createBackendModule, resolvePackagePath } from '@backstage/backend-plugin-api';
import { startKubeSim, type KubeSim } from '@ai-platform/kube-sim';
import type { WorkloadSummary } from '@ai-platform/backstage-plugin-ai-platform-common';
import { aiPlatformPriceSourcesExtensionPoint } from '@ai-platform/backstage-plugin-ai-platform-node';
import { twoH100NodeFleet } from './controller/__testUtils__/kubeSimCluster';
import { alice, bob, usePluginOnKubeSim } from './__testUtils__/pluginOnKubeSim';

jest.setTimeout(90_000);

/** A contract price for the fleet's H100 flavor, as an outside module adds one. */
const contractPrices = createBackendModule({
  pluginId: 'ai-platform',
  moduleId: 'test-contract-prices',
  register(env) {
    env.registerInit({
      deps: { prices: aiPlatformPriceSourcesExtensionPoint },
      async init({ prices }) {
        prices.addPriceSource({
          name: 'contract',
          currency: 'USD',
          prices: () => [{ match: 'h100', microsPerHour: 2_750_000, from: 0 }],
        });
      },
    });
  },
});

const job = (name: string, namespace: string) => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name, namespace },
  spec: {
    parallelism: 2,
    completions: 2,
    template: {
      metadata: { annotations: { 'kube-sim.io/duration-seconds': '3600' } },
      spec: {
        restartPolicy: 'Never',
        containers: [
          {
            name: 'train',
            image: 'trainer:1',
            resources: {
              requests: { cpu: '2', 'nvidia.com/gpu': '1' },
              limits: { 'nvidia.com/gpu': '1' },
            },
          },
        ],
      },
    },
  },
});

async function eventually<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise(r => setTimeout(r, 200));
  }
}

describe('aiPlatformPlugin against a kube-sim cluster, over HTTP', () => {
  let sim: KubeSim;
  let backend: Awaited<ReturnType<ReturnType<typeof usePluginOnKubeSim>>>;
  const startPlugin = usePluginOnKubeSim();

  beforeAll(async () => {
    sim = await startKubeSim({
      generator: false,
      fleet: twoH100NodeFleet([
        { name: 'team-a', team: 'a' },
        { name: 'team-b', team: 'b' },
      ]),
    });
    const queues = parse(
      readFileSync(
        resolvePackagePath(
          '@ai-platform/backstage-plugin-ai-platform-backend',
          'src/__fixtures__/two-team-queues.yaml',
        ),
        'utf8',
      ),
    );
    backend = await startPlugin(sim, { queues }, [contractPrices]);
  });

  afterAll(async () => {
    await backend?.stop();
    await sim?.stop();
  });

  const api = () => request(backend.server);

  it("admits a team's submission, shows it only to that team, and lets only that team cancel it", async () => {
    // The backend answers 503 until it has loaded the cluster; a client retries.
    await eventually(async () => {
      const res = await api().get('/api/ai-platform/queues').set('Authorization', alice);
      const queues = (res.body.clusterQueues ?? []) as Array<{
        localQueues: Array<{ namespace: string; name: string; team?: string }>;
      }>;
      return queues.some(cq =>
        cq.localQueues.some(lq => lq.namespace === 'team-a' && lq.name === 'training' && lq.team === 'a'),
      )
        ? true
        : undefined;
    }, 'the LocalQueue team-a/training with its team');
    const submitted = await api()
      .post('/api/ai-platform/workloads')
      .set('Authorization', alice)
      .send({ manifest: job('train-a', 'team-a'), queue: 'training' });
    expect(submitted.status).toBe(201);
    expect(submitted.body.workload).toEqual(
      expect.objectContaining({
        cluster: 'gpu',
        namespace: 'team-a',
        name: 'train-a',
        queue: 'training',
      }),
    );

    const admitted = await eventually(async () => {
      const res = await api().get('/api/ai-platform/workloads?namespace=team-a').set('Authorization', alice);
      const w = (res.body.items as WorkloadSummary[]).find(i => i.name === 'train-a');
      return w && ['Admitted', 'Running'].includes(w.state) ? w : undefined;
    }, 'train-a to be admitted');
    expect(admitted).toEqual(expect.objectContaining({ clusterQueue: 'cq-a', team: 'a', gpus: 2 }));

    const asBob = await api().get('/api/ai-platform/workloads').set('Authorization', bob);
    expect((asBob.body.items as WorkloadSummary[]).map(w => w.name)).not.toContain('train-a');
    const bobReads = await api().get('/api/ai-platform/workloads/gpu/team-a/Job/train-a').set('Authorization', bob);
    expect(bobReads.status).toBe(403);
    const bobCancels = await api()
      .post('/api/ai-platform/workloads/gpu/team-a/Job/train-a/cancel')
      .set('Authorization', bob);
    expect(bobCancels.status).toBe(403);
    const bobSubmits = await api()
      .post('/api/ai-platform/workloads')
      .set('Authorization', bob)
      .send({ manifest: job('sneaky', 'team-a'), queue: 'training' });
    expect(bobSubmits.status).toBe(403);
    expect(bobSubmits.body.error.message).toMatch(/LocalQueue team-a\/training belongs to team a; your teams: b/);

    const decisions = await eventually(async () => {
      const res = await api()
        .get('/api/ai-platform/workloads/gpu/team-a/Job/train-a/decisions')
        .set('Authorization', alice);
      const items = res.body.items as Array<{ decision: string; actor: string }> | undefined;
      return items?.some(d => d.decision === 'Admitted') ? items : undefined;
    }, 'the admission to be in the decision log');
    expect(decisions[0]).toEqual(expect.objectContaining({ decision: 'Admitted', clusterQueue: 'cq-a' }));

    const cancel = await api()
      .post('/api/ai-platform/workloads/gpu/team-a/Job/train-a/cancel')
      .set('Authorization', alice);
    expect(cancel.status).toBe(204);
    await eventually(async () => {
      const res = await api().get('/api/ai-platform/workloads/gpu/team-a/Job/train-a').set('Authorization', alice);
      return res.status === 404 ? true : undefined;
    }, 'train-a to be gone after cancel');
  });

  it('prices a plan with the registered price sources, as the cost ledger does', async () => {
    const plan = await eventually(async () => {
      const res = await api()
        .post('/api/ai-platform/plan')
        .set('Authorization', alice)
        .send({
          manifest: job('priced', 'team-a'),
          queue: 'training',
          clusterPolicy: 'Cheapest',
          etaToleranceSeconds: 3600,
        });
      return res.status === 200 && res.body.candidates?.length ? res.body : undefined;
    }, 'a plan with candidate clusters');
    expect(plan.candidates[0]).toMatchObject({ cluster: 'gpu', pricePerGpuHour: '2.75', currency: 'USD' });
    const estimate = await api()
      .post('/api/ai-platform/costs/estimate')
      .set('Authorization', alice)
      .send({ gpus: 1, hours: 1, flavor: 'h100' });
    expect(estimate.body).toMatchObject({ cost: '2.75' });
  });

  it('answers 400 naming the field for a manifest its kind cannot read, on /plan and /workloads', async () => {
    const noTemplate = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'broken', namespace: 'team-a' },
      spec: {},
    };
    const badQuantity = job('greedy', 'team-a');
    (badQuantity.spec.template.spec.containers[0].resources.requests as Record<string, string>).cpu = 'lots';
    for (const route of ['/api/ai-platform/plan', '/api/ai-platform/workloads']) {
      const missing = await api()
        .post(route)
        .set('Authorization', alice)
        .send({ manifest: noTemplate, queue: 'training' });
      expect({ route, status: missing.status }).toEqual({ route, status: 400 });
      expect(missing.body.error.message).toMatch(/Job team-a\/broken: .*spec\.template\.spec/);
      const unparsable = await api()
        .post(route)
        .set('Authorization', alice)
        .send({ manifest: badQuantity, queue: 'training' });
      expect({ route, status: unparsable.status }).toEqual({ route, status: 400 });
      expect(unparsable.body.error.message).toMatch(/Job team-a\/greedy: .*lots/);
    }
  });

  it('lists both teams’ LocalQueues with their teams', async () => {
    const res = await api().get('/api/ai-platform/queues').set('Authorization', bob);
    const localQueues = (
      res.body.clusterQueues as Array<{
        localQueues: Array<{ namespace: string; team?: string }>;
      }>
    ).flatMap(cq => cq.localQueues);
    expect(localQueues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          namespace: 'team-a',
          name: 'training',
          team: 'a',
        }),
        expect.objectContaining({
          namespace: 'team-b',
          name: 'training',
          team: 'b',
        }),
      ]),
    );
  });
});
