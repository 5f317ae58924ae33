import { demoCluster } from '../testHarness';

describe('CronJob controller', () => {
  let cluster: ReturnType<typeof demoCluster>;
  afterEach(() => cluster.stop());
  const ns = 'team-data-eng';
  const jobs = () =>
    cluster.store
      .list(cluster.store.typeFor('batch/v1', 'Job'), { namespace: ns })
      .sort((a, b) => (a.metadata.name! < b.metadata.name! ? -1 : 1));

  const cronJob = (spec: Record<string, unknown> = {}) => ({
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: 'nightly', namespace: ns, labels: { 'kueue.x-k8s.io/queue-name': 'data-eng' } },
    spec: {
      schedule: '*/10 * * * *',
      jobTemplate: {
        metadata: { labels: { 'kueue.x-k8s.io/queue-name': 'data-eng', app: 'etl' } },
        spec: {
          template: {
            metadata: { annotations: { 'kube-sim.io/duration-seconds': '120' } },
            spec: {
              restartPolicy: 'Never',
              containers: [{ name: 'etl', image: 'etl:1', resources: { requests: { cpu: '1' } } }],
            },
          },
        },
      },
      ...spec,
    },
  });

  it('makes a Job it owns at each scheduled time, with the job template labels and the scheduled time', async () => {
    cluster = demoCluster();
    const created = cluster.create(cronJob());
    // The harness starts at 00:00:00; the next run is at 00:10.
    await cluster.advance(9 * 60, 30);
    expect(jobs()).toHaveLength(0);
    await cluster.advance(60, 30);
    const [job] = jobs();
    const minutes = Math.floor(Date.parse('2026-01-01T00:10:00Z') / 60_000);
    expect(job.metadata.name).toBe(`nightly-${minutes}`);
    expect(job.metadata.ownerReferences).toEqual([
      expect.objectContaining({ kind: 'CronJob', name: 'nightly', uid: created.metadata.uid, controller: true }),
    ]);
    expect(job.metadata.labels).toEqual({ 'kueue.x-k8s.io/queue-name': 'data-eng', app: 'etl' });
    expect(job.metadata.annotations).toMatchObject({
      'batch.kubernetes.io/cronjob-scheduled-timestamp': '2026-01-01T00:10:00Z',
    });
    let status = cluster.get('batch/v1', 'CronJob', 'nightly', ns)!.status;
    expect(status.lastScheduleTime).toBe('2026-01-01T00:10:00Z');
    expect(status.active).toEqual([expect.objectContaining({ name: job.metadata.name, uid: job.metadata.uid })]);
    expect(cluster.pods(ns, `batch.kubernetes.io/job-name=${job.metadata.name}`)).toHaveLength(1);

    await cluster.advance(10 * 60, 30);
    expect(jobs()).toHaveLength(2);
    status = cluster.get('batch/v1', 'CronJob', 'nightly', ns)!.status;
    expect(status.lastSuccessfulTime).toBeDefined();
    expect(status.active).toHaveLength(1);
  });

  it('keeps three succeeded Jobs and makes none while suspended', async () => {
    cluster = demoCluster();
    cluster.create(cronJob());
    await cluster.advance(60 * 60, 60);
    // Six runs so far: the one of 01:00 is running, the oldest two succeeded ones are gone.
    expect(jobs().filter(j => j.status?.succeeded === 1)).toHaveLength(3);
    expect(jobs()).toHaveLength(4);
    const cj = cluster.get('batch/v1', 'CronJob', 'nightly', ns)!;
    cluster.update({ ...cj, spec: { ...cj.spec, suspend: true } });
    await cluster.advance(30 * 60, 60);
    expect(jobs().map(j => j.metadata.name)).toEqual(
      [40, 50, 60].map(m => `nightly-${Math.floor(Date.parse('2026-01-01T00:00:00Z') / 60_000) + m}`),
    );
  });

  it('Forbid skips a time while the previous Job runs', async () => {
    cluster = demoCluster();
    const long = cronJob({ concurrencyPolicy: 'Forbid', schedule: '* * * * *' });
    long.spec.jobTemplate.spec.template.metadata.annotations['kube-sim.io/duration-seconds'] = '150';
    cluster.create(long);
    await cluster.advance(4 * 60 - 10, 5);
    // 00:01 runs until about 00:03:35; 00:02 is skipped, and 00:03, the latest missed time, runs late.
    const minute0 = Math.floor(Date.parse('2026-01-01T00:00:00Z') / 60_000);
    expect(jobs().map(j => j.metadata.name)).toEqual([`nightly-${minute0 + 1}`, `nightly-${minute0 + 3}`]);
  });
});
