import { eventually, fixture, twoH100NodeFleet, useAdmittingSim } from './__testUtils__/kubeSimCluster';

jest.setTimeout(60_000);

describe('ClusterController with a simulated fleet that runs pods', () => {
  const start = useAdmittingSim();

  it('runs queued gang Jobs one quota-full at a time and releases quota as they finish', async () => {
    const names = ['one', 'two', 'three'];
    const jobs = names.map(name => {
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
      return job;
    });
    const { cluster, decisions: store } = await start({
      fleet: twoH100NodeFleet([{ name: 'team-a', team: 'a' }]),
      objects: [...fixture('queues.yaml').filter(o => o.kind !== 'Namespace'), ...jobs],
      identity: 'fleet-test',
      speed: 60,
    });
    let maxRunning = 0;
    const listJobs = () => cluster.store.list(cluster.store.typeFor('batch/v1', 'Job'));
    const watcher = setInterval(() => {
      const running = listJobs().filter(
        j =>
          (j.spec as { suspend?: boolean }).suspend === false &&
          !(j.status as { conditions?: Array<{ type: string }> })?.conditions?.some(c => c.type === 'Complete'),
      );
      maxRunning = Math.max(maxRunning, running.length);
    }, 20);
    try {
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
