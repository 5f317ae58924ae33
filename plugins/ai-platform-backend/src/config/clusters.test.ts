import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mockServices } from '@backstage/backend-test-utils';
import { kubeconfigYaml } from '@ai-platform/kube-sim';
import { readClusters } from './clusters';

describe('readClusters', () => {
  const kubeconfig = join(mkdtempSync(join(tmpdir(), 'clusters-')), 'kubeconfig');
  writeFileSync(
    kubeconfig,
    kubeconfigYaml([
      { name: 'lab-a', url: 'http://127.0.0.1:1' },
      { name: 'lab-b', url: 'http://127.0.0.1:2' },
    ]),
  );

  it('reads config clusters of the Kubernetes plugin and every kubeconfig context, with modes', () => {
    const config = mockServices.rootConfig({
      data: {
        kubernetes: {
          clusterLocatorMethods: [
            { type: 'catalog' },
            {
              type: 'config',
              clusters: [
                { name: 'prod', url: 'https://prod.example:6443', serviceAccountToken: 't0ken', caData: 'Y2E=' },
              ],
            },
          ],
        },
        aiPlatform: { kubeconfig, clusters: { prod: { mode: 'observe' }, 'lab-b': { mode: 'admit' } } },
      },
    });
    const clusters = readClusters(config);
    expect(clusters.map(c => [c.name, c.mode, c.kubeConfig.getCurrentCluster()?.server])).toEqual([
      ['prod', 'observe', 'https://prod.example:6443'],
      ['lab-a', 'auto', 'http://127.0.0.1:1'],
      ['lab-b', 'admit', 'http://127.0.0.1:2'],
    ]);
    expect(clusters[0].kubeConfig.getCurrentUser()?.token).toBe('t0ken');
    expect(clusters[0].kubeConfig.getCurrentCluster()?.caData).toBe('Y2E=');
  });

  it('names the field to fix for a bad mode, a duplicate name or a missing kubeconfig', () => {
    const bad = (data: object) => () => readClusters(mockServices.rootConfig({ data }));
    const prod = {
      kubernetes: { clusterLocatorMethods: [{ type: 'config', clusters: [{ name: 'lab-a', url: 'https://x' }] }] },
    };
    expect(bad({ ...prod, aiPlatform: { clusters: { 'lab-a': { mode: 'sometimes' } } } })).toThrow(
      /aiPlatform.clusters.lab-a.mode must be admit, observe or auto/,
    );
    expect(bad({ ...prod, aiPlatform: { kubeconfig } })).toThrow(/cluster "lab-a" is configured twice/);
    expect(bad({ aiPlatform: { kubeconfig: '/nonexistent/kubeconfig' } })).toThrow(
      /aiPlatform.kubeconfig: cannot read \/nonexistent\/kubeconfig/,
    );
  });
});
