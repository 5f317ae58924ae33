import { CustomObjectsApi } from '@kubernetes/client-node';
import type { KubeObject } from '@ai-platform/kube-sim';
import { parseEngineOptions } from '@ai-platform/scheduler';
import { parseQuantity } from '@ai-platform/backstage-plugin-ai-platform-common';
import { holdAnnotation } from '../workloads/admissionAnnotation';
import { eventually, fixture, twoH100NodeFleet, useAdmittingSim } from './__testUtils__/kubeSimCluster';

jest.setTimeout(60_000);

/** Usage halves every 10 s and is sampled every second, so a test sees it move. */
const engineOptions = parseEngineOptions({
  admissionFairSharing: { usageHalfLifeTime: '10s', usageSamplingInterval: '1s' },
});

/** A Job of 8 one-GPU pods (the whole quota) in `namespace`'s LocalQueue training, running `seconds`. */
function fullQuotaJob(name: string, namespace: string, seconds: number): KubeObject {
  const [job] = fixture('job.yaml');
  job.metadata.name = name;
  job.metadata.namespace = namespace;
  const spec = job.spec as { parallelism: number; completions: number; template: { metadata?: object } };
  spec.parallelism = 8;
  spec.completions = 8;
  spec.template.metadata = { annotations: { 'kube-sim.io/duration-seconds': String(seconds) } };
  return job;
}

interface FairSharingStatus {
  weightedShare: number;
  admissionFairSharingStatus?: { consumedResources: Record<string, string>; lastUpdate: string };
}

describe('admission fair sharing usage persisted on the LocalQueues (kube-sim, enforce mode)', () => {
  const start = useAdmittingSim();

  async function startTwoTeams(identity: string) {
    const running = await start({
      fleet: twoH100NodeFleet([
        { name: 'team-a', team: 'a' },
        { name: 'team-b', team: 'b' },
      ]),
      objects: fixture('afs-queues.yaml'),
      identity,
      engineOptions,
    });
    const api = running.kubeConfig.makeApiClient(CustomObjectsApi);
    /** The LocalQueue training's status.fairSharing, read through the API. */
    const fairSharing = async (namespace: string) => {
      const lq = (await api.getNamespacedCustomObjectStatus({
        group: 'kueue.x-k8s.io',
        version: 'v1beta1',
        namespace,
        plural: 'localqueues',
        name: 'training',
      })) as { status?: { fairSharing?: FairSharingStatus } };
      return lq.status?.fairSharing;
    };
    return { ...running, fairSharing };
  }

  const gpusUsed = (s: FairSharingStatus | undefined) =>
    parseQuantity(s?.admissionFairSharingStatus?.consumedResources['nvidia.com/gpu'] ?? '0') / 1000;

  async function runAndRestart(forgetStatus: boolean) {
    const running = await startTwoTeams('before-restart');
    const { controller, create, decisions, fairSharing } = running;

    // team-a runs the whole quota for 3 s: its usage rises and is written to its LocalQueue's status.
    create(fullQuotaJob('a-first', 'team-a', 3));
    await eventually(() => decisions.count('Finished', 'a-first') === 1, 20_000);
    const written = await eventually(async () => {
      const s = await fairSharing('team-a');
      return gpusUsed(s) > 1 ? s : undefined;
    });
    expect(written!.admissionFairSharingStatus!.lastUpdate).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(Date.now() - Date.parse(written!.admissionFairSharingStatus!.lastUpdate)).toBeLessThan(5_000);
    // team-b's LocalQueue has run nothing: it is written too, with no usage.
    expect(gpusUsed(await fairSharing('team-b'))).toBe(0);
    expect((await fairSharing('team-b'))?.admissionFairSharingStatus?.lastUpdate).toBeDefined();

    await controller.stop();
    if (forgetStatus) {
      for (const namespace of ['team-a', 'team-b']) {
        const lq = running.cluster.store.get(
          running.cluster.store.typeFor('kueue.x-k8s.io/v1beta1', 'LocalQueue'),
          namespace,
          'training',
        )!;
        running.cluster.store.updateStatus(running.cluster.store.typeFor(lq.apiVersion, lq.kind), {
          ...lq,
          status: undefined,
        });
      }
    }
    // Both teams now queue a whole-quota Job; team-a's is the older one.
    create(fullQuotaJob('a-next', 'team-a', 3600));
    await new Promise(r => setTimeout(r, 1_100));
    create(fullQuotaJob('b-next', 'team-b', 3600));
    await running.startController('after-restart');
    await eventually(() => decisions.count('Admitted', 'a-next') + decisions.count('Admitted', 'b-next') === 1);
    await new Promise(r => setTimeout(r, 500));
    return { a: decisions.count('Admitted', 'a-next'), b: decisions.count('Admitted', 'b-next') };
  }

  it('a restarted backend admits from the LocalQueue with less persisted usage first', async () => {
    expect(await runAndRestart(false)).toEqual({ a: 0, b: 1 });
  });

  it('without the persisted usage the older workload goes first (the order above comes from the status)', async () => {
    expect(await runAndRestart(true)).toEqual({ a: 1, b: 0 });
  });

  it('a standby replica that takes the lead resumes from the usage the leader persisted, not from its own start', async () => {
    const running = await startTwoTeams('leader');
    const { controller: leader, cluster, create, decisions, fairSharing } = running;
    const standby = await running.startController('standby');
    create(fullQuotaJob('a-first', 'team-a', 3));
    await eventually(() => decisions.count('Finished', 'a-first') === 1, 20_000);
    await eventually(async () => gpusUsed(await fairSharing('team-a')) > 1);
    // Both teams queue a whole-quota Job, team-a's the older one, held (by a user) until the standby leads.
    const held = (job: KubeObject) => ({
      ...job,
      metadata: { ...job.metadata, annotations: { [holdAnnotation]: 'true' } },
    });
    create(held(fullQuotaJob('a-next', 'team-a', 3600)));
    await new Promise(r => setTimeout(r, 1_100));
    create(held(fullQuotaJob('b-next', 'team-b', 3600)));
    expect(standby.leader).toBe(false);
    await leader.stop();
    await eventually(() => standby.leader);
    const jobType = cluster.store.typeFor('batch/v1', 'Job');
    for (const [namespace, name] of [
      ['team-a', 'a-next'],
      ['team-b', 'b-next'],
    ]) {
      const job = cluster.store.get(jobType, namespace, name)!;
      cluster.store.update(jobType, { ...job, metadata: { ...job.metadata, annotations: {} } });
    }
    await eventually(() => decisions.count('Admitted', 'a-next') + decisions.count('Admitted', 'b-next') === 1);
    await new Promise(r => setTimeout(r, 500));
    expect({ a: decisions.count('Admitted', 'a-next'), b: decisions.count('Admitted', 'b-next') }).toEqual({
      a: 0,
      b: 1,
    });
  });
});
