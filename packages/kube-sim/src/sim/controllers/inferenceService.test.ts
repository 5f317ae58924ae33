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

  it('gives its Deployment, ReplicaSet and pods its labels; scaled to 0 and back, injected node selectors reach the pods', async () => {
    cluster = demoCluster();
    const ns = 'team-llm-serving';
    const created = cluster.create({
      apiVersion: 'serving.kserve.io/v1beta1',
      kind: 'InferenceService',
      metadata: { name: 'chat', namespace: ns, labels: { 'kueue.x-k8s.io/queue-name': 'llm-serving' } },
      spec: {
        predictor: {
          minReplicas: 1,
          maxReplicas: 1,
          labels: { 'example.com/tier': 'gold' },
          tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }],
          model: { modelFormat: { name: 'huggingface' }, resources: { requests: { 'nvidia.com/gpu': '1' } } },
        },
      },
    });
    await cluster.advance(10);
    const deployment = cluster.get('apps/v1', 'Deployment', 'chat-predictor', ns)!;
    const kserveLabels = {
      'kueue.x-k8s.io/queue-name': 'llm-serving',
      'example.com/tier': 'gold',
      'serving.kserve.io/inferenceservice': 'chat',
      component: 'predictor',
      app: 'isvc.chat-predictor',
    };
    expect(deployment.metadata.labels).toEqual(kserveLabels);
    expect(deployment.metadata.ownerReferences).toEqual([
      expect.objectContaining({ kind: 'InferenceService', uid: created.metadata.uid, controller: true }),
    ]);
    const [rs] = cluster.store.list(cluster.store.typeFor('apps/v1', 'ReplicaSet'), { namespace: ns });
    expect(rs.metadata.ownerReferences).toEqual([
      expect.objectContaining({ kind: 'Deployment', name: 'chat-predictor', controller: true }),
    ]);
    const [pod] = cluster.pods(ns);
    expect(pod.metadata.ownerReferences).toEqual([
      expect.objectContaining({ kind: 'ReplicaSet', name: rs.metadata.name, controller: true }),
    ]);
    expect(pod.metadata.labels).toEqual({
      ...kserveLabels,
      'pod-template-hash': rs.metadata.labels!['pod-template-hash'],
    });

    const isvc = cluster.get('serving.kserve.io/v1beta1', 'InferenceService', 'chat', ns)!;
    const scaled = structuredClone(isvc);
    scaled.spec.predictor.minReplicas = 0;
    scaled.spec.predictor.maxReplicas = 0;
    cluster.update(scaled);
    await cluster.advance(5);
    expect(cluster.pods(ns)).toHaveLength(0);

    const resumed = structuredClone(cluster.get('serving.kserve.io/v1beta1', 'InferenceService', 'chat', ns)!);
    resumed.spec.predictor.minReplicas = 1;
    resumed.spec.predictor.maxReplicas = 1;
    resumed.spec.predictor.nodeSelector = { 'nvidia.com/gpu.product': 'NVIDIA-H100-80GB-HBM3' };
    cluster.update(resumed);
    await cluster.advance(10);
    const pods = cluster.pods(ns);
    expect(pods).toHaveLength(1);
    expect(pods[0].spec.nodeSelector).toEqual({ 'nvidia.com/gpu.product': 'NVIDIA-H100-80GB-HBM3' });
    expect(pods[0].status.phase).toBe('Running');
  });
});
