import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { KubeConfig } from '@kubernetes/client-node';
import type { ClusterConnection, ClusterMode } from '../clusters/connection';

function modeOf(config: Config, name: string): ClusterMode {
  const mode = config.getOptionalString(`aiPlatform.clusters.${name}.mode`) ?? 'auto';
  if (mode !== 'admit' && mode !== 'observe' && mode !== 'auto') {
    throw new InputError(`aiPlatform.clusters.${name}.mode must be admit, observe or auto, got "${mode}"`);
  }
  return mode;
}

function fromClusterConfig(c: Config): KubeConfig {
  const name = c.getString('name');
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [
      {
        name,
        server: c.getString('url'),
        caData: c.getOptionalString('caData'),
        skipTLSVerify: c.getOptionalBoolean('skipTLSVerify') ?? false,
      },
    ],
    users: [{ name, token: c.getOptionalString('serviceAccountToken') }],
    contexts: [{ name, cluster: name, user: name }],
    currentContext: name,
  });
  return kc;
}

/**
 * The clusters of `kubernetes.clusterLocatorMethods[type=config].clusters`
 * (the Backstage Kubernetes plugin's own list) plus every context of the
 * kubeconfig file at `aiPlatform.kubeconfig`. A name listed twice is an error.
 */
export function readClusters(config: Config): ClusterConnection[] {
  const out: ClusterConnection[] = [];
  const add = (name: string, kubeConfig: KubeConfig) => {
    if (out.some(c => c.name === name)) {
      throw new InputError(
        `cluster "${name}" is configured twice; rename one of them in kubernetes.clusterLocatorMethods or the aiPlatform.kubeconfig contexts`,
      );
    }
    out.push({ name, mode: modeOf(config, name), kubeConfig });
  };
  for (const method of config.getOptionalConfigArray('kubernetes.clusterLocatorMethods') ?? []) {
    if (method.getString('type') !== 'config') continue;
    for (const c of method.getOptionalConfigArray('clusters') ?? []) add(c.getString('name'), fromClusterConfig(c));
  }
  const path = config.getOptionalString('aiPlatform.kubeconfig');
  if (path) {
    const file = new KubeConfig();
    try {
      file.loadFromFile(path);
    } catch (e) {
      throw new InputError(`aiPlatform.kubeconfig: cannot read ${path}: ${(e as Error).message}`);
    }
    for (const context of file.getContexts()) {
      const kc = new KubeConfig();
      kc.loadFromFile(path);
      kc.setCurrentContext(context.name);
      add(context.name, kc);
    }
  }
  return out;
}
