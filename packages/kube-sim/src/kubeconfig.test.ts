import { KubeConfig } from '@kubernetes/client-node';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kubeconfigYaml, writeKubeconfig } from './kubeconfig';

describe('kubeconfig', () => {
  const clusters = [
    { name: 'gpu-east', url: 'http://127.0.0.1:6443' },
    { name: 'gpu-west', url: 'http://127.0.0.1:6444' },
  ];

  it('has one cluster, user and context per simulated cluster, the first current', () => {
    const kc = new KubeConfig();
    kc.loadFromString(kubeconfigYaml(clusters));
    expect(kc.getContexts().map(c => [c.name, c.cluster, c.user])).toEqual([
      ['gpu-east', 'gpu-east', 'gpu-east'],
      ['gpu-west', 'gpu-west', 'gpu-west'],
    ]);
    expect(kc.getCurrentContext()).toBe('gpu-east');
    expect(kc.getCluster('gpu-west')?.server).toBe('http://127.0.0.1:6444');
    expect(kc.getUser('gpu-east')?.token).toBe('kube-sim');
  });

  it('honours an explicit current context and refuses an empty fleet', () => {
    const kc = new KubeConfig();
    kc.loadFromString(kubeconfigYaml(clusters, 'gpu-west'));
    expect(kc.getCurrentContext()).toBe('gpu-west');
    expect(() => kubeconfigYaml([])).toThrow('at least one cluster');
  });

  it('writes a file only its owner can read', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kube-sim-kubeconfig-'));
    try {
      const path = join(dir, 'config');
      await writeKubeconfig(path, clusters);
      expect(await readFile(path, 'utf8')).toBe(kubeconfigYaml(clusters));
      expect((await stat(path)).mode & 0o777).toBe(0o600);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
