import { startKubeSim, type KubeObject, type KubeSim } from '@ai-platform/kube-sim';
import type { ClusterController } from './ClusterController';
import {
  admittingController,
  eventually,
  fixture,
  MemoryDecisionStore,
  twoH100NodeFleet,
} from './__testUtils__/kubeSimCluster';

jest.setTimeout(60_000);

describe('ClusterController with a simulated fleet that runs pods', () => {
  let sim: KubeSim;
  let controller: ClusterController;

  afterEach(async () => {
    await controller?.stop();
    await sim?.stop();
  });

  it('runs queued gang Jobs one quota-full at a time and releases quota as they finish', async () => {
    sim = await startKubeSim({
      generator: false,
      speed: 60,
      fleet: twoH100NodeFleet([{ name: 'team-a', team: 'a' }]),
    });
    const [cluster] = sim.clusters;
    const create = (obj: KubeObject) => cluster.store.create(cluster.store.typeFor(obj.apiVersion, obj.kind), obj);
    for (const obj of fixture('queues.yaml').filter(o => o.kind !== 'Namespace')) create(obj);
    const names = ['one', 'two', 'three'];
    for (const name of names) {
      const [job] = fixture('job.yaml');
      job.metadata.name = name;
      const spec = job.spec as {
        parallelism: number;
        completions: number;
        template: { metadata?: { annotations: Record<string, string> } };
      };
      spec.parallelism = 8;
      spec.completions = 8;
      // 60 simulated seconds: one real second at speed 60.
      spec.template.metadata = { annotations: { 'kube-sim.io/duration-seconds': '60' } };
      create(job);
    }
    const store = new MemoryDecisionStore();
    controller = admittingController(cluster.url, store, 'fleet-test');
    let maxRunning = 0;
    const jobs = () => cluster.store.list(cluster.store.typeFor('batch/v1', 'Job'));
    const watcher = setInterval(() => {
      const running = jobs().filter(
        j =>
          (j.spec as { suspend?: boolean }).suspend === false &&
          !(j.status as { conditions?: Array<{ type: string }> })?.conditions?.some(c => c.type === 'Complete'),
      );
      maxRunning = Math.max(maxRunning, running.length);
    }, 20);
    try {
      await controller.start();
      await eventually(() => store.count('Finished') === 3, 30_000);
    } finally {
      clearInterval(watcher);
    }
    expect(maxRunning).toBe(1);
    expect(names.map(n => store.count('Admitted', n))).toEqual([1, 1, 1]);
    const pods = cluster.store.list(cluster.store.typeFor('v1', 'Pod'));
    expect(pods.length).toBeGreaterThanOrEqual(24);
    expect(
      pods.every(
        p =>
          (p.spec as { nodeSelector?: Record<string, string> }).nodeSelector?.['nvidia.com/gpu.product'] ===
          'NVIDIA-H100-80GB-HBM3',
      ),
    ).toBe(true);
  });
});
