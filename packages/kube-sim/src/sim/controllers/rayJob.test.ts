import { KubeObject } from '../../store/types';
import { demoCluster, h100Template } from '../testHarness';

describe('RayJob and RayCluster controllers', () => {
  let cluster: ReturnType<typeof demoCluster>;
  afterEach(() => cluster.stop());
  const ns = 'team-ml-research';
  const queueLabel = { 'kueue.x-k8s.io/queue-name': 'ml-research' };

  const rayJob = (
    suspend: boolean,
    annotations: Record<string, string> = { 'kube-sim.io/duration-seconds': '100' },
  ) => ({
    apiVersion: 'ray.io/v1',
    kind: 'RayJob',
    metadata: { name: 'tune', namespace: ns, labels: queueLabel, annotations },
    spec: {
      suspend,
      entrypoint: 'python tune.py',
      shutdownAfterJobFinishes: true,
      rayClusterSpec: {
        headGroupSpec: {
          template: {
            metadata: { labels: { 'example.com/role': 'head' } },
            spec: {
              containers: [{ name: 'ray-head', image: 'rayproject/ray', resources: { requests: { cpu: '2' } } }],
            },
          },
        },
        workerGroupSpecs: [{ groupName: 'gpu', replicas: 2, template: h100Template(4) }],
      },
    },
  });
  const rayJobOf = () => cluster.get('ray.io/v1', 'RayJob', 'tune')!;
  const rayClusters = () => cluster.store.list(cluster.store.typeFor('ray.io/v1', 'RayCluster'), { namespace: ns });
  const rayPods = () => cluster.pods(ns, 'ray.io/is-ray-node=yes');

  it('runs on a RayCluster it owns, labelled with its labels; the pods belong to the cluster', async () => {
    cluster = demoCluster();
    const created = cluster.create(rayJob(false));
    await cluster.advance(15);
    const [rc] = rayClusters();
    expect(rc.metadata.name).toMatch(/^tune-[a-z0-9]{5}$/);
    expect(rc.metadata.ownerReferences).toEqual([
      expect.objectContaining({ kind: 'RayJob', name: 'tune', uid: created.metadata.uid, controller: true }),
    ]);
    expect(rc.metadata.labels).toEqual({
      ...queueLabel,
      'ray.io/originated-from-cr-name': 'tune',
      'ray.io/originated-from-crd': 'RayJob',
      'ray.io/job-submission-mode': 'K8sJobMode',
    });
    expect(rc.status).toMatchObject({ state: 'ready', desiredWorkerReplicas: 2, readyWorkerReplicas: 2 });

    const pods = rayPods();
    expect(pods).toHaveLength(3);
    for (const pod of pods) {
      expect(pod.metadata.ownerReferences).toEqual([
        expect.objectContaining({ kind: 'RayCluster', name: rc.metadata.name, controller: true }),
      ]);
      expect(pod.metadata.labels!['kueue.x-k8s.io/queue-name']).toBeUndefined();
      expect(pod.metadata.labels).toMatchObject({ 'ray.io/cluster': rc.metadata.name, 'ray.io/is-ray-node': 'yes' });
    }
    const head = pods.find(p => p.metadata.labels!['ray.io/node-type'] === 'head')!;
    expect(head.metadata.name).toMatch(new RegExp(`^${rc.metadata.name}-head-[a-z0-9]{5}$`));
    expect(head.metadata.labels).toMatchObject({ 'ray.io/group': 'headgroup', 'example.com/role': 'head' });
    expect(
      pods.filter(p => p.metadata.labels!['ray.io/group'] === 'gpu').every(p => /h100/.test(p.spec.nodeName)),
    ).toBe(true);

    const submitter = cluster.get('batch/v1', 'Job', 'tune')!;
    expect(submitter.metadata.ownerReferences).toEqual([expect.objectContaining({ kind: 'RayJob', controller: true })]);
    expect(submitter.metadata.labels).toEqual({
      'ray.io/originated-from-cr-name': 'tune',
      'ray.io/originated-from-crd': 'RayJob',
      'app.kubernetes.io/created-by': 'kuberay-operator',
    });
    expect(rayJobOf().status).toMatchObject({
      jobDeploymentStatus: 'Running',
      jobStatus: 'RUNNING',
      rayClusterName: rc.metadata.name,
    });
  });

  it('completes when the submitted job ends and then deletes its cluster', async () => {
    cluster = demoCluster();
    cluster.create(rayJob(false));
    await cluster.advance(130);
    expect(rayJobOf().status).toMatchObject({ jobDeploymentStatus: 'Complete', jobStatus: 'SUCCEEDED' });
    expect(rayClusters()).toHaveLength(0);
    expect(rayPods()).toHaveLength(0);
  });

  it('fails when the submitted job fails', async () => {
    cluster = demoCluster();
    cluster.create(rayJob(false, { 'kube-sim.io/duration-seconds': '30', 'kube-sim.io/fail': 'true' }));
    await cluster.advance(60);
    expect(rayJobOf().status).toMatchObject({ jobDeploymentStatus: 'Failed', jobStatus: 'FAILED' });
    expect(rayClusters()).toHaveLength(0);
  });

  it('suspended, it has no cluster; resumed with injected node selectors, a new cluster carries them to the pods', async () => {
    cluster = demoCluster();
    cluster.create(rayJob(true));
    await cluster.advance(10);
    expect(rayClusters()).toHaveLength(0);
    expect(rayJobOf().status).toMatchObject({ jobDeploymentStatus: 'Suspended' });

    const job = rayJobOf();
    const admitted: KubeObject = structuredClone(job);
    admitted.spec.suspend = false;
    admitted.spec.rayClusterSpec.workerGroupSpecs[0].template.spec.nodeSelector['topology.kubernetes.io/zone'] =
      'us-east-1a';
    cluster.update(admitted);
    await cluster.advance(15);
    const workers = cluster.pods(ns, 'ray.io/node-type=worker');
    expect(workers).toHaveLength(2);
    expect(workers.every(p => p.spec.nodeSelector['topology.kubernetes.io/zone'] === 'us-east-1a')).toBe(true);
    expect(rayJobOf().status.jobDeploymentStatus).toBe('Running');

    // Suspending again deletes the cluster and the submitter, and with them every pod.
    const running = rayJobOf();
    cluster.update({ ...running, spec: { ...running.spec, suspend: true } });
    await cluster.advance(5);
    expect(rayClusters()).toHaveLength(0);
    expect(cluster.get('batch/v1', 'Job', 'tune')).toBeUndefined();
    expect(cluster.pods()).toHaveLength(0);
    expect(rayJobOf().status).toMatchObject({ jobDeploymentStatus: 'Suspended', rayClusterName: '' });
  });

  it('a RayCluster of its own is suspended through spec.suspend', async () => {
    cluster = demoCluster();
    const spec = rayJob(false).spec.rayClusterSpec;
    cluster.create({ apiVersion: 'ray.io/v1', kind: 'RayCluster', metadata: { name: 'nb', namespace: ns }, spec });
    await cluster.advance(10);
    expect(rayPods()).toHaveLength(3);
    const rc = cluster.get('ray.io/v1', 'RayCluster', 'nb')!;
    cluster.update({ ...rc, spec: { ...rc.spec, suspend: true } });
    await cluster.advance(5);
    expect(rayPods()).toHaveLength(0);
    expect(cluster.get('ray.io/v1', 'RayCluster', 'nb')!.status.state).toBe('suspended');
  });
});
