import { mockServices } from '@backstage/backend-test-utils';
import type { KubeObject } from '@ai-platform/kube-sim';
import { builtinWorkloadKinds } from '../workloads/adapters';
import { jobAdapter } from '../workloads/adapters/batch';
import { admissionAnnotation } from '../workloads/admissionAnnotation';
import { ClusterController } from './ClusterController';
import { eventually, fixture, MemoryDecisionStore, SimCluster } from './__testUtils__/kubeSimCluster';

jest.setTimeout(60_000);

const fastLease = { durationMs: 1_500, renewMs: 300 };

function job(name: string, parallelism: number, priorityClass?: string): KubeObject {
  const [j] = fixture('job.yaml');
  j.metadata.name = name;
  if (priorityClass) j.metadata.labels = { ...j.metadata.labels, 'kueue.x-k8s.io/priority-class': priorityClass };
  (j.spec as { parallelism: number }).parallelism = parallelism;
  return j;
}

describe('ClusterController against kube-sim', () => {
  let sim: SimCluster;
  let store: MemoryDecisionStore;
  const controllers: ClusterController[] = [];

  function controller(identity = 'replica-1', adapters = builtinWorkloadKinds) {
    const c = new ClusterController({
      connection: { name: 'sim', mode: 'admit', kubeConfig: sim.kubeConfig() },
      adapters,
      decisions: store,
      logger: mockServices.logger.mock(),
      identity,
      leaseTiming: fastLease,
    });
    controllers.push(c);
    return c;
  }

  const getJob = (name: string) => sim.get('batch/v1', 'Job', 'team-a', name)!;
  const suspended = (name: string) => (getJob(name).spec as { suspend?: boolean }).suspend === true;
  const eventReasons = (name: string) =>
    sim
      .list('v1', 'Event')
      .filter(e => (e as { involvedObject?: { name?: string } }).involvedObject?.name === name)
      .map(e => (e as { reason?: string }).reason);
  const admitted = (name: string) =>
    !suspended(name) && getJob(name).metadata.annotations?.[admissionAnnotation] !== undefined;

  beforeEach(async () => {
    sim = await new SimCluster().start();
    store = new MemoryDecisionStore();
    for (const obj of fixture('queues.yaml')) sim.create(obj);
  });

  afterEach(async () => {
    await Promise.all(controllers.splice(0).map(c => c.stop()));
    await sim.stop();
  });

  it('admits a gang Job whole or not at all', async () => {
    sim.create(job('big', 6));
    const c = controller();
    await c.start();
    await eventually(() => admitted('big'));
    sim.create(job('gang', 4));
    await eventually(() => c.engine.get('team-a/Job/gang')?.status === 'pending');
    await c.reconcileNow();
    expect(suspended('gang')).toBe(true);
    expect(getJob('gang').metadata.annotations?.[admissionAnnotation]).toBeUndefined();
    expect(store.count('Admitted', 'gang')).toBe(0);
    sim.store.delete(sim.store.typeFor('batch/v1', 'Job'), 'team-a', 'big');
    await eventually(() => admitted('gang') && store.count('Admitted') === 2);
    await c.reconcileNow();
    expect(store.count('Admitted')).toBe(2);
  });

  it("pins the pod template to the flavor's node labels and tolerations on admission", async () => {
    sim.create(job('pinned', 2));
    await controller().start();
    await eventually(() => admitted('pinned'));
    const pod = (
      getJob('pinned').spec as {
        template: { spec: { nodeSelector?: Record<string, string>; tolerations?: unknown[] } };
      }
    ).template.spec;
    expect(pod.nodeSelector).toEqual({ 'nvidia.com/gpu.product': 'NVIDIA-H100-80GB-HBM3' });
    expect(pod.tolerations).toEqual([{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }]);
    await eventually(() => eventReasons('pinned').includes('Admitted'));
  });

  it("admits although a workload kind's CRD is not installed", async () => {
    const widgets = { ...jobAdapter, apiVersion: 'example.com/v1', kind: 'Widget', plural: 'widgets' };
    sim.create(job('plain', 2));
    const c = controller('replica-1', [...builtinWorkloadKinds, widgets]);
    await c.start();
    await eventually(() => admitted('plain'));
    expect(c.connected).toBe(true);
  });

  it('holds a queued Deployment by scaling it to zero and restores its replicas on admission', async () => {
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'vllm', namespace: 'team-a', labels: { 'kueue.x-k8s.io/queue-name': 'training' } },
      spec: {
        replicas: 3,
        selector: { matchLabels: { app: 'vllm' } },
        template: {
          metadata: { labels: { app: 'vllm' } },
          spec: (job('x', 1).spec as { template: { spec: object } }).template.spec,
        },
      },
    };
    sim.create(job('hog', 6));
    const c = controller();
    await c.start();
    await eventually(() => admitted('hog'));
    sim.create(deployment);
    const get = () => sim.get('apps/v1', 'Deployment', 'team-a', 'vllm')!;
    await eventually(() => (get().spec as { replicas: number }).replicas === 0);
    expect(get().metadata.annotations?.['ai-platform.io/suspended-replicas']).toBe(
      JSON.stringify({ 'spec.replicas': 3 }),
    );
    sim.store.delete(sim.store.typeFor('batch/v1', 'Job'), 'team-a', 'hog');
    await eventually(() => (get().spec as { replicas: number }).replicas === 3);
    expect(get().metadata.annotations?.[admissionAnnotation]).toBeDefined();
    expect(get().metadata.annotations?.['ai-platform.io/suspended-replicas']).toBeUndefined();
    expect((get().spec as { template: { spec: { nodeSelector: object } } }).template.spec.nodeSelector).toEqual({
      'nvidia.com/gpu.product': 'NVIDIA-H100-80GB-HBM3',
    });
  });

  it('suspends on sight a queued Job that runs without admission', async () => {
    sim.create(job('hog', 8));
    const c = controller();
    await c.start();
    await eventually(() => admitted('hog'));
    const sneaky = job('sneaky', 2);
    (sneaky.spec as { suspend: boolean }).suspend = false;
    sim.create(sneaky);
    await eventually(() => suspended('sneaky') && store.count('Suspended', 'sneaky') === 1);
    expect(admitted('hog')).toBe(true);
  });

  it('queues a pending workload again when its object changes', async () => {
    sim.create(job('hog', 8));
    const c = controller();
    await c.start();
    await eventually(() => admitted('hog'));
    sim.create(job('grows', 2));
    await eventually(() => c.engine.get('team-a/Job/grows')?.status === 'pending');
    const current = getJob('grows');
    current.metadata.labels = { ...current.metadata.labels, 'kueue.x-k8s.io/priority-class': 'high' };
    (current.spec as { parallelism: number }).parallelism = 3;
    sim.store.update(sim.store.typeFor('batch/v1', 'Job'), current);
    await eventually(() => c.engine.get('team-a/Job/grows')?.workload.podSets[0].count === 3);
    expect(c.engine.get('team-a/Job/grows')?.workload.priority).toBe(1000);
  });

  it('preemption suspends the lower-priority victim and admits the preemptor', async () => {
    sim.create(job('victim', 8, 'low'));
    const c = controller();
    await c.start();
    await eventually(() => admitted('victim'));
    sim.create(job('urgent', 8, 'high'));
    await eventually(() => admitted('urgent') && store.count('Preempted', 'victim') === 1);
    expect(suspended('victim')).toBe(true);
    expect(getJob('victim').metadata.annotations?.[admissionAnnotation]).toBeUndefined();
    // Back in the queue without the flavor's pinning, as it was submitted.
    expect(
      (getJob('victim').spec as { template: { spec: { nodeSelector?: object } } }).template.spec.nodeSelector,
    ).toBeUndefined();
    expect(store.count('Preempted', 'victim')).toBe(1);
    await eventually(() => eventReasons('victim').includes('Preempted'));
  });

  it('a restarted controller restores admissions from the annotation and admits nothing twice', async () => {
    sim.create(job('first', 6));
    const before = controller('before');
    await before.start();
    await eventually(() => admitted('first'));
    await before.stop();
    sim.create(job('second', 4));
    const after = controller('after');
    await after.start();
    await eventually(() => after.leader && after.engine.get('team-a/Job/first')?.status === 'admitted');
    await after.reconcileNow();
    expect(suspended('second')).toBe(true);
    expect(store.count('Admitted', 'first')).toBe(1);
    sim.store.delete(sim.store.typeFor('batch/v1', 'Job'), 'team-a', 'first');
    await eventually(() => admitted('second') && store.count('Admitted') === 2);
    await after.reconcileNow();
    expect(store.count('Admitted')).toBe(2);
  });

  it('two controllers on one cluster never both admit (Lease)', async () => {
    const a = controller('a');
    const b = controller('b');
    await Promise.all([a.start(), b.start()]);
    await eventually(() => a.leader || b.leader);
    for (let i = 0; i < 6; i++) sim.create(job(`w${i}`, 2));
    await eventually(
      () => [0, 1, 2, 3, 4, 5].filter(i => admitted(`w${i}`)).length === 4 && store.count('Admitted') === 4,
    );
    await Promise.all([a.reconcileNow(), b.reconcileNow()]);
    expect(a.leader && b.leader).toBe(false);
    expect([0, 1, 2, 3, 4, 5].filter(i => admitted(`w${i}`))).toHaveLength(4);
    expect(store.count('Admitted')).toBe(4);
    const leader = a.leader ? a : b;
    const follower = leader === a ? b : a;
    // The follower's engine mirrors the admissions without making them.
    expect([...follower.engine.workloads()].filter(s => s.status === 'admitted')).toHaveLength(4);
    await leader.stop();
    await eventually(() => follower.leader);
    const done = [0, 1, 2, 3, 4, 5].find(i => admitted(`w${i}`))!;
    sim.store.delete(sim.store.typeFor('batch/v1', 'Job'), 'team-a', `w${done}`);
    await eventually(
      () =>
        [0, 1, 2, 3, 4, 5].filter(i => i !== done && admitted(`w${i}`)).length === 4 && store.count('Admitted') === 5,
    );
    await follower.reconcileNow();
    expect(store.count('Admitted')).toBe(5);
  });

  it('survives the API server restarting', async () => {
    sim.create(job('before-restart', 4));
    const c = controller();
    await c.start();
    await eventually(() => admitted('before-restart'));
    await sim.stop();
    sim.create(job('while-down', 4));
    await new Promise(r => setTimeout(r, 500));
    expect(suspended('while-down')).toBe(true);
    await sim.start();
    await eventually(() => admitted('while-down') && store.count('Admitted') === 2, 20_000);
    await c.reconcileNow();
    expect(store.count('Admitted')).toBe(2);
  });
});
