import { demoCluster } from '../testHarness';

describe('InferenceService controller', () => {
  let cluster: ReturnType<typeof demoCluster>;
  afterEach(() => cluster.stop());

  it('runs a predictor Deployment with the model GPU requests and reports Ready with its URL', async () => {
    cluster = demoCluster();
    cluster.create({
      apiVersion: 'serving.kserve.io/v1beta1',
      kind: 'InferenceService',
      metadata: { name: 'llama', namespace: 'team-llm-serving' },
      spec: {
        predictor: {
          minReplicas: 2,
          tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }],
          model: {
            modelFormat: { name: 'huggingface' },
            storageUri: 'hf://meta-llama/Llama-3.1-8B-Instruct',
            resources: {
              requests: { cpu: '4', memory: '32Gi', 'nvidia.com/gpu': '1' },
              limits: { 'nvidia.com/gpu': '1' },
            },
          },
        },
      },
    });
    await cluster.settle();
    let isvc = cluster.get('serving.kserve.io/v1beta1', 'InferenceService', 'llama', 'team-llm-serving')!;
    expect(isvc.status.conditions).toContainEqual(expect.objectContaining({ type: 'Ready', status: 'False' }));
    const deployment = cluster.get('apps/v1', 'Deployment', 'llama-predictor', 'team-llm-serving')!;
    expect(deployment.metadata.ownerReferences).toEqual([
      expect.objectContaining({ kind: 'InferenceService', name: 'llama' }),
    ]);
    expect(deployment.spec.template.spec.containers[0].resources.requests['nvidia.com/gpu']).toBe('1');

    await cluster.advance(10);
    isvc = cluster.get('serving.kserve.io/v1beta1', 'InferenceService', 'llama', 'team-llm-serving')!;
    expect(isvc.status.url).toBe('http://llama.team-llm-serving.svc.cluster.local');
    expect(isvc.status.conditions).toContainEqual(expect.objectContaining({ type: 'Ready', status: 'True' }));
    const pods = cluster.pods('team-llm-serving');
    expect(pods).toHaveLength(2);
    expect(
      pods.every(
        p =>
          p.status.phase === 'Running' &&
          p.metadata.annotations!['kube-sim.io/model-name'] === 'meta-llama/Llama-3.1-8B-Instruct',
      ),
    ).toBe(true);
    expect(pods.every(p => p.metadata.labels!['serving.kserve.io/inferenceservice'] === 'llama')).toBe(true);

    cluster.store.delete(
      cluster.store.typeFor('serving.kserve.io/v1beta1', 'InferenceService'),
      'team-llm-serving',
      'llama',
    );
    await cluster.settle();
    expect(cluster.pods('team-llm-serving')).toHaveLength(0);
  });
});
