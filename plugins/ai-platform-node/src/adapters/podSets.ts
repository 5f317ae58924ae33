import {
  devicesPerPod,
  parseQuantity,
  type PodResourceClaims,
  type PodSet,
  type ResourceFlavor,
  type Toleration,
} from '@ai-platform/scheduler';

/** The parts of a pod spec the controller reads and writes. */
export interface PodSpecLike extends PodResourceClaims {
  containers?: ContainerLike[];
  initContainers?: ContainerLike[];
  overhead?: Record<string, unknown>;
  nodeSelector?: Record<string, string>;
  tolerations?: Toleration[];
}

interface ContainerLike {
  resources?: { requests?: Record<string, unknown>; limits?: Record<string, unknown> };
}

/**
 * One pod set of an object. `spec` is read for requests; `target` (default:
 * `spec`) is the live part of the object where admission writes nodeSelector
 * and tolerations.
 */
export interface PodSlot {
  name: string;
  count: number;
  minCount?: number;
  spec: PodSpecLike;
  target?: { nodeSelector?: Record<string, string>; tolerations?: Toleration[] };
  /** Requests that do not come from containers (e.g. TrainJob's resourcesPerNode). */
  requests?: Record<string, unknown>;
  /** Runs the pod set with fewer pods, for a partial admission (kinds that support minCount). */
  resize?: (count: number) => void;
}

function containerRequests(c: ContainerLike): Record<string, number> {
  const out: Record<string, number> = {};
  // As in Kubernetes, a limit without a request is the request.
  for (const [name, value] of Object.entries({ ...c.resources?.limits, ...c.resources?.requests }))
    out[name] = parseQuantity(value);
  return out;
}

/** Per-pod requests as the scheduler counts them: max(sum of containers, each init container) plus overhead. */
export function podRequests(spec: PodSpecLike, extra?: Record<string, unknown>): Record<string, number> {
  const total: Record<string, number> = {};
  for (const c of spec.containers ?? []) {
    for (const [r, v] of Object.entries(containerRequests(c))) total[r] = (total[r] ?? 0) + v;
  }
  for (const c of spec.initContainers ?? []) {
    for (const [r, v] of Object.entries(containerRequests(c))) total[r] = Math.max(total[r] ?? 0, v);
  }
  for (const [r, v] of Object.entries(spec.overhead ?? {})) total[r] = (total[r] ?? 0) + parseQuantity(v);
  for (const [r, v] of Object.entries(extra ?? {})) total[r] = (total[r] ?? 0) + parseQuantity(v);
  return total;
}

/**
 * The engine's pod set of a slot. `claimTemplate` finds the ResourceClaimTemplates of the object's namespace,
 * whose devices become the pod set's `devices`.
 */
export function toPodSet(
  slot: PodSlot,
  claimTemplate: (name: string) => unknown | undefined = () => undefined,
): PodSet {
  const target = slot.target ?? slot.spec;
  let devices: Record<string, number>;
  try {
    devices = devicesPerPod(slot.spec, claimTemplate);
  } catch (e) {
    throw new Error(`pod set ${slot.name}: ${(e as Error).message}`);
  }
  return {
    name: slot.name,
    count: slot.count,
    ...(slot.minCount !== undefined ? { minCount: slot.minCount } : {}),
    requests: podRequests(slot.spec, slot.requests),
    ...(Object.keys(devices).length > 0 && { devices }),
    ...(target.nodeSelector ? { nodeSelector: target.nodeSelector } : {}),
    ...(target.tolerations ? { tolerations: target.tolerations } : {}),
  };
}

/** Adds the flavors' node labels to the nodeSelector and their tolerations to the tolerations, as Kueue does on admission. */
export function pinToFlavors(slot: PodSlot, flavorNames: string[], flavors: Map<string, ResourceFlavor>) {
  const target = slot.target ?? slot.spec;
  for (const name of new Set(flavorNames)) {
    const flavor = flavors.get(name);
    if (!flavor)
      throw new Error(`ResourceFlavor ${name} assigned to pod set ${slot.name} is not in the queue configuration`);
    if (Object.keys(flavor.nodeLabels).length > 0)
      target.nodeSelector = { ...target.nodeSelector, ...flavor.nodeLabels };
    for (const t of flavor.tolerations) {
      const existing = target.tolerations ?? [];
      if (!existing.some(e => JSON.stringify(e) === JSON.stringify(t))) target.tolerations = [...existing, t];
    }
  }
}
