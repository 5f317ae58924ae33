import { demoCluster, h100Template } from '../testHarness';

describe('operator-managed workloads', () => {
  let cluster: ReturnType<typeof demoCluster>;
  afterEach(() => cluster.stop());
  const ns = 'team-ml-research';
  const run = { 'kube-sim.io/duration-seconds': '100' };

  it('PyTorchJob: master and worker pods, suspend via runPolicy, Succeeded when the master ends', async () => {
    cluster = demoCluster();
    cluster.create({
      apiVersion: 'kubeflow.org/v1',
      kind: 'PyTorchJob',
      metadata: { name: 'bert', namespace: ns, annotations: run },
      spec: {
        runPolicy: { suspend: true },
        pytorchReplicaSpecs: {
          Master: { replicas: 1, template: h100Template(8) },
          Worker: { replicas: 2, template: h100Template(8) },
        },
      },
    });
    await cluster.advance(10);
    expect(cluster.pods()).toHaveLength(0);
    let job = cluster.get('kubeflow.org/v1', 'PyTorchJob', 'bert')!;
    expect(job.status.conditions).toContainEqual(expect.objectContaining({ type: 'Suspended', status: 'True' }));
    cluster.update({ ...job, spec: { ...job.spec, runPolicy: { suspend: false } } });
    await cluster.advance(10);
    expect(
      cluster
        .pods()
        .map(p => p.metadata.name)
        .sort(),
    ).toEqual(['bert-master-0', 'bert-worker-0', 'bert-worker-1']);
    job = cluster.get('kubeflow.org/v1', 'PyTorchJob', 'bert')!;
    expect(job.status.conditions).toContainEqual(expect.objectContaining({ type: 'Running', status: 'True' }));
    expect(job.status.replicaStatuses.Worker).toMatchObject({ active: 2 });
    await cluster.advance(110);
    job = cluster.get('kubeflow.org/v1', 'PyTorchJob', 'bert')!;
    expect(job.status.conditions).toContainEqual(expect.objectContaining({ type: 'Succeeded', status: 'True' }));
  });

  it('SparkApplication: driver and executors, COMPLETED when the driver ends', async () => {
    cluster = demoCluster();
    cluster.create({
      apiVersion: 'sparkoperator.k8s.io/v1beta2',
      kind: 'SparkApplication',
      metadata: {
        name: 'etl',
        namespace: 'team-data-eng',
        annotations: run,
        labels: { 'kueue.x-k8s.io/queue-name': 'data-eng', 'example.com/pipeline': 'nightly' },
      },
      spec: {
        type: 'Scala',
        mode: 'cluster',
        driver: { cores: 1, memory: '2g' },
        executor: { instances: 3, cores: 2, memory: '4g' },
      },
    });
    await cluster.advance(10);
    const pods = cluster.pods('team-data-eng');
    expect(pods.map(p => p.metadata.name).sort()).toEqual(['etl-driver', 'etl-exec-1', 'etl-exec-2', 'etl-exec-3']);
    const driver = pods.find(p => p.metadata.name === 'etl-driver')!;
    expect(driver.metadata.ownerReferences).toEqual([
      expect.objectContaining({ kind: 'SparkApplication', name: 'etl', controller: true }),
    ]);
    // The application's labels reach the pods, except Kueue's, as the operator passes them on.
    expect(driver.metadata.labels).toMatchObject({ 'example.com/pipeline': 'nightly', 'spark-role': 'driver' });
    for (const executor of pods.filter(p => p.metadata.labels!['spark-role'] === 'executor')) {
      expect(executor.metadata.labels!['kueue.x-k8s.io/queue-name']).toBeUndefined();
      expect(executor.metadata.labels!['example.com/pipeline']).toBe('nightly');
      expect(executor.metadata.ownerReferences).toEqual([
        expect.objectContaining({ kind: 'Pod', name: 'etl-driver', uid: driver.metadata.uid, controller: true }),
        { apiVersion: 'sparkoperator.k8s.io/v1beta2', kind: 'SparkApplication', name: 'etl', uid: expect.any(String) },
      ]);
    }
    expect(
      cluster.get('sparkoperator.k8s.io/v1beta2', 'SparkApplication', 'etl', 'team-data-eng')!.status.applicationState
        .state,
    ).toBe('RUNNING');
    await cluster.advance(110);
    expect(
      cluster.get('sparkoperator.k8s.io/v1beta2', 'SparkApplication', 'etl', 'team-data-eng')!.status.applicationState
        .state,
    ).toBe('COMPLETED');
  });

  it('StatefulSet: ordinal pod names, scaled down from the top', async () => {
    cluster = demoCluster();
    cluster.create({
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'notebook', namespace: ns },
      spec: {
        replicas: 3,
        serviceName: 'notebook',
        template: {
          spec: { containers: [{ name: 'jupyter', image: 'jupyter', resources: { requests: { cpu: '1' } } }] },
        },
      },
    });
    await cluster.advance(10);
    expect(
      cluster
        .pods()
        .map(p => p.metadata.name)
        .sort(),
    ).toEqual(['notebook-0', 'notebook-1', 'notebook-2']);
    const sts = cluster.get('apps/v1', 'StatefulSet', 'notebook')!;
    expect(sts.status).toMatchObject({ replicas: 3, readyReplicas: 3 });
    cluster.update({ ...sts, spec: { ...sts.spec, replicas: 1 } });
    await cluster.advance(5);
    expect(cluster.pods().map(p => p.metadata.name)).toEqual(['notebook-0']);
  });
});
