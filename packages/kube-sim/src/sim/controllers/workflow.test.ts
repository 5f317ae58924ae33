import { demoCluster } from '../testHarness';

describe('Workflow controller', () => {
  let cluster: ReturnType<typeof demoCluster>;
  afterEach(() => cluster.stop());
  const ns = 'team-ml-research';
  const h100 = { 'nvidia.com/gpu.product': 'NVIDIA-H100-80GB-HBM3' };
  const gpuToleration = { key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' };
  const step = (image: string, gpus = 0) => ({
    image,
    resources: { requests: { cpu: '1', ...(gpus ? { 'nvidia.com/gpu': String(gpus) } : {}) } },
  });

  const workflow = (suspend: boolean) => ({
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Workflow',
    metadata: {
      name: 'pipeline',
      namespace: ns,
      labels: { 'kueue.x-k8s.io/queue-name': 'ml-research' },
      annotations: { 'kube-sim.io/duration-seconds': '60' } as Record<string, string>,
    },
    spec: {
      suspend,
      entrypoint: 'main',
      podMetadata: { labels: { 'example.com/pipeline': 'nightly' } },
      templates: [
        {
          name: 'main',
          dag: {
            tasks: [
              { name: 'train', template: 'train', dependencies: ['prepare'] },
              { name: 'prepare', template: 'prepare' },
            ],
          },
        },
        { name: 'prepare', container: step('prep:1') },
        { name: 'train', container: step('train:1', 8) },
      ],
    },
  });
  const wfOf = () => cluster.get('argoproj.io/v1alpha1', 'Workflow', 'pipeline')!;

  it('runs each step as a pod it owns, with Argo labels, a DAG task after its dependencies', async () => {
    cluster = demoCluster();
    const wf = workflow(false);
    Object.assign(wf.spec.templates[2], { nodeSelector: h100, tolerations: [gpuToleration] });
    const created = cluster.create(wf);
    await cluster.advance(10);
    let pods = cluster.pods();
    expect(pods).toHaveLength(1);
    const [prepare] = pods;
    expect(prepare.metadata.name).toMatch(/^pipeline-prepare-\d+$/);
    expect(prepare.metadata.ownerReferences).toEqual([
      expect.objectContaining({ kind: 'Workflow', name: 'pipeline', uid: created.metadata.uid, controller: true }),
    ]);
    expect(prepare.metadata.labels).toEqual({
      'workflows.argoproj.io/workflow': 'pipeline',
      'workflows.argoproj.io/completed': 'false',
      'example.com/pipeline': 'nightly',
    });
    expect(prepare.metadata.annotations).toMatchObject({ 'workflows.argoproj.io/node-name': 'pipeline.prepare' });
    expect(wfOf().status).toMatchObject({ phase: 'Running', progress: '0/1' });

    await cluster.advance(70);
    pods = cluster.pods();
    expect(pods).toHaveLength(2);
    expect(pods.find(p => p.metadata.name === prepare.metadata.name)!.metadata.labels).toMatchObject({
      'workflows.argoproj.io/completed': 'true',
    });
    const train = pods.find(p => p.metadata.name!.startsWith('pipeline-train-'))!;
    expect(train.spec.nodeSelector).toEqual(h100);
    expect(train.status.phase).toBe('Running');

    await cluster.advance(70);
    const done = wfOf();
    expect(done.status).toMatchObject({ phase: 'Succeeded', progress: '2/2' });
    expect(done.metadata.labels).toMatchObject({
      'workflows.argoproj.io/phase': 'Succeeded',
      'workflows.argoproj.io/completed': 'true',
    });
  });

  it('suspended, it starts no pod; node selectors written into its templates reach the pods once resumed', async () => {
    cluster = demoCluster();
    cluster.create(workflow(true));
    await cluster.advance(30);
    expect(cluster.pods()).toHaveLength(0);
    const wf = wfOf();
    for (const t of wf.spec.templates.filter((x: { container?: unknown }) => x.container)) {
      Object.assign(t, { nodeSelector: h100, tolerations: [gpuToleration] });
    }
    cluster.update({ ...wf, spec: { ...wf.spec, suspend: false } });
    await cluster.advance(70);
    const pods = cluster.pods();
    expect(pods).toHaveLength(2);
    expect(pods.every(p => JSON.stringify(p.spec.nodeSelector) === JSON.stringify(h100))).toBe(true);
  });

  it('runs steps group after group, fails when a step fails and starts none of the steps after it', async () => {
    cluster = demoCluster();
    const wf = workflow(false);
    wf.metadata.annotations['kube-sim.io/fail'] = 'true';
    wf.spec.templates[0] = {
      name: 'main',
      steps: [[{ name: 'prepare', template: 'prepare' }], [{ name: 'train', template: 'train' }]],
    } as unknown as (typeof wf.spec.templates)[0];
    cluster.create(wf);
    await cluster.advance(10);
    expect(cluster.pods()[0].metadata.annotations).toMatchObject({
      'workflows.argoproj.io/node-name': 'pipeline[0].prepare',
    });
    await cluster.advance(80);
    expect(cluster.pods()).toHaveLength(1);
    expect(wfOf().status.phase).toBe('Failed');
  });
});
