import { formatWait, gangPlanRequest } from './planPreview';

const now = Date.parse('2026-11-23T10:00:00Z');

describe('the Resources step plan', () => {
  it('asks about the gang the template renders: nodes pods of gpusPerNode GPUs on the product, in the topology asked', () => {
    const request = gangPlanRequest({
      namespace: 'team-ml-research',
      queue: 'ml-research',
      gpuProduct: 'NVIDIA-H100-80GB-HBM3',
      nodes: 4,
      gpusPerNode: 8,
      topology: 'ai-platform.io/nvlink-domain',
    });
    expect(request).toMatchObject({ queue: 'ml-research', dryRun: true });
    const job = (request.manifest as any).spec.replicatedJobs[0].template.spec;
    expect(job.parallelism).toBe(4);
    expect(job.template.spec.containers[0].resources.limits).toEqual({ 'nvidia.com/gpu': '8' });
    expect(job.template.spec.nodeSelector).toEqual({ 'nvidia.com/gpu.product': 'NVIDIA-H100-80GB-HBM3' });
    expect(job.template.metadata.annotations).toEqual({
      'kueue.x-k8s.io/podset-required-topology': 'ai-platform.io/nvlink-domain',
    });
  });

  it('says when the gang starts, per cluster when there are several, or why it cannot', () => {
    expect(formatWait({ admissible: true, etasByCluster: { 'gpu-east': '2026-11-23T10:00:00Z' } }, now)).toBe(
      'starts now',
    );
    expect(
      formatWait(
        {
          admissible: false,
          eta: '2026-11-23T10:25:00Z',
          etasByCluster: { 'gpu-east': '2026-11-23T10:25:00Z', 'gpu-west': '2026-11-23T12:00:00Z' },
        },
        now,
      ),
    ).toBe('expected to start in 25 min (gpu-east in 25 min, gpu-west in 2 h)');
    expect(
      formatWait(
        {
          admissible: false,
          etasByCluster: {},
          reason: { code: 'ExceedsQueueMaximum', message: 'asks for 128 GPUs; the queue can never give more than 64' },
        },
        now,
      ),
    ).toBe('cannot start as asked: asks for 128 GPUs; the queue can never give more than 64');
  });
});
