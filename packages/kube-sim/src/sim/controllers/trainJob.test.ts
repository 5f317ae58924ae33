import { demoCluster } from '../testHarness';

describe('TrainJob controller', () => {
  let cluster: ReturnType<typeof demoCluster>;
  afterEach(() => cluster.stop());
  const ns = 'team-ml-research';
  const h100 = { 'nvidia.com/gpu.product': 'NVIDIA-H100-80GB-HBM3' };
  const gpuToleration = { key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' };

  const trainJob = () => ({
    apiVersion: 'trainer.kubeflow.org/v1alpha1',
    kind: 'TrainJob',
    metadata: {
      name: 'ft',
      namespace: ns,
      labels: { 'kueue.x-k8s.io/queue-name': 'ml-research' },
      annotations: { 'kube-sim.io/duration-seconds': '100' },
    },
    spec: {
      suspend: true,
      runtimeRef: { name: 'torch-distributed' },
      labels: { 'example.com/experiment': 'ft-7' },
      trainer: { numNodes: 2, resourcesPerNode: { requests: { cpu: '8', 'nvidia.com/gpu': '8' } } },
    },
  });
  const jobSetOf = () => cluster.get('jobset.x-k8s.io/v1alpha2', 'JobSet', 'ft')!;
  const trainJobOf = () => cluster.get('trainer.kubeflow.org/v1alpha1', 'TrainJob', 'ft')!;

  it('runs as a JobSet it owns, labelled from spec.labels, suspended while the TrainJob is', async () => {
    cluster = demoCluster();
    const created = cluster.create(trainJob());
    await cluster.advance(5);
    const jobSet = jobSetOf();
    expect(jobSet.metadata.ownerReferences).toEqual([
      expect.objectContaining({ kind: 'TrainJob', name: 'ft', uid: created.metadata.uid, controller: true }),
    ]);
    expect(jobSet.metadata.labels).toEqual({ 'example.com/experiment': 'ft-7' });
    expect(jobSet.spec.suspend).toBe(true);
    expect(jobSet.spec.replicatedJobs).toEqual([
      expect.objectContaining({
        name: 'node',
        replicas: 1,
        template: expect.objectContaining({
          metadata: { labels: { 'trainer.kubeflow.org/trainjob-ancestor-step': 'trainer' } },
          spec: expect.objectContaining({ parallelism: 2, completions: 2 }),
        }),
      }),
    ]);
    expect(cluster.get('batch/v1', 'Job', 'ft-node-0')!.spec.suspend).toBe(true);
    expect(cluster.pods()).toHaveLength(0);
    expect(trainJobOf().status.conditions).toContainEqual(
      expect.objectContaining({ type: 'Suspended', status: 'True', reason: 'Suspended' }),
    );
  });

  it('admitted through podSpecOverrides: the pods of its JobSet get the node selector and tolerations, then it completes', async () => {
    cluster = demoCluster();
    cluster.create(trainJob());
    await cluster.advance(5);
    const suspended = trainJobOf();
    cluster.update({
      ...suspended,
      spec: {
        ...suspended.spec,
        suspend: false,
        podSpecOverrides: [{ targetJobs: [{ name: 'node' }], nodeSelector: h100, tolerations: [gpuToleration] }],
      },
    });
    await cluster.advance(15);
    expect(jobSetOf().spec.suspend).toBe(false);
    const job = cluster.get('batch/v1', 'Job', 'ft-node-0')!;
    expect(job.metadata.ownerReferences).toEqual([expect.objectContaining({ kind: 'JobSet', name: 'ft' })]);
    expect(job.metadata.labels).toMatchObject({ 'trainer.kubeflow.org/trainjob-ancestor-step': 'trainer' });
    const pods = cluster.pods();
    expect(pods).toHaveLength(2);
    for (const pod of pods) {
      expect(pod.metadata.ownerReferences).toEqual([
        expect.objectContaining({ kind: 'Job', name: 'ft-node-0', controller: true }),
      ]);
      expect(pod.metadata.labels).toMatchObject({
        'jobset.sigs.k8s.io/jobset-name': 'ft',
        'jobset.sigs.k8s.io/replicatedjob-name': 'node',
      });
      expect(pod.spec.nodeSelector).toEqual(h100);
      expect(pod.spec.tolerations).toEqual([gpuToleration]);
      expect(pod.status.phase).toBe('Running');
    }
    let status = trainJobOf().status;
    expect(status.conditions).toContainEqual(expect.objectContaining({ type: 'Suspended', status: 'False' }));
    expect(status.jobsStatus).toEqual([expect.objectContaining({ name: 'node', active: 1, ready: 1 })]);

    await cluster.advance(110);
    status = trainJobOf().status;
    expect(status.conditions).toContainEqual(expect.objectContaining({ type: 'Complete', status: 'True' }));
    expect(status.jobsStatus).toEqual([expect.objectContaining({ name: 'node', succeeded: 1 })]);
  });

  it('suspending a running TrainJob suspends its JobSet, which stops the pods', async () => {
    cluster = demoCluster();
    cluster.create({
      ...trainJob(),
      spec: {
        ...trainJob().spec,
        suspend: false,
        podSpecOverrides: [{ targetJobs: [{ name: 'node' }], nodeSelector: h100, tolerations: [gpuToleration] }],
      },
    });
    await cluster.advance(15);
    expect(cluster.pods().filter(p => p.status.phase === 'Running')).toHaveLength(2);
    const job = trainJobOf();
    cluster.update({ ...job, spec: { ...job.spec, suspend: true } });
    await cluster.advance(5);
    expect(jobSetOf().spec.suspend).toBe(true);
    expect(cluster.pods()).toHaveLength(0);
    expect(trainJobOf().status.jobsStatus).toEqual([expect.objectContaining({ name: 'node', suspended: 1 })]);
  });
});
