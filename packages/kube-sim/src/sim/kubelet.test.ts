import { demoCluster, h100Template } from './testHarness';

describe('scheduler and kubelet', () => {
  let cluster: ReturnType<typeof demoCluster>;
  afterEach(() => cluster.stop());

  const gpuPod = (name: string, gpus: number, annotations: Record<string, string> = {}) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'team-ml-research', annotations },
    spec: h100Template(gpus).spec,
  });

  it('binds, starts and completes a pod after its duration, with events', async () => {
    cluster = demoCluster();
    cluster.create(gpuPod('train', 8, { 'kube-sim.io/duration-seconds': '60' }));
    await cluster.settle();
    let pod = cluster.get('v1', 'Pod', 'train')!;
    expect(pod.spec.nodeName).toMatch(/^gpu-east-h100-/);
    expect(pod.status.conditions).toContainEqual(expect.objectContaining({ type: 'PodScheduled', status: 'True' }));
    await cluster.advance(10);
    pod = cluster.get('v1', 'Pod', 'train')!;
    expect(pod.status.phase).toBe('Running');
    expect(pod.status.startTime).toBeDefined();
    expect(pod.status.containerStatuses[0].state.running).toBeDefined();
    expect(pod.status.conditions).toContainEqual(expect.objectContaining({ type: 'Ready', status: 'True' }));
    expect(cluster.sim.devices.ofPod('team-ml-research/train')).toHaveLength(8);
    await cluster.advance(60);
    pod = cluster.get('v1', 'Pod', 'train')!;
    expect(pod.status.phase).toBe('Succeeded');
    expect(pod.status.containerStatuses[0].state.terminated.exitCode).toBe(0);
    expect(cluster.sim.devices.ofPod('team-ml-research/train')).toHaveLength(0);
    expect(cluster.events('Scheduled')).toHaveLength(1);
    expect(cluster.events('Started')).toHaveLength(1);
    expect(cluster.events('Completed')).toHaveLength(1);
  });

  it('runs a pod for its duration from the moment it started, not from its whole-second startTime', async () => {
    cluster = demoCluster();
    await cluster.advance(0.7, 0.7); // the pod starts 5 s later, at .7 of a second
    cluster.create(gpuPod('short', 1, { 'kube-sim.io/duration-seconds': '0.4' }));
    await cluster.advance(5, 5);
    expect(cluster.get('v1', 'Pod', 'short')!.status.phase).toBe('Running');
    await cluster.advance(0.3, 0.3); // 0.3 s after it started: still running
    expect(cluster.get('v1', 'Pod', 'short')!.status.phase).toBe('Running');
    await cluster.advance(0.2, 0.2); // 0.5 s after it started: done
    expect(cluster.get('v1', 'Pod', 'short')!.status.phase).toBe('Succeeded');
  });

  it('fails a pod annotated kube-sim.io/fail', async () => {
    cluster = demoCluster();
    cluster.create(gpuPod('doomed', 1, { 'kube-sim.io/duration-seconds': '100', 'kube-sim.io/fail': 'true' }));
    await cluster.advance(120);
    const pod = cluster.get('v1', 'Pod', 'doomed')!;
    expect(pod.status.phase).toBe('Failed');
    expect(pod.status.containerStatuses[0].state.terminated.exitCode).toBe(1);
  });

  it('marks a pod Unschedulable with a FailedScheduling event, then binds it when GPUs free up', async () => {
    cluster = demoCluster();
    for (let i = 0; i < 8; i++) cluster.create(gpuPod(`full-${i}`, 8, { 'kube-sim.io/duration-seconds': '30' }));
    cluster.create(gpuPod('waiting', 8, { 'kube-sim.io/duration-seconds': '30' }));
    await cluster.settle();
    let waiting = cluster.get('v1', 'Pod', 'waiting')!;
    expect(waiting.spec.nodeName).toBeUndefined();
    expect(waiting.status.conditions).toContainEqual(
      expect.objectContaining({
        type: 'PodScheduled',
        status: 'False',
        reason: 'Unschedulable',
        message: expect.stringContaining('Insufficient nvidia.com/gpu'),
      }),
    );
    expect(cluster.events('FailedScheduling')).toHaveLength(1);
    await cluster.advance(40);
    await new Promise(r => setTimeout(r, 300)); // the retry of unschedulable pods runs on real time
    await cluster.settle();
    waiting = cluster.get('v1', 'Pod', 'waiting')!;
    expect(waiting.spec.nodeName).toMatch(/^gpu-east-h100-/);
  });

  it('keeps pods of services running', async () => {
    cluster = demoCluster();
    cluster.create({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'api', namespace: 'team-agents' },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'api' } },
        template: {
          metadata: { labels: { app: 'api' } },
          spec: { containers: [{ name: 'api', image: 'x', resources: { requests: { cpu: '1' } } }] },
        },
      },
    });
    await cluster.advance(7200, 600);
    const pods = cluster.pods('team-agents');
    expect(pods).toHaveLength(2);
    expect(pods.every(p => p.status.phase === 'Running')).toBe(true);
    expect(pods[0].metadata.name).toMatch(/^api-[bcdfghjklmnpqrstvwxz2456789]{10}-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    const rs = cluster.store.list(cluster.store.typeFor('apps/v1', 'ReplicaSet'), { namespace: 'team-agents' });
    expect(rs).toHaveLength(1);
    expect(rs[0].metadata.ownerReferences).toEqual([expect.objectContaining({ kind: 'Deployment', name: 'api' })]);
    expect(pods.every(p => p.metadata.ownerReferences?.[0].uid === rs[0].metadata.uid)).toBe(true);
    expect(rs[0].status).toMatchObject({ replicas: 2, readyReplicas: 2 });
    const deployment = cluster.get('apps/v1', 'Deployment', 'api', 'team-agents')!;
    expect(deployment.status).toMatchObject({ replicas: 2, readyReplicas: 2, availableReplicas: 2 });
  });
});
