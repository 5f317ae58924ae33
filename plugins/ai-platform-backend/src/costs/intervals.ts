/**
 * GPU allocation intervals from pod lifecycle: a pod holds its GPUs from the
 * moment it starts running until its containers terminate or it is deleted.
 * Derived from the pod's own timestamps, so re-reading the same pod (restart,
 * relist, watch reconnect) yields the same interval.
 */

import { labels as wellKnown } from '@ai-platform/backstage-plugin-ai-platform-common';

export interface PodLike {
  metadata: {
    uid?: string;
    name?: string;
    namespace?: string;
    labels?: Record<string, string>;
    ownerReferences?: Array<{
      apiVersion?: string;
      kind: string;
      name: string;
      uid?: string;
      controller?: boolean;
    }>;
    deletionTimestamp?: string | Date;
    finalizers?: string[];
  };
  spec?: {
    nodeName?: string;
    /** DRA claims (from templates or by name). */
    resourceClaims?: Array<{ name: string }>;
    containers?: Array<{
      resources?: {
        requests?: Record<string, string>;
        limits?: Record<string, string>;
      };
    }>;
  };
  status?: {
    phase?: string;
    startTime?: string | Date;
    conditions?: Array<{
      type: string;
      status: string;
      lastTransitionTime?: string | Date;
    }>;
    containerStatuses?: Array<{
      state?: { terminated?: { finishedAt?: string | Date } };
    }>;
  };
}

/** The top-level workload a pod's GPU time is costed to (a JobSet's, not its child Job's). */
export interface PodWorkload {
  name: string;
  /** Its LocalQueue (the queue label of the top-level object). */
  queue?: string;
}

export interface NodeInfo {
  /** nvidia.com/gpu.product */
  gpuProduct?: string;
  /** ResourceFlavor whose nodeLabels the node carries. */
  flavor?: string;
  /** Time-slicing replicas per GPU (nvidia.com/gpu.replicas). */
  replicas?: number;
}

export interface GpuInterval {
  /** pod uid + resource: the ledger's identity. */
  podUid: string;
  resource: string;
  cluster: string;
  namespace: string;
  pod: string;
  node?: string;
  workload: string;
  team?: string;
  queue?: string;
  flavor?: string;
  gpuProduct?: string;
  count: number;
  /** Each device is shareNum/shareDen of a whole GPU (MIG, time-slicing). */
  shareNum: number;
  shareDen: number;
  start: number;
  /** undefined while the pod still runs */
  end?: number;
}

/** An interval's identity in the ledger: its pod and resource. */
export const intervalKey = (i: Pick<GpuInterval, 'podUid' | 'resource'>) => `${i.podUid}|${i.resource}`;

/** Slices of a whole GPU of a MIG profile (`1g.10gb`; A100/H100: 7 compute slices). */
export function migProfileShare(profile: string): { num: number; den: number } | undefined {
  const match = /^(\d+)g\./.exec(profile);
  return match ? { num: Number(match[1]), den: 7 } : undefined;
}

/** Slices of a whole GPU per MIG resource name (`nvidia.com/mig-1g.10gb`). */
export function migShare(resource: string): { num: number; den: number } | undefined {
  return resource.startsWith('nvidia.com/mig-') ? migProfileShare(resource.slice('nvidia.com/mig-'.length)) : undefined;
}

/** GPU resources: whole GPUs, time-sliced replicas, MIG slices. */
export const isGpuResource = (r: string) =>
  r === 'nvidia.com/gpu' || r === 'nvidia.com/gpu.shared' || r.startsWith('nvidia.com/mig-');

const ms = (t: string | Date | undefined) => (t === undefined ? undefined : new Date(t).getTime());

/** What share of a whole GPU one device of `resource` is on a node (MIG slice, time-sliced replica). */
export function deviceShare(resource: string, node: NodeInfo | undefined): { num: number; den: number } {
  return (
    migShare(resource) ??
    (resource === 'nvidia.com/gpu.shared' ? { num: 1, den: Math.max(1, node?.replicas ?? 1) } : { num: 1, den: 1 })
  );
}

/** When the pod started holding its devices: Running since startTime (or Ready), never if it never started. */
function startOf(pod: PodLike): number | undefined {
  const phase = pod.status?.phase;
  if (!phase || phase === 'Pending') return undefined;
  const ready = pod.status?.conditions?.find(c => c.type === 'PodScheduled' && c.status === 'True');
  return ms(pod.status?.startTime) ?? ms(ready?.lastTransitionTime);
}

