import type { PodSlot, PodSpecLike } from './podSets';

/**
 * A KubeRay worker group, as in RayCluster's and RayJob's cluster spec.
 *
 * @public
 */
export interface RayWorkerGroup {
  /** The group's name, which becomes its pod set's name. */
  groupName: string;
  /** Pods of the group (replicas, else minReplicas, else 1), each a host of numOfHosts. */
  replicas?: number;
  /** Used when replicas is not set. */
  minReplicas?: number;
  /** Hosts per replica (multi-host TPU/GPU slices); 1 when not set. */
  numOfHosts?: number;
  /** The group's pod template. */
  template?: { spec?: PodSpecLike };
}

/**
 * A KubeRay cluster spec: a RayCluster's `spec`, a RayJob's `spec.rayClusterSpec`.
 *
 * @public
 */
export interface RayClusterSpecLike {
  /** The head pod's template. */
  headGroupSpec?: { template?: { spec?: PodSpecLike } };
  /** The worker groups. */
  workerGroupSpecs?: RayWorkerGroup[];
}

/**
 * The pod slots of a KubeRay cluster spec: the head, then each worker group
 * with replicas × hosts pods. `path` names the spec in errors, e.g.
 * `spec.rayClusterSpec`.
 *
 * @public
 */
export function rayClusterSlots(cluster: RayClusterSpecLike | undefined, path: string): PodSlot[] {
  const head = cluster?.headGroupSpec?.template?.spec;
  if (!head) throw new Error(`${path}.headGroupSpec.template.spec is missing`);
  const slots: PodSlot[] = [{ name: 'head', count: 1, spec: head }];
  (cluster?.workerGroupSpecs ?? []).forEach((group, i) => {
    if (!group.template?.spec) throw new Error(`${path}.workerGroupSpecs[${i}].template.spec is missing`);
    const count = (group.replicas ?? group.minReplicas ?? 1) * (group.numOfHosts ?? 1);
    slots.push({ name: group.groupName, count, spec: group.template.spec });
  });
  return slots;
}
