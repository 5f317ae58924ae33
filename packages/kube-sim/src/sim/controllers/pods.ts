import { KubeObject, ObjectStore } from '../../store/types';
import { simAnnotations } from '../kubelet';

/** A controller owner reference to `owner`, so the store cascades deletes. */
export function ownerReference(owner: KubeObject) {
  return {
    apiVersion: owner.apiVersion,
    kind: owner.kind,
    name: owner.metadata.name!,
    uid: owner.metadata.uid!,
    controller: true,
    blockOwnerDeletion: true,
  };
}

/** `kube-sim.io/*` annotations of an owner, which steer the kubelet for every pod it makes. */
export function simAnnotationsOf(owner: KubeObject): Record<string, string> {
  return Object.fromEntries(
    Object.entries(owner.metadata.annotations ?? {}).filter(([k]) => k.startsWith('kube-sim.io/')),
  );
}

/** A pod template spec (`{ metadata, spec }`) as Kubernetes writes it in workloads. */
export interface PodTemplate {
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: Record<string, unknown>;
}

/** Builds a pod from a template, owned by `owner`. */
export function podFromTemplate(
  owner: KubeObject,
  template: PodTemplate | undefined,
  opts: {
    name?: string;
    generateName?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    keepRunning?: boolean;
  },
): KubeObject {
  const spec = structuredClone(template?.spec ?? {}) as Record<string, unknown>;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      ...(opts.name ? { name: opts.name } : { generateName: opts.generateName }),
      namespace: owner.metadata.namespace,
      labels: { ...template?.metadata?.labels, ...opts.labels },
      annotations: {
        ...simAnnotationsOf(owner),
        ...template?.metadata?.annotations,
        ...opts.annotations,
        ...(opts.keepRunning ? { [simAnnotations.keepRunning]: 'true' } : {}),
      },
      ownerReferences: [ownerReference(owner)],
    },
    spec: {
      restartPolicy: 'Always',
      schedulerName: 'default-scheduler',
      terminationGracePeriodSeconds: 30,
      dnsPolicy: 'ClusterFirst',
      ...spec,
      containers: (spec.containers as unknown[] | undefined) ?? [{ name: 'main', image: 'busybox' }],
    },
    status: { phase: 'Pending' },
  };
}

const suffixAlphabet = 'bcdfghjklmnpqrstvwxz2456789';

/** A five-character suffix like the ones Kubernetes appends to generated names. */
export function randomSuffix(random: () => number, length = 5): string {
  let s = '';
  for (let i = 0; i < length; i++) s += suffixAlphabet[Math.floor(random() * suffixAlphabet.length)];
  return s;
}

/** Pod counts a workload status is built from. */
export interface PodCounts {
  active: number;
  ready: number;
  succeeded: number;
  failed: number;
}

export const isActive = (pod: KubeObject) => pod.status?.phase !== 'Succeeded' && pod.status?.phase !== 'Failed';
export const isReady = (pod: KubeObject) =>
  pod.status?.phase === 'Running' &&
  (pod.status?.conditions ?? []).some(
    (c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True',
  );

export function countPods(pods: KubeObject[]): PodCounts {
  const counts = { active: 0, ready: 0, succeeded: 0, failed: 0 };
  for (const p of pods) {
    if (p.status?.phase === 'Succeeded') counts.succeeded++;
    else if (p.status?.phase === 'Failed') counts.failed++;
    else {
      counts.active++;
      if (isReady(p)) counts.ready++;
    }
  }
  return counts;
}

/** Deletes the pods that are still running or pending. */
export function deleteActive(store: ObjectStore, pods: KubeObject[]): void {
  const podType = store.typeFor('v1', 'Pod');
  for (const p of pods.filter(isActive)) {
    try {
      store.delete(podType, p.metadata.namespace, p.metadata.name!);
    } catch {
      // already gone
    }
  }
}

/** A condition in the Kubernetes shape. */
export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  lastProbeTime?: string;
  lastUpdateTime?: string;
}

/** Sets a condition, keeping lastTransitionTime when the status does not change. */
export function setCondition(
  conditions: Condition[] | undefined,
  next: Omit<Condition, 'lastTransitionTime'>,
  now: string,
): Condition[] {
  const list = [...(conditions ?? [])];
  const i = list.findIndex(c => c.type === next.type);
  const old = i >= 0 ? list[i] : undefined;
  const merged: Condition = {
    ...next,
    lastTransitionTime: old && old.status === next.status ? old.lastTransitionTime : now,
  };
  if (old && old.status === merged.status && old.reason === merged.reason && old.message === merged.message)
    return list;
  if (i >= 0) list[i] = merged;
  else list.push(merged);
  return list;
}

/** Sets several conditions that share a reason and message, e.g. Job's SuccessCriteriaMet and Complete. */
export function setConditions(
  conditions: Condition[] | undefined,
  types: Array<[type: string, status: 'True' | 'False']>,
  reason: string,
  message: string,
  now: string,
): Condition[] {
  return types.reduce(
    (list, [type, status]) => setCondition(list, { type, status, reason, message }, now),
    conditions ?? [],
  );
}

/** True when the condition of that type is True. */
export function hasCondition(conditions: Condition[] | undefined, type: string): boolean {
  return (conditions ?? []).some(c => c.type === type && c.status === 'True');
}
