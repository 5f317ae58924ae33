import {
  matchesNodeSelectorTerm,
  selectsLabels,
  untoleratedTaint,
  type NodeSelectorTerm,
} from '@ai-platform/backstage-plugin-ai-platform-common';
import { KubeObject } from '../store/types';
import { ResourceAmounts, toAmounts } from './quantity';

/** What the scheduler knows about a node: its allocatable resources and what bound pods use. */
export interface NodeCapacity {
  node: KubeObject;
  allocatable: ResourceAmounts;
  used: ResourceAmounts;
}

/** Extended resources a GPU workload is placed by; pods requesting them are bin-packed. */
export function isGpuResource(name: string): boolean {
  return name.startsWith('nvidia.com/');
}

/** Sum of the pod's container requests (limits stand in for missing requests), plus one `pods` slot. */
export function podRequests(pod: KubeObject): ResourceAmounts {
  const total: ResourceAmounts = new Map([['pods', 1]]);
  for (const container of (pod.spec?.containers ?? []) as Array<{
    resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  }>) {
    const amounts = toAmounts({ ...container.resources?.limits, ...container.resources?.requests });
    for (const [k, v] of amounts) total.set(k, (total.get(k) ?? 0) + v);
  }
  for (const init of (pod.spec?.initContainers ?? []) as Array<{
    resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  }>) {
    // An init container runs alone, so it only matters when it asks for more than all containers together.
    for (const [k, v] of toAmounts({ ...init.resources?.limits, ...init.resources?.requests })) {
      if (v > (total.get(k) ?? 0)) total.set(k, v);
    }
  }
  return total;
}

/** Why the pod cannot go to this node, or undefined when it can. Reasons read like kube-scheduler's. */
export function unfitReason(pod: KubeObject, requests: ResourceAmounts, capacity: NodeCapacity): string | undefined {
  const node = capacity.node;
  if (node.spec?.unschedulable) return 'node(s) were unschedulable';
  const ready = (node.status?.conditions ?? []).find((c: { type: string }) => c.type === 'Ready');
  if (ready && ready.status !== 'True') return 'node(s) were not ready';

  const taint = untoleratedTaint(pod.spec?.tolerations ?? [], node.spec?.taints ?? []);
  if (taint) return `node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`;

  if (!selectsLabels({ matchLabels: pod.spec?.nodeSelector }, node.metadata.labels)) {
    return "node(s) didn't match Pod's node affinity/selector";
  }
  const terms: NodeSelectorTerm[] | undefined =
    pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  if (
    terms &&
    !terms.some(term => matchesNodeSelectorTerm(term, { name: node.metadata.name, labels: node.metadata.labels }))
  ) {
    return "node(s) didn't match Pod's node affinity/selector";
  }

  for (const [resource, amount] of requests) {
    if (amount <= 0) continue;
    const free = (capacity.allocatable.get(resource) ?? 0) - (capacity.used.get(resource) ?? 0);
    if (amount > free) return resource === 'pods' ? 'Too many pods' : `Insufficient ${resource}`;
  }
  return undefined;
}

/** Where a pod goes, or the kube-scheduler style message saying why it goes nowhere. */
export type Placement = { nodeName: string } | { unschedulable: string };

/**
 * Picks a node for the pod. GPU pods are bin-packed (the feasible node with the
 * fewest GPUs left) so whole nodes stay free for gangs; other pods take the
 * first feasible node from a rotating start so they spread.
 */
export function placePod(pod: KubeObject, nodes: NodeCapacity[], start = 0, requests = podRequests(pod)): Placement {
  const gpuResources = [...requests.keys()].filter(k => isGpuResource(k) && (requests.get(k) ?? 0) > 0);
  const reasons = new Map<string, number>();
  let best: { name: string; left: number } | undefined;
  for (let i = 0; i < nodes.length; i++) {
    const capacity = nodes[(start + i) % nodes.length];
    const reason = unfitReason(pod, requests, capacity);
    if (reason) {
      reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
      continue;
    }
    if (gpuResources.length === 0) return { nodeName: capacity.node.metadata.name! };
    const left = gpuResources.reduce(
      (sum, r) => sum + (capacity.allocatable.get(r) ?? 0) - (capacity.used.get(r) ?? 0) - (requests.get(r) ?? 0),
      0,
    );
    if (!best || left < best.left) best = { name: capacity.node.metadata.name!, left };
    if (left === 0) break;
  }
  if (best) return { nodeName: best.name };
  const detail = [...reasons.entries()]
    .sort((a, b) => a[0].localeCompare(b[0]))
    .map(([reason, count]) => `${count} ${reason}`)
    .join(', ');
  return {
    unschedulable: `0/${nodes.length} nodes are available${detail ? `: ${detail}` : ''}. preemption: 0/${
      nodes.length
    } nodes are available: ${nodes.length} Preemption is not helpful for scheduling.`,
  };
}
