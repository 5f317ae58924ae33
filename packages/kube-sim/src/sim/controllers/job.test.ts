import { demoCluster, h100Template } from '../testHarness';

describe('Job controller', () => {
  let cluster: ReturnType<typeof demoCluster>;
  afterEach(() => cluster.stop());

  const job = (name: string, spec: Record<string, unknown>) => ({
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, namespace: 'team-ml-research', labels: { 'kueue.x-k8s.io/queue-name': 'ml-research' } },
    spec: { template: h100Template(8, { 'kube-sim.io/duration-seconds': '300' }), ...spec },
  });

  it('runs parallelism pods with job labels and owner references until completions are reached', async () => {
    cluster = demoCluster();
    cluster.create(job('train', { parallelism: 2, completions: 2 }));
    await cluster.advance(10);
    const pods = cluster.pods();
    expect(pods).toHaveLength(2);
    const created = cluster.get('batch/v1', 'Job', 'train')!;
    for (const pod of pods) {
      expect(pod.metadata.name).toMatch(/^train-[a-z0-9]{5}$/);
      expect(pod.metadata.labels).toMatchObject({
        'job-name': 'train',
        'batch.kubernetes.io/job-name': 'train',
        'controller-uid': created.metadata.uid,
      });
      expect(pod.metadata.ownerReferences).toEqual([
        expect.objectContaining({ kind: 'Job', name: 'train', uid: created.metadata.uid, controller: true }),
      ]);
      expect(pod.status.phase).toBe('Running');
    }
    expect(cluster.get('batch/v1', 'Job', 'train')!.status).toMatchObject({
      active: 2,
      ready: 2,
      startTime: expect.any(String),
    });
    await cluster.advance(310);
    const done = cluster.get('batch/v1', 'Job', 'train')!;
    expect(done.status).toMatchObject({ active: 0, succeeded: 2, completionTime: expect.any(String) });
    expect(done.status.conditions).toContainEqual(expect.objectContaining({ type: 'Complete', status: 'True' }));
  });

  it('deletes active pods when suspended and recreates them with the injected node selector on resume', async () => {
    cluster = demoCluster();
    cluster.create(job('gang', { parallelism: 2, completions: 2 }));
    await cluster.advance(10);
    expect(cluster.pods().filter(p => p.status.phase === 'Running')).toHaveLength(2);

    let current = cluster.get('batch/v1', 'Job', 'gang')!;
    cluster.update({ ...current, spec: { ...current.spec, suspend: true } });
    await cluster.advance(5);
    expect(cluster.pods()).toHaveLength(0);
    current = cluster.get('batch/v1', 'Job', 'gang')!;
    expect(current.status.active).toBe(0);
    expect(current.status.conditions).toContainEqual(
      expect.objectContaining({ type: 'Suspended', status: 'True', reason: 'JobSuspended' }),
    );

    // An admission controller picks a flavor while the Job is suspended, then resumes it.
    const template = structuredClone(current.spec.template);
    template.spec.nodeSelector = {
      'nvidia.com/gpu.product': 'NVIDIA-H100-80GB-HBM3',
      'topology.kubernetes.io/zone': 'us-east-1b',
    };
    cluster.update({ ...current, spec: { ...current.spec, suspend: false, template } });
    await cluster.advance(10);
    const pods = cluster.pods();
    expect(pods).toHaveLength(2);
    for (const pod of pods) {
      expect(pod.spec.nodeSelector['topology.kubernetes.io/zone']).toBe('us-east-1b');
      expect(
        cluster.get('v1', 'Node', pod.spec.nodeName, undefined)!.metadata.labels!['topology.kubernetes.io/zone'],
      ).toBe('us-east-1b');
    }
    current = cluster.get('batch/v1', 'Job', 'gang')!;
    expect(current.status.conditions).toContainEqual(
      expect.objectContaining({ type: 'Suspended', status: 'False', reason: 'JobResumed' }),
    );
    expect(current.status.active).toBe(2);
  });

  it('creates no pods for a Job submitted suspended', async () => {
    cluster = demoCluster();
    cluster.create(job('queued', { suspend: true, parallelism: 4 }));
    await cluster.advance(30);
    expect(cluster.pods()).toHaveLength(0);
  });

  it('replaces failed pods until the backoff limit, then fails the Job', async () => {
    cluster = demoCluster();
    cluster.create({
      ...job('flaky', { backoffLimit: 1 }),
      spec: {
        backoffLimit: 1,
        template: h100Template(1, { 'kube-sim.io/duration-seconds': '20', 'kube-sim.io/fail': 'true' }),
      },
    });
    await cluster.advance(200);
    const failed = cluster.get('batch/v1', 'Job', 'flaky')!;
    expect(failed.status.failed).toBe(2);
    expect(failed.status.conditions).toContainEqual(
      expect.objectContaining({ type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded' }),
    );
  });

  it('names Indexed pods with their completion index', async () => {
    cluster = demoCluster();
    cluster.create(job('indexed', { completionMode: 'Indexed', parallelism: 3, completions: 3 }));
    await cluster.settle();
    const indexes = cluster
      .pods()
      .map(p => p.metadata.annotations!['batch.kubernetes.io/job-completion-index'])
      .sort();
    expect(indexes).toEqual(['0', '1', '2']);
    expect(cluster.pods().every(p => /^indexed-[0-2]-[a-z0-9]{5}$/.test(p.metadata.name!))).toBe(true);
  });

  it('deletes its pods when the Job is deleted', async () => {
    cluster = demoCluster();
    cluster.create(job('gone', { parallelism: 2 }));
    await cluster.advance(10);
    cluster.store.delete(cluster.store.typeFor('batch/v1', 'Job'), 'team-ml-research', 'gone');
    await cluster.settle();
    expect(cluster.pods()).toHaveLength(0);
  });

  it('adds or removes pods when a running Job changes its parallelism, without restarting the others', async () => {
    cluster = demoCluster();
    cluster.create(job('elastic', { parallelism: 2, completions: 16 }));
    await cluster.advance(10);
    const first = cluster.pods().map(p => p.metadata.uid);
    expect(first).toHaveLength(2);
    const resize = async (parallelism: number) => {
      const current = cluster.get('batch/v1', 'Job', 'elastic')!;
      cluster.update({ ...current, spec: { ...current.spec, parallelism } });
      await cluster.advance(10);
      return cluster.pods().filter(p => p.status.phase === 'Running');
    };
    const grown = await resize(4);
    expect(grown).toHaveLength(4);
    expect(grown.map(p => p.metadata.uid)).toEqual(expect.arrayContaining(first));
    expect(cluster.get('batch/v1', 'Job', 'elastic')!.status).toMatchObject({ active: 4 });
    const shrunk = await resize(2);
    expect(shrunk.map(p => p.metadata.uid).sort()).toEqual([...first].sort());
    expect(cluster.get('batch/v1', 'Job', 'elastic')!.status).toMatchObject({ active: 2 });
  });

  it('leaves pods with scheduling gates unscheduled until the gates are removed', async () => {
    cluster = demoCluster();
    const gatedJob = job('gated', { parallelism: 2 });
    const template = gatedJob.spec.template;
    cluster.create({
      ...gatedJob,
      spec: {
        ...gatedJob.spec,
        template: { ...template, spec: { ...template.spec, schedulingGates: [{ name: 'example.com/wait' }] } },
      },
    });
    await cluster.advance(10);
    const [one, two] = cluster.pods();
    for (const pod of [one, two]) {
      expect(pod.spec.nodeName).toBeUndefined();
      expect(pod.status.conditions).toContainEqual(
        expect.objectContaining({ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }),
      );
    }
    const current = cluster.get('v1', 'Pod', one.metadata.name!)!;
    cluster.update({ ...current, spec: { ...current.spec, schedulingGates: [] } });
    await cluster.advance(10);
    const phases = Object.fromEntries(cluster.pods().map(p => [p.metadata.name, p.status.phase]));
    expect(phases).toEqual({ [one.metadata.name!]: 'Running', [two.metadata.name!]: 'Pending' });
    // Scaled down, the Job removes the pod that has not started, not the running one.
    const gatedNow = cluster.get('batch/v1', 'Job', 'gated')!;
    cluster.update({ ...gatedNow, spec: { ...gatedNow.spec, parallelism: 1 } });
    await cluster.advance(10);
    expect(cluster.pods().map(p => [p.metadata.name, p.status.phase])).toEqual([[one.metadata.name, 'Running']]);
  });
});
