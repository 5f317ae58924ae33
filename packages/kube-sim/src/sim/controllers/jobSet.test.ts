import { demoCluster, h100Template } from '../testHarness';

describe('JobSet controller', () => {
  let cluster: ReturnType<typeof demoCluster>;
  afterEach(() => cluster.stop());

  const jobSet = (
    suspend: boolean,
    annotations: Record<string, string> = { 'kube-sim.io/duration-seconds': '120' },
  ) => ({
    apiVersion: 'jobset.x-k8s.io/v1alpha2',
    kind: 'JobSet',
    metadata: { name: 'llm', namespace: 'team-ml-research', labels: { 'kueue.x-k8s.io/queue-name': 'ml-research' } },
    spec: {
      suspend,
      replicatedJobs: [
        {
          name: 'workers',
          replicas: 2,
          template: {
            spec: { parallelism: 2, completions: 2, backoffLimit: 0, template: h100Template(8, annotations) },
          },
        },
      ],
    },
  });

  it('creates one child Job per replica, propagates suspend, and completes when all Jobs complete', async () => {
    cluster = demoCluster();
    cluster.create(jobSet(true));
    await cluster.advance(5);
    const jobType = cluster.store.typeFor('batch/v1', 'Job');
    let jobs = cluster.store.list(jobType, { namespace: 'team-ml-research' });
    expect(jobs.map(j => j.metadata.name).sort()).toEqual(['llm-workers-0', 'llm-workers-1']);
    expect(jobs.every(j => j.spec.suspend === true)).toBe(true);
    expect(jobs[0].metadata.labels).toMatchObject({
      'jobset.sigs.k8s.io/jobset-name': 'llm',
      'jobset.sigs.k8s.io/replicatedjob-name': 'workers',
      'jobset.sigs.k8s.io/job-index': '0',
    });
    expect(cluster.pods()).toHaveLength(0);
    let js = cluster.get('jobset.x-k8s.io/v1alpha2', 'JobSet', 'llm')!;
    expect(js.status.conditions).toContainEqual(expect.objectContaining({ type: 'Suspended', status: 'True' }));

    cluster.update({ ...js, spec: { ...js.spec, suspend: false } });
    await cluster.advance(10);
    jobs = cluster.store.list(jobType, { namespace: 'team-ml-research' });
    expect(jobs.every(j => j.spec.suspend === false)).toBe(true);
    expect(cluster.pods().filter(p => p.status.phase === 'Running')).toHaveLength(4);
    expect(cluster.pods()[0].metadata.labels!['jobset.sigs.k8s.io/jobset-name']).toBe('llm');
    js = cluster.get('jobset.x-k8s.io/v1alpha2', 'JobSet', 'llm')!;
    expect(js.status.replicatedJobsStatus).toEqual([
      expect.objectContaining({ name: 'workers', active: 2, ready: 2, suspended: 0 }),
    ]);

    await cluster.advance(130);
    js = cluster.get('jobset.x-k8s.io/v1alpha2', 'JobSet', 'llm')!;
    expect(js.status.terminalState).toBe('Completed');
    expect(js.status.conditions).toContainEqual(expect.objectContaining({ type: 'Completed', status: 'True' }));
    expect(js.status.replicatedJobsStatus[0].succeeded).toBe(2);
  });

  it('fails the JobSet when a child Job fails', async () => {
    cluster = demoCluster();
    cluster.create(jobSet(false, { 'kube-sim.io/duration-seconds': '60', 'kube-sim.io/fail': 'true' }));
    await cluster.advance(100);
    const js = cluster.get('jobset.x-k8s.io/v1alpha2', 'JobSet', 'llm')!;
    expect(js.status.terminalState).toBe('Failed');
    expect(js.status.conditions).toContainEqual(
      expect.objectContaining({ type: 'Failed', status: 'True', reason: 'FailedJobs' }),
    );
  });

  it('labels child Jobs and their pods from the replicated job template, not from the JobSet', async () => {
    cluster = demoCluster();
    const spec = jobSet(false);
    spec.spec.replicatedJobs[0].template = {
      metadata: { labels: { 'kueue.x-k8s.io/queue-name': 'from-template' } },
      spec: spec.spec.replicatedJobs[0].template.spec,
    } as (typeof spec.spec.replicatedJobs)[0]['template'];
    const created = cluster.create(spec);
    await cluster.advance(10);
    const job = cluster.get('batch/v1', 'Job', 'llm-workers-1')!;
    expect(job.metadata.ownerReferences).toEqual([
      expect.objectContaining({ kind: 'JobSet', name: 'llm', uid: created.metadata.uid, controller: true }),
    ]);
    expect(job.metadata.labels).toEqual(
      expect.objectContaining({
        'kueue.x-k8s.io/queue-name': 'from-template',
        'jobset.sigs.k8s.io/jobset-uid': created.metadata.uid,
        'jobset.sigs.k8s.io/job-index': '1',
        'jobset.sigs.k8s.io/job-global-index': '1',
        'jobset.sigs.k8s.io/global-replicas': '2',
        'jobset.sigs.k8s.io/replicatedjob-replicas': '2',
        'jobset.sigs.k8s.io/group-name': 'default',
      }),
    );
    expect(job.metadata.labels!['jobset.sigs.k8s.io/job-key']).toMatch(/^[0-9a-f]{40}$/);
    const pods = cluster.pods(undefined, 'batch.kubernetes.io/job-name=llm-workers-1');
    expect(pods).toHaveLength(2);
    // The JobSet's own queue label stays on the JobSet; the template's reaches Job and pods.
    expect(pods.every(p => p.metadata.labels!['kueue.x-k8s.io/queue-name'] === undefined)).toBe(true);
    expect(pods.every(p => p.metadata.labels!['jobset.sigs.k8s.io/jobset-name'] === 'llm')).toBe(true);
  });

  it('gives the pods the node selector and tolerations written into the JobSet while it was suspended', async () => {
    cluster = demoCluster();
    cluster.create(jobSet(true));
    await cluster.advance(5);
    const js = cluster.get('jobset.x-k8s.io/v1alpha2', 'JobSet', 'llm')!;
    const podSpec = js.spec.replicatedJobs[0].template.spec.template.spec;
    podSpec.nodeSelector = { ...podSpec.nodeSelector, 'cloud.example.com/pool': 'h100' };
    podSpec.tolerations = [...podSpec.tolerations, { key: 'reserved', operator: 'Exists', effect: 'NoSchedule' }];
    cluster.update({ ...js, spec: { ...js.spec, suspend: false } });
    await cluster.advance(10);
    const pods = cluster.pods();
    expect(pods).toHaveLength(4);
    for (const pod of pods) {
      expect(pod.spec.nodeSelector).toEqual({
        'nvidia.com/gpu.product': 'NVIDIA-H100-80GB-HBM3',
        'cloud.example.com/pool': 'h100',
      });
      expect(pod.spec.tolerations).toContainEqual({ key: 'reserved', operator: 'Exists', effect: 'NoSchedule' });
    }
  });
});
