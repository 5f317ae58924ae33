import path from 'node:path';
import { loadFleetFile } from '../fleet/parseFleet';
import { demoCluster } from './testHarness';
import { WorkloadGenerator } from './generator';

const fleet = loadFleetFile(path.resolve(__dirname, '../../../../examples/fleet/demo.yaml'));

describe('workload generator', () => {
  let cluster: ReturnType<typeof demoCluster>;
  afterEach(() => cluster.stop());

  it('submits the initial workloads of every stream for the cluster, labelled for team and queue', async () => {
    cluster = demoCluster();
    const generator = new WorkloadGenerator(cluster.store, cluster.clock, 'gpu-east', fleet.generator!);
    generator.start();
    await cluster.advance(60);
    const list = (apiVersion: string, kind: string) => cluster.store.list(cluster.store.typeFor(apiVersion, kind));
    const jobSets = list('jobset.x-k8s.io/v1alpha2', 'JobSet');
    expect(jobSets.length).toBeGreaterThanOrEqual(1);
    expect(jobSets[0].metadata.labels).toMatchObject({
      'ai-platform.io/team': 'ml-research',
      'kueue.x-k8s.io/queue-name': 'ml-research',
      'ai-platform.io/workload-type': 'training-job',
    });
    const gpus = jobSets[0].spec.replicatedJobs[0].replicas * 8;
    expect(gpus).toBeGreaterThanOrEqual(8);
    expect(gpus).toBeLessThanOrEqual(32);
    // InferenceServices are limited to gpu-west in the demo fleet; agents and notebooks to gpu-east.
    expect(list('serving.kserve.io/v1beta1', 'InferenceService')).toHaveLength(0);
    expect(list('apps/v1', 'Deployment').filter(d => d.metadata.namespace === 'team-agents')).toHaveLength(3);
    // Notebooks; a LeaderWorkerSet's StatefulSets are its own.
    expect(list('apps/v1', 'StatefulSet').filter(o => !o.metadata.ownerReferences)).toHaveLength(2);
    expect(list('sparkoperator.k8s.io/v1beta2', 'SparkApplication').length).toBeGreaterThanOrEqual(1);
    const running = cluster.store.list(cluster.store.typeFor('v1', 'Pod')).filter(p => p.status?.phase === 'Running');
    expect(running.length).toBeGreaterThan(5);
    generator.stop();
  });

  it('claims the GPUs of a deviceClass stream through DRA: a template per stream, allocated claims on a MIG node', async () => {
    cluster = demoCluster();
    const dra = fleet.generator!.streams.filter(s => s.deviceClass);
    expect(dra).toHaveLength(1);
    const generator = new WorkloadGenerator(cluster.store, cluster.clock, 'gpu-east', {
      seed: 3,
      streams: [{ ...dra[0], initial: 2 }],
    });
    generator.start();
    await cluster.advance(60);
    const list = (apiVersion: string, kind: string) => cluster.store.list(cluster.store.typeFor(apiVersion, kind));
    const [template, ...more] = list('resource.k8s.io/v1', 'ResourceClaimTemplate');
    expect(more).toHaveLength(0);
    expect(template.spec.spec.devices.requests).toEqual([
      { name: 'gpus', exactly: { deviceClassName: 'mig-1g.10gb.nvidia.com', count: 2 } },
    ]);
    const jobs = list('batch/v1', 'Job');
    expect(jobs).toHaveLength(2);
    for (const job of jobs) {
      const spec = job.spec.template.spec;
      expect(spec.resourceClaims).toEqual([{ name: 'gpus', resourceClaimTemplateName: template.metadata.name }]);
      expect(Object.keys(spec.containers[0].resources.requests)).toEqual(['cpu', 'memory']);
    }
    const pods = list('v1', 'Pod').filter(p => p.status?.phase === 'Running');
    const claims = list('resource.k8s.io/v1', 'ResourceClaim');
    expect(pods.length).toBeGreaterThanOrEqual(4);
    expect(claims).toHaveLength(pods.length);
    for (const claim of claims) expect(claim.status.allocation.devices.results).toHaveLength(2);
    expect(new Set(pods.map(p => p.spec.nodeName.replace(/-\d+$/, '')))).toEqual(new Set(['gpu-east-a100-mig']));
    generator.stop();
  });

  it('keeps submitting at the stream rates, never above maxActive', async () => {
    cluster = demoCluster();
    const generator = new WorkloadGenerator(cluster.store, cluster.clock, 'gpu-east', fleet.generator!);
    generator.start();
    await cluster.advance(12 * 3600, 300);
    const spark = cluster.store.list(cluster.store.typeFor('sparkoperator.k8s.io/v1beta2', 'SparkApplication'));
    const finished = spark.filter(s => ['COMPLETED', 'FAILED'].includes(s.status?.applicationState?.state));
    expect(finished.length).toBeGreaterThan(3);
    expect(spark.length - finished.length).toBeLessThanOrEqual(4);
    const agents = cluster.store
      .list(cluster.store.typeFor('apps/v1', 'Deployment'))
      .filter(d => d.metadata.namespace === 'team-agents');
    const agentStream = fleet.generator!.streams.find(s => s.team === 'agents' && s.kind === 'Deployment')!;
    expect(agents.length).toBeLessThanOrEqual(agentStream.maxActive!);
    generator.stop();
  });

  it('does not submit the initial batch again over restored workloads', async () => {
    cluster = demoCluster();
    const first = new WorkloadGenerator(cluster.store, cluster.clock, 'gpu-east', fleet.generator!);
    first.start();
    first.stop();
    const statefulSets = () => cluster.store.list(cluster.store.typeFor('apps/v1', 'StatefulSet')).length;
    expect(statefulSets()).toBe(2);
    const second = new WorkloadGenerator(cluster.store, cluster.clock, 'gpu-east', fleet.generator!);
    second.start();
    expect(statefulSets()).toBe(2);
    second.stop();
  });
});
