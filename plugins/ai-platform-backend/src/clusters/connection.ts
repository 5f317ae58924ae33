import type { KubeConfig } from '@kubernetes/client-node';

/** admit: this backend admits workloads; observe: Kueue does, we only read; auto: observe when Kueue is found. */
export type ClusterMode = 'admit' | 'observe' | 'auto';

/** A cluster the platform talks to. The KubeConfig holds its credentials and never leaves the backend. */
export interface ClusterConnection {
  name: string;
  mode: ClusterMode;
  kubeConfig: KubeConfig;
}
