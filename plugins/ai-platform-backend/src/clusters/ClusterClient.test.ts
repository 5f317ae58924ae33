import { createServer, connect, type AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { kubeconfigYaml } from '@ai-platform/kube-sim';
import type { WorkloadObject } from '@ai-platform/backstage-plugin-ai-platform-node';
import { fixture, SimCluster } from '../controller/__testUtils__/kubeSimCluster';
import { ClusterClient } from './ClusterClient';

describe('ClusterClient against kube-sim', () => {
  let sim: SimCluster;
  beforeEach(async () => {
    sim = await new SimCluster().start();
    sim.create(fixture('queues.yaml')[0]);
    sim.create(fixture('job.yaml')[0]);
  });
  afterEach(() => sim.stop());

  const ref = { apiVersion: 'batch/v1', kind: 'Job', namespace: 'team-a', name: 'train' };

  it('re-reads and re-applies a change after a 409 conflict', async () => {
    const client = new ClusterClient(sim.kubeConfig());
    const seen: string[] = [];
    const written = await client.update(ref, current => {
      seen.push(current.metadata.resourceVersion!);
      if (seen.length === 1) {
        // Someone else writes between our read and our write.
        const other = sim.get('batch/v1', 'Job', 'team-a', 'train')!;
        other.metadata.labels = { ...other.metadata.labels, other: 'writer' };
        sim.store.update(sim.store.typeFor('batch/v1', 'Job'), other);
      }
      current.metadata.annotations = { ...current.metadata.annotations, mine: 'yes' };
      return current;
    });
    expect(seen).toHaveLength(2);
    expect(seen[0]).not.toBe(seen[1]);
    expect(written?.metadata.annotations?.mine).toBe('yes');
    expect(written?.metadata.labels?.other).toBe('writer');
  });

  it('gives up after the last attempt with the conflict', async () => {
    const client = new ClusterClient(sim.kubeConfig());
    const always = (current: WorkloadObject) => {
      const other = sim.get('batch/v1', 'Job', 'team-a', 'train')!;
      other.metadata.labels = { ...other.metadata.labels, bump: String(Math.random()) };
      sim.store.update(sim.store.typeFor('batch/v1', 'Job'), other);
      return current;
    };
    await expect(client.update(ref, always, { attempts: 3 })).rejects.toMatchObject({ code: 409 });
  });

  it('starts from a known copy without reading, and reads again when that copy was stale', async () => {
    const client = new ClusterClient(sim.kubeConfig());
    const stale = sim.get('batch/v1', 'Job', 'team-a', 'train')!;
    const other = structuredClone(stale);
    other.metadata.labels = { ...other.metadata.labels, changedBySomeoneElse: 'yes' };
    sim.store.update(sim.store.typeFor('batch/v1', 'Job'), other);
    const seen: string[] = [];
    const written = await client.update(
      ref,
      current => {
        seen.push(current.metadata.resourceVersion!);
        return {
          ...current,
          metadata: { ...current.metadata, annotations: { ...current.metadata.annotations, mine: 'yes' } },
        };
      },
      { known: stale as unknown as WorkloadObject },
    );
    // First from the stale copy (409), then from the object as it is now; both changes survive.
    expect(seen).toHaveLength(2);
    expect(seen[0]).toBe(stale.metadata.resourceVersion);
    expect(seen[1]).not.toBe(seen[0]);
    expect(written?.metadata.labels?.changedBySomeoneElse).toBe('yes');
    expect(written?.metadata.annotations?.mine).toBe('yes');
  });

  it('returns undefined for an object that is gone', async () => {
    const client = new ClusterClient(sim.kubeConfig());
    expect(await client.update({ ...ref, name: 'missing' }, c => c)).toBeUndefined();
  });

  it('reuses connections across requests instead of opening one per call', async () => {
    // A TCP proxy in front of kube-sim counts the connections clients open.
    let connections = 0;
    const proxy = createServer(socket => {
      connections++;
      const upstream = connect(Number(new URL(sim.server!.url).port), '127.0.0.1');
      socket.pipe(upstream).pipe(socket);
      socket.on('error', () => upstream.destroy());
      upstream.on('error', () => socket.destroy());
    });
    await new Promise<void>(resolve => proxy.listen(0, '127.0.0.1', resolve));
    try {
      const kc = new KubeConfig();
      kc.loadFromString(
        kubeconfigYaml([{ name: 'sim', url: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}` }]),
      );
      const client = new ClusterClient(kc);
      for (let i = 0; i < 20; i++) expect((await client.read(ref))?.metadata.name).toBe('train');
      expect(connections).toBe(1);
      client.close();
    } finally {
      await new Promise(resolve => proxy.close(resolve));
    }
  });
});
