import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mockServices } from '@backstage/backend-test-utils';
import { kubeconfigYaml, type KubeObject } from '@ai-platform/kube-sim';
import { admissionAnnotation } from '../workloads/admissionAnnotation';
import { createAdmissionController, type AdmissionController } from './createAdmissionController';
import { eventually, fixture, MemoryDecisionStore, SimCluster } from './__testUtils__/kubeSimCluster';
import { settingsFrom } from './__testUtils__/settingsFrom';

jest.setTimeout(60_000);

const user = { userEntityRef: 'user:default/ada' };

function job(name: string, parallelism: number, durationSeconds?: number): KubeObject {
  const [j] = fixture('job.yaml');
  j.metadata.name = name;
  if (durationSeconds) j.metadata.annotations = { 'ai-platform.io/expected-duration-seconds': String(durationSeconds) };
  (j.spec as { parallelism: number }).parallelism = parallelism;
  return j;
}

describe('AdmissionService against two kube-sim clusters', () => {
  let east: SimCluster;
  let west: SimCluster;
  let store: MemoryDecisionStore;
  let controller: AdmissionController;

  const admitted = (sim: SimCluster, name: string) => {
    const j = sim.get('batch/v1', 'Job', 'team-a', name);
    return (
      !!j && (j.spec as { suspend?: boolean }).suspend === false && !!j.metadata.annotations?.[admissionAnnotation]
    );
  };

  beforeEach(async () => {
    east = await new SimCluster().start();
    west = await new SimCluster().start();
    store = new MemoryDecisionStore();
    for (const sim of [east, west]) for (const obj of fixture('queues.yaml')) sim.create(obj);
    const dir = mkdtempSync(join(tmpdir(), 'ai-platform-'));
    const kubeconfig = join(dir, 'kubeconfig');
    writeFileSync(kubeconfig, kubeconfigYaml([{ name: 'west', url: west.server!.url }]));
    const config = mockServices.rootConfig({
      data: {
        kubernetes: {
          clusterLocatorMethods: [
            {
              type: 'config',
              clusters: [
                { name: 'east', url: east.server!.url, serviceAccountToken: 'east-secret-token', skipTLSVerify: true },
              ],
            },
          ],
        },
        aiPlatform: { kubeconfig, clusters: { east: { mode: 'admit' }, west: { mode: 'admit' } } },
      },
    });
    controller = createAdmissionController({
      ...settingsFrom(config),
      logger: mockServices.logger.mock(),
      decisions: store,
      leaseTiming: { durationMs: 1_500, renewMs: 300 },
    });
  });

  afterEach(async () => {
    await controller.stop();
    await Promise.all([east.stop(), west.stop()]);
  });

  it('submits to the cluster where the workload starts first', async () => {
    east.create(job('hog', 8, 3600));
    await controller.start();
    await eventually(() => admitted(east, 'hog'));
    await eventually(() => controller.controllers.every(c => c.leader));
    const changes: string[] = [];
    const unsubscribe = controller.service.subscribe(change =>
      changes.push(`${change.type} ${change.workload.cluster}/${change.workload.name} ${change.workload.state}`),
    );
    const manifest = job('new', 4);
    delete manifest.metadata.labels;
    const response = await controller.service.submit({ manifest, queue: 'training' }, user);
    expect(response.created).toBe(true);
    expect(response.plan.cluster).toBe('west');
    expect(response.plan.etasByCluster.east).not.toBeNull();
    expect(Date.parse(response.plan.etasByCluster.east!)).toBeGreaterThan(Date.now() + 3000_000);
    await eventually(() => admitted(west, 'new'));
    await eventually(() => changes.includes('upsert west/new Admitted'));
    expect(changes).toContain('upsert west/new Pending');
    unsubscribe();
    expect(east.get('batch/v1', 'Job', 'team-a', 'new')).toBeUndefined();
    const again = await controller.service.submit({ manifest, queue: 'training' }, user);
    expect(again.created).toBe(false);
    expect(store.count('Submitted')).toBe(1);
  });

  it('plan says "admissible" only when the next cycle admits it, and agrees with the status of the workload once submitted', async () => {
    east.create(job('running', 8, 600));
    west.create(job('running', 8, 600));
    await controller.start();
    await eventually(() => admitted(east, 'running') && admitted(west, 'running'));
    await eventually(() => controller.controllers.every(c => c.leader));
    const manifest = job('waits', 4, 600);
    const plan = await controller.service.plan({ manifest, queue: 'training' });
    expect(plan.admissible).toBe(false);
    expect(plan.reason?.code).toBe('QuotaExhausted');
    expect(Date.parse(plan.eta!)).toBeGreaterThan(Date.now() + 500_000);
    const { workload } = await controller.service.submit({ manifest, queue: 'training' }, user);
    const status = await eventually(async () => {
      const w = await controller.service.getWorkload(workload);
      return w?.reason ? w : undefined;
    });
    expect(status.state).toBe('Pending');
    expect(status.reason?.code).toBe(plan.reason?.code);

    const fits = job('fits', 4, 600);
    fits.metadata.name = 'fits';
    east.store.delete(east.store.typeFor('batch/v1', 'Job'), 'team-a', 'running');
    await eventually(
      async () => (await controller.service.plan({ manifest: fits, queue: 'training', cluster: 'east' })).admissible,
    );
    const admittedPlan = await controller.service.plan({ manifest: fits, queue: 'training', cluster: 'east' });
    expect(admittedPlan.reason).toBeUndefined();
    expect(admittedPlan.estimatedWaitSeconds).toBe(0);
  });

  it('lists pending workloads with reason, queue position and ETA', async () => {
    east.create(job('running', 8, 600));
    await controller.start();
    await eventually(() => admitted(east, 'running'));
    // Same creation second: the engine breaks the tie by name, as Kueue does by key.
    east.create(job('first', 4, 600));
    east.create(job('second', 8, 600));
    const [next, after] = await eventually(async () => {
      const items = await controller.service.listWorkloads({ cluster: 'east', state: 'Pending' });
      const found = ['first', 'second'].map(n => items.find(w => w.name === n));
      return found.every(w => w?.positionInClusterQueue) ? found : undefined;
    });
    expect(next!.positionInClusterQueue).toBe(1);
    expect(after!.positionInClusterQueue).toBe(2);
    expect(next!.reason?.code).toBe('QuotaExhausted');
    expect(next!.gpus).toBe(4);
    const runningEnds = Date.now() + 600_000;
    expect(Math.abs(Date.parse(next!.eta!) - runningEnds)).toBeLessThan(60_000);
    expect(Date.parse(after!.eta!)).toBeGreaterThan(Date.parse(next!.eta!));
    const queues = await controller.service.listQueues();
    const teamA = queues.clusterQueues.find(q => q.cluster === 'east' && q.name === 'team-a')!;
    expect(teamA.resources.find(r => r.resource === 'nvidia.com/gpu')).toMatchObject({ nominal: 8, used: 8 });
    expect(teamA.pending).toBe(2);
    // Without a cohort nothing is borrowed, so the dominant resource share stays 0.
    expect(teamA.fairShare).toBe(0);
  });

  it('a user suspend holds the workload out of the queue until released', async () => {
    east.create(job('held', 8));
    east.create(job('waiting', 8));
    await controller.start();
    await eventually(() => admitted(east, 'held') || admitted(east, 'waiting'));
    const first = admitted(east, 'held') ? 'held' : 'waiting';
    const second = first === 'held' ? 'waiting' : 'held';
    await controller.service.setSuspended(
      { cluster: 'east', namespace: 'team-a', kind: 'Job', name: first },
      true,
      user,
    );
    await eventually(() => admitted(east, second));
    expect(admitted(east, first)).toBe(false);
    await controller.service.setSuspended(
      { cluster: 'east', namespace: 'team-a', kind: 'Job', name: first },
      false,
      user,
    );
    const summary = await eventually(async () => {
      const w = await controller.service.getWorkload({
        cluster: 'east',
        namespace: 'team-a',
        kind: 'Job',
        name: first,
      });
      return w?.positionInClusterQueue === 1 ? w : undefined;
    });
    expect(summary.state).toBe('Pending');
    const events = await controller.service.events({ cluster: 'east', namespace: 'team-a', kind: 'Job', name: first });
    expect(events.map(e => e.reason)).toEqual(expect.arrayContaining(['Admitted', 'Suspended', 'Released']));
  });

  it('cancel deletes the workload and frees its quota', async () => {
    east.create(job('doomed', 8));
    await controller.start();
    await eventually(() => admitted(east, 'doomed'));
    east.create(job('hopeful', 8));
    await controller.service.cancel({ cluster: 'east', namespace: 'team-a', kind: 'Job', name: 'doomed' }, user);
    await eventually(() => admitted(east, 'hopeful'));
    expect(store.records.find(r => r.decision === 'Cancelled')).toMatchObject({
      name: 'doomed',
      actor: 'user:default/ada',
    });
  });

  it('reports clusters without their credentials', async () => {
    await controller.start();
    await eventually(() => controller.controllers.every(c => c.leader && c.connected));
    const clusters = await controller.service.listClusters();
    expect(clusters.map(c => [c.name, c.mode, c.connected, c.leader])).toEqual([
      ['east', 'admit', true, true],
      ['west', 'admit', true, true],
    ]);
    expect(clusters[0].flavors.map(f => f.name)).toEqual(['h100']);
    expect(JSON.stringify(clusters)).not.toContain('secret-token');
  });
});
