import path from 'node:path';
import { KubeSim, startKubeSim } from '../index';
import { RunningPrometheus, startPrometheus } from '../testing/prometheus';

const demoFleet = path.resolve(__dirname, '../../../../examples/fleet/demo.yaml');

describe('telemetry scraped by a real Prometheus', () => {
  let sim: KubeSim | undefined;
  let prometheus: RunningPrometheus | undefined;

  afterAll(async () => {
    await prometheus?.stop();
    await sim?.stop();
  });

  it('answers avg by (namespace, pod) (DCGM_FI_DEV_GPU_UTIL) for a running GPU pod', async () => {
    sim = await startKubeSim({ fleet: demoFleet, speed: 60, generator: false });
    const east = sim.clusters[0];
    east.store.create(east.store.typeFor('v1', 'Pod'), {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: 'trainer-0',
        namespace: 'team-ml-research',
        annotations: { 'kube-sim.io/duration-seconds': '86400' },
      },
      spec: {
        tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }],
        containers: [{ name: 'trainer', image: 'pytorch', resources: { limits: { 'nvidia.com/gpu': '4' } } }],
      },
    });
    prometheus = await startPrometheus([east.metricsUrl]);
    const result = await prometheus.waitFor('avg by (namespace, pod) (DCGM_FI_DEV_GPU_UTIL)', r =>
      r.some(x => x.metric.pod === 'trainer-0'),
    );
    const trainer = result.find(r => r.metric.pod === 'trainer-0')!;
    expect(trainer.metric.namespace).toBe('team-ml-research');
    const utilization = Number(trainer.value[1]);
    expect(utilization).toBeGreaterThan(5);
    expect(utilization).toBeLessThanOrEqual(100);
    // GPUs nobody holds carry no pod label: they aggregate into one series without namespace/pod.
    expect(result.filter(r => !r.metric.pod)).toHaveLength(1);
    expect(Number(result.find(r => !r.metric.pod)!.value[1])).toBe(0);
  }, 60_000);
});
