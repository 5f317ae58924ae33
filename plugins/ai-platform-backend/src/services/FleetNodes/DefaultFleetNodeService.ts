import type { FleetNode, FleetNodesResponse } from '@ai-platform/backstage-plugin-ai-platform-common';
import { podRequests, type PodSpecLike, type TelemetrySource } from '@ai-platform/backstage-plugin-ai-platform-node';
import { parseQuantity } from '@ai-platform/scheduler';
import type { PodAttribution } from '../../costs/CostIngestor';
import { isGpuResource } from '../../costs/intervals';
import type { FleetNodeService } from './types';

/** The window of the DCGM utilization a node shows. */
export const nodeUtilizationWindowMs = 5 * 60_000;

interface NodeLike {
  metadata?: { name?: string; labels?: Record<string, string> };
  spec?: { unschedulable?: boolean };
  status?: { allocatable?: Record<string, string>; conditions?: Array<{ type?: string; status?: string }> };
}

interface PodLike {
  metadata?: { name?: string; namespace?: string };
  spec?: PodSpecLike & { nodeName?: string };
  status?: { phase?: string };
}

/** One cluster's node and pod informers, as the ClusterRegistry holds them. */
export interface NodeInformers {
  name: string;
  nodes: { list(): readonly unknown[] };
  pods: { list(): readonly unknown[] };
}

const units = (milli: number) => milli / 1000;
const finished = (pod: PodLike) => pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';

/** GPU units each bound, unfinished pod holds on its node, and its "namespace/name". */
function gpuPodsByNode(pods: readonly PodLike[]) {
  const byNode = new Map<string, Array<{ key: string; gpus: Record<string, number> }>>();
  for (const pod of pods) {
    const node = pod.spec?.nodeName;
    if (!node || finished(pod)) continue;
    const gpus = Object.fromEntries(
      Object.entries(podRequests(pod.spec!))
        .filter(([resource]) => isGpuResource(resource))
        .map(([resource, milli]) => [resource, units(milli)]),
    );
    if (Object.keys(gpus).length === 0) continue;
    const list = byNode.get(node) ?? [];
    list.push({ key: `${pod.metadata?.namespace}/${pod.metadata?.name}`, gpus });
    byNode.set(node, list);
  }
  return byNode;
}

/**
 * The fleet's nodes from the clusters' shared node and pod informers: each
 * node's allocatable GPU resources, what its pods request of them, the
 * flavors (from the queue configuration the controller uses) whose node
 * labels it carries, and the GPU-weighted mean DCGM utilization of its pods.
 */
export class DefaultFleetNodeService implements FleetNodeService {
  constructor(
    private readonly options: {
      clusters: readonly NodeInformers[];
      flavors: Pick<PodAttribution, 'flavorsOf'>;
      telemetry?: TelemetrySource;
      now?: () => number;
    },
  ) {}

  async listNodes(query: { cluster?: string } = {}): Promise<FleetNodesResponse> {
    const now = (this.options.now ?? Date.now)();
    const utilization = await this.options.telemetry?.utilizationByPod(now - nodeUtilizationWindowMs, now);
    const nodes = this.options.clusters
      .filter(c => !query.cluster || c.name === query.cluster)
      .flatMap(c => this.clusterNodes(c, utilization));
    return { utilizationKnown: utilization !== undefined, nodes };
  }

  private clusterNodes(cluster: NodeInformers, utilization: Map<string, number> | undefined): FleetNode[] {
    const flavors = this.options.flavors.flavorsOf(cluster.name);
    const podsByNode = gpuPodsByNode(cluster.pods.list() as PodLike[]);
    return (cluster.nodes.list() as NodeLike[])
      .map(node => {
        const name = node.metadata?.name ?? '';
        const labels = node.metadata?.labels ?? {};
        const pods = podsByNode.get(name) ?? [];
        const gpus = Object.entries(node.status?.allocatable ?? {})
          .filter(([resource]) => isGpuResource(resource))
          .map(([resource, quantity]) => ({
            resource,
            capacity: units(parseQuantity(quantity)),
            allocated: pods.reduce((sum, p) => sum + (p.gpus[resource] ?? 0), 0),
          }))
          .sort((a, b) => a.resource.localeCompare(b.resource));
        return {
          cluster: cluster.name,
          name,
          flavors: flavors
            .filter(f => Object.entries(f.spec?.nodeLabels ?? {}).every(([k, v]) => labels[k] === v))
            .map(f => f.metadata.name),
          gpuProduct: labels['nvidia.com/gpu.product'],
          ready: (node.status?.conditions ?? []).some(c => c.type === 'Ready' && c.status === 'True'),
          unschedulable: node.spec?.unschedulable === true,
          gpus,
          utilization: utilization ? meanUtilization(pods, utilization) : null,
        };
      })
      .sort((a, b) => a.name.localeCompare(b.name));
  }
}

/** GPU-weighted mean of the pods' utilization, over the pods telemetry knows; null when it knows none. */
function meanUtilization(pods: Array<{ key: string; gpus: Record<string, number> }>, utilization: Map<string, number>) {
  let weighted = 0;
  let weight = 0;
  for (const pod of pods) {
    const value = utilization.get(pod.key);
    if (value === undefined) continue;
    const gpus = Object.values(pod.gpus).reduce((a, b) => a + b, 0);
    weighted += value * gpus;
    weight += gpus;
  }
  return weight > 0 ? weighted / weight : null;
}
