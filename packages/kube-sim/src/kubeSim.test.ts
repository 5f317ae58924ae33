import { BatchV1Api, CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { KubeSim, startKubeSim } from './index';

const demoFleet = path.resolve(__dirname, '../../../examples/fleet/demo.yaml');

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise(r => setTimeout(r, 50));
  }
}

describe('startKubeSim on the demo fleet', () => {
  let sim: KubeSim | undefined;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kube-sim-'));
  afterEach(async () => {
    await sim?.stop();
    sim = undefined;
  });

  it('runs a Job created with client-node to completion', async () => {
    const kubeconfigPath = path.join(dir, 'kubeconfig');
    sim = await startKubeSim({ fleet: demoFleet, speed: 600, generator: false, kubeconfigPath });
    expect(sim.clusters.map(c => c.name)).toEqual(['gpu-east', 'gpu-west']);

    const kc = new KubeConfig();
    kc.loadFromFile(kubeconfigPath);
    expect(kc.getContexts().map(c => c.name)).toEqual(['gpu-east', 'gpu-west']);
    kc.setCurrentContext('gpu-west');
    const core = kc.makeApiClient(CoreV1Api);
    const batch = kc.makeApiClient(BatchV1Api);

    const nodes = await core.listNode();
    expect(nodes.items).toHaveLength(20);
    expect(nodes.items.some(n => n.metadata?.labels?.['nvidia.com/gpu.product'] === 'NVIDIA-A10G')).toBe(true);

    await batch.createNamespacedJob({
      namespace: 'team-ml-research',
      body: {
        metadata: { name: 'finetune', labels: { 'kueue.x-k8s.io/queue-name': 'ml-research' } },
        spec: {
          parallelism: 2,
          completions: 2,
          template: {
            metadata: { annotations: { 'kube-sim.io/duration-seconds': '300' } },
            spec: {
              restartPolicy: 'Never',
              tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }],
              nodeSelector: { 'nvidia.com/gpu.product': 'NVIDIA-H100-80GB-HBM3' },
              containers: [{ name: 'trainer', image: 'pytorch', resources: { limits: { 'nvidia.com/gpu': '8' } } }],
            },
          },
        },
      },
    });

    const running = await waitFor('two running pods', async () => {
      const pods = await core.listNamespacedPod({ namespace: 'team-ml-research', labelSelector: 'job-name=finetune' });
      return pods.items.filter(p => p.status?.phase === 'Running').length === 2 ? pods.items : undefined;
    });
    expect(running.every(p => p.spec?.nodeName?.startsWith('gpu-west-h100-'))).toBe(true);

    const job = await waitFor('the Job to complete', async () => {
      const j = await batch.readNamespacedJob({ namespace: 'team-ml-research', name: 'finetune' });
      return j.status?.conditions?.some(c => c.type === 'Complete' && c.status === 'True') ? j : undefined;
    });
    expect(job.status?.succeeded).toBe(2);
    const pods = await core.listNamespacedPod({ namespace: 'team-ml-research', labelSelector: 'job-name=finetune' });
    // The demo fleet fails a few percent of pods; the Job controller replaces them until two succeed.
    const phases = pods.items.map(p => p.status?.phase);
    expect(phases.filter(p => p === 'Succeeded')).toHaveLength(2);
    expect(phases.filter(p => p !== 'Succeeded').every(p => p === 'Failed')).toBe(true);
    expect(job.status?.failed ?? 0).toBe(phases.length - 2);
    const events = await core.listNamespacedEvent({ namespace: 'team-ml-research' });
    expect(events.items.map(e => e.reason)).toEqual(expect.arrayContaining(['Scheduled', 'Started', 'Completed']));
  });

  it('saves objects to the state file on stop and loads them on the next start', async () => {
    const stateFile = path.join(dir, 'state.json');
    sim = await startKubeSim({ fleet: demoFleet, speed: 60, generator: false, stateFile });
    const east = sim.clusters[0];
    const deploymentType = east.store.typeFor('apps/v1', 'Deployment');
    east.store.create(deploymentType, {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'agent', namespace: 'team-agents' },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'agent' } },
        template: {
          metadata: { labels: { app: 'agent' } },
          spec: { containers: [{ name: 'a', image: 'x', resources: { requests: { cpu: '1' } } }] },
        },
      },
    });
    const podType = east.store.typeFor('v1', 'Pod');
    await waitFor('agent pods running', async () =>
      east.store.list(podType, { namespace: 'team-agents' }).filter(p => p.status?.phase === 'Running').length === 2
        ? true
        : undefined,
    );
    const before = east.store
      .list(podType, { namespace: 'team-agents' })
      .map(p => p.metadata.name)
      .sort();
    await sim.stop();
    sim = undefined;
    expect(JSON.parse(readFileSync(stateFile, 'utf8')).clusters['gpu-east'].length).toBeGreaterThan(20);

    sim = await startKubeSim({ fleet: demoFleet, speed: 60, generator: false, stateFile });
    const again = sim.clusters[0].store;
    const pods = again.list(podType, { namespace: 'team-agents' });
    expect(pods.map(p => p.metadata.name).sort()).toEqual(before);
    expect(pods.every(p => p.status?.phase === 'Running')).toBe(true);
    const deployment = again.get(deploymentType, 'team-agents', 'agent')!;
    const [rs] = again.list(again.typeFor('apps/v1', 'ReplicaSet'), { namespace: 'team-agents' });
    expect(rs.metadata.ownerReferences?.[0].uid).toBe(deployment.metadata.uid);
    expect(pods.every(p => p.metadata.ownerReferences?.[0].uid === rs.metadata.uid)).toBe(true);
    // The controller adopts the restored pods instead of making new ones.
    await new Promise(r => setTimeout(r, 200));
    expect(again.list(podType, { namespace: 'team-agents' })).toHaveLength(2);
  });

  it('publishes the DRA devices of a state saved before kube-sim served DRA', async () => {
    const stateFile = path.join(dir, 'state-without-dra.json');
    sim = await startKubeSim({ fleet: demoFleet, speed: 60, generator: false, stateFile });
    await sim.stop();
    sim = undefined;
    const saved = JSON.parse(readFileSync(stateFile, 'utf8'));
    for (const name of Object.keys(saved.clusters))
      saved.clusters[name] = saved.clusters[name].filter(
        (o: { apiVersion: string }) => o.apiVersion !== 'resource.k8s.io/v1',
      );
    writeFileSync(stateFile, JSON.stringify(saved));

    sim = await startKubeSim({ fleet: demoFleet, speed: 60, generator: false, stateFile });
    const east = sim.clusters[0].store;
    const slices = east.list(east.typeFor('resource.k8s.io/v1', 'ResourceSlice'));
    expect(slices.map(s => s.spec.nodeName)).toContain('gpu-east-a100-mig-0');
  });
});
