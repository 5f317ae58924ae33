import { writeFile } from 'node:fs/promises';
import { stringify } from 'yaml';

/** One simulated cluster as a kubeconfig entry. */
export interface KubeconfigCluster {
  name: string;
  url: string;
}

/** A kubeconfig with one cluster, user (dummy token `kube-sim`) and context per simulated cluster. */
export function kubeconfigYaml(clusters: KubeconfigCluster[], currentContext?: string): string {
  if (clusters.length === 0) throw new Error('kubeconfigYaml needs at least one cluster');
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    preferences: {},
    // @kubernetes/client-node 1.x refuses plain-HTTP servers unless TLS verification is explicitly skipped.
    clusters: clusters.map(c => ({
      name: c.name,
      cluster: { server: c.url, 'insecure-skip-tls-verify': true },
    })),
    users: clusters.map(c => ({ name: c.name, user: { token: 'kube-sim' } })),
    contexts: clusters.map(c => ({
      name: c.name,
      context: { cluster: c.name, user: c.name, namespace: 'default' },
    })),
    'current-context': currentContext ?? clusters[0].name,
  });
}

/** Writes {@link kubeconfigYaml} to a file readable only by its owner, as kubectl expects. */
export async function writeKubeconfig(
  path: string,
  clusters: KubeconfigCluster[],
  currentContext?: string,
): Promise<void> {
  await writeFile(path, kubeconfigYaml(clusters, currentContext), {
    mode: 0o600,
  });
}
