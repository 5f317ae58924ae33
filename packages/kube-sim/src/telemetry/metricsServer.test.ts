import { demoCluster, h100Template } from '../sim/testHarness';
import { ClusterTelemetry, startMetricsServer } from './metricsServer';

type Parsed = Array<{ name: string; labels: Record<string, string>; value: number }>;

function parse(text: string): Parsed {
  return text
    .split('\n')
    .filter(l => l && !l.startsWith('#'))
    .map(l => {
      const m = /^([^{ ]+)(?:\{(.*)\})? (\S+)$/.exec(l)!;
      const labels = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map(x => [x[1], x[2]]));
      return { name: m[1], labels, value: Number(m[3]) };
    });
}

describe('cluster telemetry', () => {
  let cluster: ReturnType<typeof demoCluster>;
  afterEach(() => cluster.stop());

  const tolerate = [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }];
  const pod = (
    name: string,
    requests: Record<string, string>,
    annotations: Record<string, string> = {},
    namespace = 'team-ml-research',
  ) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, annotations: { 'kube-sim.io/duration-seconds': '100000', ...annotations } },
    spec: {
      tolerations: tolerate,
      containers: [{ name: 'main', image: 'x', resources: { requests, limits: requests } }],
    },
  });

  it('serves DCGM metrics per device with pod labels only on allocated GPUs, and vLLM metrics for inference pods', async () => {
    cluster = demoCluster();
    cluster.create({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: 'busy',
        namespace: 'team-ml-research',
        annotations: { 'kube-sim.io/duration-seconds': '100000' },
      },
      spec: h100Template(8).spec,
    });
    cluster.create(pod('lazy', { 'nvidia.com/gpu': '8' }, { 'kube-sim.io/idle': 'true' }));
    cluster.create(pod('slice', { 'nvidia.com/mig-3g.40gb': '1' }));
    cluster.create(pod('share', { 'nvidia.com/gpu.shared': '1' }, { 'kube-sim.io/profile': 'agent' }, 'team-agents'));
    cluster.create(
      pod(
        'llm',
        { 'nvidia.com/gpu': '1' },
        { 'kube-sim.io/model-name': 'meta-llama/Llama-3.1-8B-Instruct', 'kube-sim.io/profile': 'inference' },
        'team-llm-serving',
      ),
    );
    await cluster.advance(600, 30);
    const telemetry = new ClusterTelemetry(cluster.store, cluster.sim.devices, cluster.clock);
    const server = await startMetricsServer({ telemetry });
    try {
      const res = await fetch(server.url);
      expect(res.headers.get('content-type')).toContain('text/plain');
      const first = parse(await res.text());
      const util = first.filter(s => s.name === 'DCGM_FI_DEV_GPU_UTIL');
      // 8 H100 nodes × 8 + 4 A100 nodes × 8 GPUs × 5 MIG instances + 4 L4 nodes × 4 GPUs (the shared one split per holder)
      expect(util.length).toBeGreaterThanOrEqual(64 + 160 + 16);
      const busy = util.filter(s => s.labels.pod === 'busy');
      expect(busy).toHaveLength(8);
      expect(busy[0].labels).toMatchObject({
        namespace: 'team-ml-research',
        container: 'trainer',
        modelName: 'NVIDIA H100 80GB HBM3',
        device: expect.stringMatching(/^nvidia\d$/),
        UUID: expect.stringMatching(/^GPU-/),
      });
      expect(busy.every(s => s.value > 50)).toBe(true);
      const lazy = util.filter(s => s.labels.pod === 'lazy');
      expect(lazy).toHaveLength(8);
      expect(lazy.every(s => s.value <= 1)).toBe(true);
      const unallocated = util.filter(s => !s.labels.pod);
      expect(unallocated.every(s => s.value === 0 && !('namespace' in s.labels))).toBe(true);
      const mig = first.find(s => s.name === 'DCGM_FI_PROF_GR_ENGINE_ACTIVE' && s.labels.pod === 'slice')!;
      expect(mig.labels).toMatchObject({ GPU_I_PROFILE: '3g.40gb', GPU_I_ID: expect.any(String) });
      expect(mig.value).toBeGreaterThan(0);
      expect(mig.value).toBeLessThanOrEqual(1);
      expect(first.find(s => s.name === 'DCGM_FI_DEV_FB_USED' && s.labels.pod === 'busy')!.value).toBeGreaterThan(
        60000,
      );
      expect(first.find(s => s.name === 'DCGM_FI_DEV_POWER_USAGE' && s.labels.pod === 'busy')!.value).toBeGreaterThan(
        300,
      );
      expect(util.find(s => s.labels.pod === 'share')).toBeDefined();

      const tokens1 = first.find(s => s.name === 'vllm:prompt_tokens_total')!;
      expect(tokens1.labels).toMatchObject({
        model_name: 'meta-llama/Llama-3.1-8B-Instruct',
        namespace: 'team-llm-serving',
        pod: 'llm',
      });
      await cluster.advance(300, 30);
      const second = parse(await (await fetch(server.url)).text());
      const tokens2 = second.find(s => s.name === 'vllm:prompt_tokens_total')!;
      expect(tokens2.value).toBeGreaterThan(tokens1.value);
      const buckets = second.filter(s => s.name === 'vllm:time_to_first_token_seconds_bucket').map(s => s.value);
      expect(buckets).toEqual([...buckets].sort((a, b) => a - b));
      const count = second.find(s => s.name === 'vllm:time_to_first_token_seconds_count')!.value;
      expect(buckets[buckets.length - 1]).toBe(count);
      expect(count).toBeGreaterThan(0);
      expect(second.find(s => s.name === 'vllm:time_to_first_token_seconds_sum')!.value).toBeGreaterThan(0);
      expect(second.some(s => s.name === 'vllm:num_requests_running')).toBe(true);
      expect(second.some(s => s.name === 'vllm:num_requests_waiting')).toBe(true);
    } finally {
      await server.close();
    }
  });
});
