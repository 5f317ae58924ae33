import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mockServices } from '@backstage/backend-test-utils';
import { kubeconfigYaml, type KubeObject } from '@ai-platform/kube-sim';
import { createAdmissionController, type AdmissionController } from '../controller/createAdmissionController';
import { eventually, fixture, MemoryDecisionStore, SimCluster } from '../controller/__testUtils__/kubeSimCluster';
import { CostIngestor, gpuAccountingFinalizer } from './CostIngestor';
import type { GpuInterval } from './intervals';
import { settingsFrom } from '../controller/__testUtils__/settingsFrom';

jest.setTimeout(60_000);

const startedAt = '2026-12-01T10:00:00Z';

function runningGpuPod(name: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'team-a', labels: { 'job-name': 'train' } },
    spec: { nodeName: 'n1', containers: [{ name: 'c', resources: { requests: { 'nvidia.com/gpu': '2' } } }] },
    status: { phase: 'Running', startTime: startedAt },
  };
}

describe('the gpu-accounting finalizer', () => {
  let sim: SimCluster;
  let dir: string;
  const running: Array<{ controller: AdmissionController; ingestor: CostIngestor }> = [];
  const recorded: GpuInterval[] = [];
  const ledger = {
    ingest: async (intervals: GpuInterval[]) => {
      recorded.push(...intervals);
      return { inserted: intervals.length, closed: intervals.filter(i => i.end !== undefined).length };
    },
    closeVanished: async () => 0,
  };

  beforeEach(async () => {
    recorded.length = 0;
    sim = await new SimCluster().start();
    for (const obj of fixture('queues.yaml')) sim.create(obj);
    dir = mkdtempSync(join(tmpdir(), 'ai-platform-'));
    writeFileSync(join(dir, 'kubeconfig'), kubeconfigYaml([{ name: 'sim', url: sim.server!.url }]));
  });

  afterEach(async () => {
    await stopBackend();
    await sim.stop();
  });

  /** One backend replica: the admission controller and the cost ingest with the finalizer on. */
  async function startBackend() {
    const controller = createAdmissionController({
      ...settingsFrom(
        mockServices.rootConfig({
          data: { aiPlatform: { kubeconfig: join(dir, 'kubeconfig'), clusters: { sim: { mode: 'admit' } } } },
        }),
      ),
      logger: mockServices.logger.mock(),
      decisions: new MemoryDecisionStore(),
      leaseTiming: { durationMs: 1_500, renewMs: 300 },
    });
    const connection = { name: 'sim' };
    const ingestor = new CostIngestor(
      controller.registry,
      ledger as never,
      mockServices.logger.mock(),
      undefined,
      controller.attribution,
      true,
    );
    ingestor.start();
    await controller.start();
    await eventually(() => controller.controllers.every(c => c.leader));
    running.push({ controller, ingestor });
    return { controller, ingestor, connection };
  }

  async function stopBackend() {
    for (const { controller, ingestor } of running.splice(0)) {
      ingestor.stop();
      await controller.stop();
    }
  }

  const pod = (name: string) => sim.get('v1', 'Pod', 'team-a', name);

  it('keeps a GPU pod deleted while no backend runs until the ledger has its end, then lets it go', async () => {
    sim.create(runningGpuPod('train-0'));
    await startBackend();
    await eventually(() => pod('train-0')?.metadata.finalizers?.includes(gpuAccountingFinalizer));

    await stopBackend();
    sim.store.delete(sim.store.typeFor('v1', 'Pod'), 'team-a', 'train-0');
    const deleting = pod('train-0')!;
    expect(deleting.metadata.deletionTimestamp).toBeDefined();

    const { ingestor, connection } = await startBackend();
    await ingestor.syncCluster(connection);
    const interval = recorded.find(i => i.pod === 'train-0' && i.end !== undefined)!;
    expect(interval.start).toBe(Date.parse(startedAt));
    expect(interval.end).toBe(Date.parse(String(deleting.metadata.deletionTimestamp)));
    await eventually(() => pod('train-0') === undefined);
  });

  it('lets a pod being deleted go within seconds while the backend runs', async () => {
    sim.create(runningGpuPod('train-1'));
    await startBackend();
    await eventually(() => pod('train-1')?.metadata.finalizers?.includes(gpuAccountingFinalizer));
    sim.store.delete(sim.store.typeFor('v1', 'Pod'), 'team-a', 'train-1');
    await eventually(() => pod('train-1') === undefined, 15_000);
    expect(recorded.some(i => i.pod === 'train-1' && i.end !== undefined)).toBe(true);
  });

  it('leaves pods without GPUs alone', async () => {
    const cpuOnly = runningGpuPod('etl-0');
    cpuOnly.spec.containers[0].resources.requests = { cpu: '4' };
    sim.create(cpuOnly);
    const { ingestor, connection } = await startBackend();
    await ingestor.syncCluster(connection);
    expect(pod('etl-0')!.metadata.finalizers ?? []).toEqual([]);
  });
});
