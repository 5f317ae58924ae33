import { demoCluster, h100Template } from '../testHarness';

describe('LeaderWorkerSet controller', () => {
  let cluster: ReturnType<typeof demoCluster>;
  afterEach(() => cluster.stop());
  const ns = 'team-llm-serving';
  const queueLabel = { 'kueue.x-k8s.io/queue-name': 'llm-serving' };
  const sts = (name: string) => cluster.get('apps/v1', 'StatefulSet', name, ns);
  const lwsOf = () => cluster.get('leaderworkerset.x-k8s.io/v1', 'LeaderWorkerSet', 'vllm', ns)!;
  const podNames = () =>
    cluster
      .pods(ns)
      .map(p => p.metadata.name)
      .sort();

  const create = (replicas: number) =>
    cluster.create({
      apiVersion: 'leaderworkerset.x-k8s.io/v1',
      kind: 'LeaderWorkerSet',
      metadata: { name: 'vllm', namespace: ns, labels: queueLabel },
      spec: { replicas, leaderWorkerTemplate: { size: 3, workerTemplate: h100Template(8) } },
    });

  it('runs a leader StatefulSet it owns and, per leader pod, a worker StatefulSet that pod owns', async () => {
    cluster = demoCluster();
    const lws = create(2);
    await cluster.advance(15);
    const leaders = sts('vllm')!;
    expect(leaders.metadata.ownerReferences).toEqual([
      expect.objectContaining({ kind: 'LeaderWorkerSet', name: 'vllm', uid: lws.metadata.uid, controller: true }),
    ]);
    expect(leaders.metadata.labels).toMatchObject({ ...queueLabel, 'leaderworkerset.sigs.k8s.io/name': 'vllm' });
    expect(leaders.spec.replicas).toBe(2);

    const leaderPod = cluster.get('v1', 'Pod', 'vllm-1', ns)!;
    expect(leaderPod.metadata.ownerReferences).toEqual([
      expect.objectContaining({ kind: 'StatefulSet', name: 'vllm', controller: true }),
    ]);
    expect(leaderPod.metadata.labels).toMatchObject({
      'leaderworkerset.sigs.k8s.io/name': 'vllm',
      'leaderworkerset.sigs.k8s.io/worker-index': '0',
      'leaderworkerset.sigs.k8s.io/group-index': '1',
    });
    const workers = sts('vllm-1')!;
    expect(workers.metadata.ownerReferences).toEqual([
      expect.objectContaining({ kind: 'Pod', name: 'vllm-1', uid: leaderPod.metadata.uid, controller: true }),
    ]);
    expect(workers.metadata.labels).toMatchObject({
      ...queueLabel,
      'leaderworkerset.sigs.k8s.io/group-index': '1',
      'leaderworkerset.sigs.k8s.io/group-key': leaderPod.metadata.labels!['leaderworkerset.sigs.k8s.io/group-key'],
    });
    expect(workers.spec.replicas).toBe(2);

    expect(podNames()).toEqual(['vllm-0', 'vllm-0-1', 'vllm-0-2', 'vllm-1', 'vllm-1-1', 'vllm-1-2']);
    const worker = cluster.get('v1', 'Pod', 'vllm-1-2', ns)!;
    expect(worker.metadata.ownerReferences).toEqual([expect.objectContaining({ kind: 'StatefulSet', name: 'vllm-1' })]);
    expect(worker.metadata.labels).toMatchObject({
      'leaderworkerset.sigs.k8s.io/worker-index': '2',
      'leaderworkerset.sigs.k8s.io/group-index': '1',
    });
    expect(worker.metadata.annotations).toMatchObject({ 'leaderworkerset.sigs.k8s.io/leader-name': 'vllm-1' });
    expect(cluster.pods(ns).every(p => p.status.phase === 'Running')).toBe(true);
    expect(lwsOf().status).toMatchObject({ replicas: 2, readyReplicas: 2 });
    expect(lwsOf().status.conditions).toContainEqual(expect.objectContaining({ type: 'Available', status: 'True' }));
  });

  it('scaled to 0 it has no pods; scaled back up, node selectors written meanwhile reach leaders and workers', async () => {
    cluster = demoCluster();
    create(1);
    await cluster.advance(15);
    expect(podNames()).toEqual(['vllm-0', 'vllm-0-1', 'vllm-0-2']);
    let lws = lwsOf();
    cluster.update({ ...lws, spec: { ...lws.spec, replicas: 0 } });
    await cluster.advance(5);
    expect(sts('vllm')!.spec.replicas).toBe(0);
    expect(sts('vllm-0')).toBeUndefined();
    expect(cluster.pods(ns)).toHaveLength(0);
    expect(lwsOf().status).toMatchObject({ replicas: 0, readyReplicas: 0 });

    lws = lwsOf();
    const template = structuredClone(lws.spec.leaderWorkerTemplate.workerTemplate);
    template.spec.nodeSelector['topology.kubernetes.io/zone'] = 'us-east-1b';
    cluster.update({
      ...lws,
      spec: {
        ...lws.spec,
        replicas: 1,
        leaderWorkerTemplate: { ...lws.spec.leaderWorkerTemplate, workerTemplate: template },
      },
    });
    await cluster.advance(15);
    const pods = cluster.pods(ns);
    expect(pods).toHaveLength(3);
    expect(pods.every(p => p.spec.nodeSelector['topology.kubernetes.io/zone'] === 'us-east-1b')).toBe(true);
  });
});