/** When it stopped: last container termination, else its deletion. */
function endOf(pod: PodLike): number | undefined {
  const phase = pod.status?.phase;
  const finished = (pod.status?.containerStatuses ?? [])
    .map(c => ms(c.state?.terminated?.finishedAt))
    .filter((t): t is number => t !== undefined);
  if ((phase === 'Succeeded' || phase === 'Failed') && finished.length) return Math.max(...finished);
  return ms(pod.metadata.deletionTimestamp);
}

/** Devices of one resource a pod holds, each `share` of a whole GPU. */
export interface HeldDevices {
  count: number;
  share: { num: number; den: number };
}

/** Adds devices of one resource; devices of one resource but different shares add up as one device of their sum. */
function addHeld(totals: Map<string, HeldDevices>, resource: string, more: HeldDevices) {
  const known = totals.get(resource);
  if (!known) totals.set(resource, { count: more.count, share: { ...more.share } });
  else if (known.share.num * more.share.den === more.share.num * known.share.den) known.count += more.count;
  else
    totals.set(resource, {
      count: 1,
      share: {
        num: known.count * known.share.num * more.share.den + more.count * more.share.num * known.share.den,
        den: known.share.den * more.share.den,
      },
    });
}

/**
 * The intervals of one pod (one per GPU resource it requests in its containers or holds through DRA claims);
 * empty when it never ran or uses no GPU.
 */
export function podIntervals(
  cluster: string,
  pod: PodLike,
  node: NodeInfo | undefined,
  namespaceTeam?: string,
  /** The top-level workload the pod belongs to, when the controller has traced its owners. */
  topLevel?: PodWorkload,
  /** The GPU devices its allocated ResourceClaims hold. */
  claimed: ReadonlyArray<HeldDevices & { resource: string }> = [],
): GpuInterval[] {
  const start = startOf(pod);
  if (start === undefined || !pod.metadata.uid) return [];
  const requested = new Map<string, number>();
  for (const c of pod.spec?.containers ?? []) {
    for (const [resource, value] of Object.entries({
      ...c.resources?.limits,
      ...c.resources?.requests,
    })) {
      if (isGpuResource(resource)) requested.set(resource, (requested.get(resource) ?? 0) + Number(value));
    }
  }
  const totals = new Map<string, HeldDevices>();
  for (const [resource, count] of requested) addHeld(totals, resource, { count, share: deviceShare(resource, node) });
  for (const c of claimed) addHeld(totals, c.resource, c);
  const labels = pod.metadata.labels ?? {};
  const owner = pod.metadata.ownerReferences?.find(o => o.controller) ?? pod.metadata.ownerReferences?.[0];
  // A Deployment's pods belong to a ReplicaSet named "<deployment>-<pod-template-hash>".
  const hash = labels['pod-template-hash'];
  const deployment =
    owner?.kind === 'ReplicaSet' && hash && owner.name.endsWith(`-${hash}`)
      ? owner.name.slice(0, -hash.length - 1)
      : undefined;
  const workload =
    topLevel?.name ??
    labels['serving.kserve.io/inferenceservice'] ??
    labels['leaderworkerset.sigs.k8s.io/name'] ??
    labels['jobset.sigs.k8s.io/jobset-name'] ??
    labels['batch.kubernetes.io/job-name'] ??
    labels['job-name'] ??
    deployment ??
    owner?.name ??
    pod.metadata.name!;
  const end = endOf(pod);
  return [...totals]
    .filter(([, held]) => held.count > 0)
    .map(([resource, { count, share }]) => ({
      podUid: pod.metadata.uid!,
      resource,
      cluster,
      namespace: pod.metadata.namespace ?? 'default',
      pod: pod.metadata.name!,
      node: pod.spec?.nodeName,
      workload,
      team: labels[wellKnown.team] ?? namespaceTeam,
      queue: topLevel ? topLevel.queue : labels[wellKnown.queueName],
      flavor: node?.flavor,
      gpuProduct: node?.gpuProduct,
      count,
      shareNum: share.num,
      shareDen: share.den,
      start,
      end: end !== undefined ? Math.max(start, end) : undefined,
    }));
}
