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
