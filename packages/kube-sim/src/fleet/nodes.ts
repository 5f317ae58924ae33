import { KubeObject } from '../store/types';
import { gpuPowerAnnotation } from '../sim/devices';
import { ClusterSpec, NodePoolSpec } from './types';

/** Labels kube-sim puts on nodes, beyond the GPU Feature Discovery and well-known ones. */
export const nodeLabels = {
  pool: 'kube-sim.io/node-pool',
  rack: 'cloud.provider.com/topology-rack',
  nvlinkDomain: 'ai-platform.io/nvlink-domain',
} as const;

function migLabels(pool: NodePoolSpec): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [profile, perGpu] of Object.entries(pool.gpu?.mig?.profiles ?? {})) {
    out[`nvidia.com/mig-${profile}.count`] = String(perGpu * (pool.gpu?.count ?? 0));
  }
  return out;
}

/** The extended resources a pool's nodes advertise for their GPUs. */
export function gpuResources(pool: NodePoolSpec): Record<string, string> {
  const gpu = pool.gpu;
  if (!gpu) return {};
  if (gpu.mig) {
    return Object.fromEntries(
      Object.entries(gpu.mig.profiles).map(([profile, perGpu]) => [
        `nvidia.com/mig-${profile}`,
        String(perGpu * gpu.count),
      ]),
    );
  }
  if (gpu.timeSlicing) return { 'nvidia.com/gpu.shared': String(gpu.count * gpu.timeSlicing.replicas) };
  return { 'nvidia.com/gpu': String(gpu.count) };
}

/** Node objects for every pool of a cluster, named `<cluster>-<pool>-<index>`. */
export function buildNodes(cluster: ClusterSpec, createdAt: string): KubeObject[] {
  const nodes: KubeObject[] = [];
  for (const pool of cluster.nodePools) {
    const nodesPerRack = pool.nodesPerRack ?? 8;
    for (let i = 0; i < pool.count; i++) {
      const name = `${cluster.name}-${pool.name}-${i}`;
      const zone = pool.zones[i % pool.zones.length];
      const gpu = pool.gpu;
      const labels: Record<string, string> = {
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        'topology.kubernetes.io/zone': zone,
        ...(cluster.region ? { 'topology.kubernetes.io/region': cluster.region } : {}),
        ...(pool.instanceType ? { 'node.kubernetes.io/instance-type': pool.instanceType } : {}),
        [nodeLabels.pool]: pool.name,
        [nodeLabels.rack]: `${zone}-${pool.name}-rack-${Math.floor(i / nodesPerRack)}`,
        ...(gpu
          ? {
              'nvidia.com/gpu.present': 'true',
              'nvidia.com/gpu.product': gpu.product,
              'nvidia.com/gpu.count': String(gpu.count),
              'nvidia.com/gpu.memory': String(gpu.memoryMiB),
              ...(gpu.nvlinkDomainSize
                ? { [nodeLabels.nvlinkDomain]: `${pool.name}-nvl-${Math.floor(i / gpu.nvlinkDomainSize)}` }
                : {}),
              ...(gpu.mig
                ? { 'nvidia.com/mig.strategy': 'mixed', 'nvidia.com/mig.capable': 'true', ...migLabels(pool) }
                : {}),
              ...(gpu.timeSlicing
                ? {
                    'nvidia.com/gpu.sharing-strategy': 'time-slicing',
                    'nvidia.com/gpu.replicas': String(gpu.timeSlicing.replicas),
                  }
                : {}),
            }
          : {}),
        ...pool.labels,
      };
      const resources = {
        cpu: pool.cpu,
        memory: pool.memory,
        pods: String(pool.pods ?? 110),
        'ephemeral-storage': '1Ti',
        ...gpuResources(pool),
      };
      nodes.push({
        apiVersion: 'v1',
        kind: 'Node',
        metadata: {
          name,
          labels,
          ...(gpu ? { annotations: { [gpuPowerAnnotation]: String(gpu.powerWatts ?? 300) } } : {}),
        },
        spec: {
          providerID: `kube-sim://${cluster.name}/${name}`,
          ...(pool.taints?.length ? { taints: pool.taints.map(t => ({ ...t })) } : {}),
        },
        status: {
          capacity: resources,
          allocatable: resources,
          conditions: [
            {
              type: 'Ready',
              status: 'True',
              reason: 'KubeletReady',
              message: 'kubelet is posting ready status',
              lastHeartbeatTime: createdAt,
              lastTransitionTime: createdAt,
            },
            {
              type: 'MemoryPressure',
              status: 'False',
              reason: 'KubeletHasSufficientMemory',
              lastHeartbeatTime: createdAt,
              lastTransitionTime: createdAt,
            },
            {
              type: 'DiskPressure',
              status: 'False',
              reason: 'KubeletHasNoDiskPressure',
              lastHeartbeatTime: createdAt,
              lastTransitionTime: createdAt,
            },
          ],
          addresses: [
            {
              type: 'InternalIP',
              address: `10.${(nodes.length >> 16) & 255}.${(nodes.length >> 8) & 255}.${nodes.length & 255}`,
            },
            { type: 'Hostname', address: name },
          ],
          nodeInfo: {
            kubeletVersion: 'v1.31.0-kube-sim',
            containerRuntimeVersion: 'containerd://1.7.0',
            osImage: 'kube-sim',
            architecture: 'amd64',
            operatingSystem: 'linux',
          },
        },
      });
    }
  }
  return nodes;
}

/** The Namespace objects of the fleet that belong in `cluster`. */
export function buildNamespaces(
  namespaces: Array<{ name: string; team?: string; labels?: Record<string, string>; clusters?: string[] }>,
  cluster: string,
): KubeObject[] {
  return namespaces
    .filter(ns => !ns.clusters || ns.clusters.includes(cluster))
    .map(ns => ({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: ns.name,
        labels: {
          'kubernetes.io/metadata.name': ns.name,
          ...(ns.team ? { 'ai-platform.io/team': ns.team } : {}),
          ...ns.labels,
        },
      },
      spec: { finalizers: ['kubernetes'] },
      status: { phase: 'Active' },
    }));
}
