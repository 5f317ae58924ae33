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
      'kueue.x-k8s.io/queue-name': 'ml-research',
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
});
