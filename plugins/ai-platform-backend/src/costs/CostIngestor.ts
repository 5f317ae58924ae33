import type { LoggerService } from '@backstage/backend-plugin-api';
import pLimit from 'p-limit';
import { labels as wellKnown } from '@ai-platform/backstage-plugin-ai-platform-common';
import type { ClusterClient } from '../clusters/ClusterClient';
import type { ClusterCache, ClusterRegistry } from '../clusters/ClusterRegistry';
import { resourceClaimKind, resourceSliceKind } from '../clusters/kinds';
import type { DeviceClassMapping } from '@ai-platform/scheduler';
import type { CostLedger } from './CostLedger';
import { claimedDevicesByPod, type ResourceClaimLike, type ResourceSliceLike } from './claimedDevices';
import { intervalKey, isGpuResource, NodeInfo, podIntervals, PodLike, type PodWorkload } from './intervals';
import { nodeSnapshot, type NodeCapacityLedger, type NodeLike, type NodeSnapshot } from './NodeCapacity';

/** Clusters synced at once (each holds a database connection while it writes). */
const CONCURRENT_CLUSTERS = 4;

export interface FlavorLike {
  metadata: { name: string };
  spec?: { nodeLabels?: Record<string, string> };
}

/**
 * What the admission controller knows that a pod list does not: the
 * top-level workload each pod belongs to (traced through its owners), and the
 * ResourceFlavors of the cluster's queues, including those configured in
 * aiPlatform.queues rather than applied to the cluster.
 */
export interface PodAttribution {
  /** `pods`: the cluster's pods by uid, to trace through pods that own objects (a LeaderWorkerSet's leader). */
  workloadOf(cluster: string, pod: PodLike, pods: Map<string, PodLike>): PodWorkload | undefined;
  flavorsOf(cluster: string): FlavorLike[];
  /** The engine's `deviceClassMappings`: which DRA DeviceClasses count as which resource. */
  deviceClassMappings(cluster: string): readonly DeviceClassMapping[];
  /** Calls `listener` with every pod change the controller sees, and whether this replica leads that cluster. */
  watchPods(listener: (cluster: string, type: 'upsert' | 'delete', pod: PodLike, leader: boolean) => void): () => void;
}

/**
 * Held on GPU pods until the ledger has recorded how long they ran: a pod
 * deleted while no replica of the backend runs (a restart, an upgrade) stays
 * Terminating, with its deletion time, until the ledger has closed its
 * interval, and so is never lost (Kueue keeps its pods the same way).
 */
export const gpuAccountingFinalizer = 'ai-platform.io/gpu-accounting';

/** Requests GPUs, or claims devices through DRA (which may be GPUs; its claims are only allocated later). */
const usesGpu = (pod: PodLike) =>
  (pod.spec?.resourceClaims?.length ?? 0) > 0 ||
  (pod.spec?.containers ?? []).some(c =>
    Object.keys({ ...c.resources?.requests, ...c.resources?.limits }).some(isGpuResource),
  );
const finalized = (pod: PodLike) => (pod.metadata.finalizers ?? []).includes(gpuAccountingFinalizer);

/** The flavor whose nodeLabels a node carries (the most specific match). */
function flavorOf(labels: Record<string, string>, flavors: FlavorLike[]): string | undefined {
  let best: { name: string; size: number } | undefined;
  for (const f of flavors) {
    const wanted = Object.entries(f.spec?.nodeLabels ?? {});
    if (wanted.length && wanted.every(([k, v]) => labels[k] === v) && (!best || wanted.length > best.size)) {
      best = { name: f.metadata.name, size: wanted.length };
    }
  }
  return best?.name;
}

/** How long a deleted pod is kept for the next pass. */
const DELETED_POD_MEMORY_MS = 3_600_000;

/** A cluster whose informers are still making their first lists. */
class NotListedYet extends Error {}

/**
 * Feeds the ledger from every cluster's pods, nodes and namespaces as the
 * registry's informers hold them (listed once, then watched; nothing is
 * listed again per pass). Each pass writes the whole state it sees, plus the
 * pods deleted since the last pass, so a restart, a reconnect or a missed
 * event only delays accounting, never changes it. A cluster whose informers
 * have not listed yet, or whose watches fail, is skipped and retried.
 */
export class CostIngestor {
  constructor(
    private readonly registry: ClusterRegistry,
    private readonly ledger: CostLedger,
    private readonly logger: LoggerService,
    /** Records node GPU capacity from the same node list, for fleet idle. */
    private readonly capacity?: NodeCapacityLedger,
    private readonly attribution?: PodAttribution,
    /** Keep GPU pods with the gpu-accounting finalizer until their interval is recorded (aiPlatform.costs.podFinalizer). */
    private readonly finalizePods = false,
  ) {}

  private readonly pendingSyncs = new Map<string, NodeJS.Timeout>();
  /** Per cluster, pods seen deleted since the last pass, with when: a pod that ran between two passes still counts. */
  private readonly deletedPods = new Map<string, Map<string, { pod: PodLike; at: number }>>();
  /** Per cluster, ResourceClaims seen deleted (DRA deletes a pod's claims when it ends), kept while their pods are. */
  private readonly deletedClaims = new Map<string, Map<string, { claim: ResourceClaimLike; at: number }>>();
  private readonly unwatch: Array<() => void> = [];

  /**
   * Follows the clusters' pods: remembers deleted ones for the next pass and, with the finalizer on, gives new GPU
   * pods the finalizer and records a deleted one at once (as the controller reports them, on the cluster's leader).
   */
  start() {
    for (const cluster of this.registry.clusters) {
      this.deletedPods.set(cluster.name, new Map());
      const deleted = new Map<string, { claim: ResourceClaimLike; at: number }>();
      this.deletedClaims.set(cluster.name, deleted);
      this.unwatch.push(
        cluster.informer(resourceClaimKind).subscribe((type, claim) => {
          if (type === 'delete' && claim.metadata?.uid) deleted.set(claim.metadata.uid, { claim, at: Date.now() });
        }),
      );
    }
    const onPod = (name: string, type: 'upsert' | 'delete', pod: PodLike, leader: boolean) => {
      if (type === 'delete') this.rememberDeleted(name, pod);
      else if (this.finalizePods && leader) this.finalize(name, pod);
    };
    // One subscription to the pod informers: through the controller (which knows the leader) when there is one.
    if (this.attribution) this.unwatch.push(this.attribution.watchPods(onPod));
    else
      for (const cluster of this.registry.clusters)
        this.unwatch.push(
          cluster.pods.subscribe((type, obj) => onPod(cluster.name, type, obj as unknown as PodLike, false)),
        );
  }

  private rememberDeleted(cluster: string, pod: PodLike) {
    const deleted = this.deletedPods.get(cluster);
    if (!deleted || !pod.metadata.uid) return;
    const now = Date.now();
    deleted.set(pod.metadata.uid, { pod, at: now });
    // On a replica that does not run the ingest nobody takes them: forget the oldest (first in) after an hour.
    for (const [uid, d] of deleted) {
      if (d.at >= now - DELETED_POD_MEMORY_MS) break;
      deleted.delete(uid);
    }
  }

  /** Gives a new GPU pod the finalizer; a terminating one that has it is recorded at once. */
  private finalize(name: string, pod: PodLike) {
    const cluster = this.registry.get(name);
    if (!cluster || !usesGpu(pod)) return;
    if (pod.metadata.deletionTimestamp) {
      if (finalized(pod)) this.syncSoon(cluster);
    } else if (!finalized(pod)) {
      void this.setFinalizer(cluster.client, pod, true).catch(e =>
        this.logger.debug(`Cost ledger: cannot add the ${gpuAccountingFinalizer} finalizer: ${(e as Error).message}`),
      );
    }
  }

  /**
   * The pods deleted since the last call, each with a deletionTimestamp (the time the deletion was seen when the
   * API server removed it at once). Forgets what nobody asked for within an hour.
   */
  private takeDeletedPods(cluster: string): PodLike[] {
    const deleted = this.deletedPods.get(cluster);
    if (!deleted) return [];
    const stale = Date.now() - DELETED_POD_MEMORY_MS;
    const pods = [...deleted.values()]
      .filter(d => d.at >= stale)
      .map(({ pod, at }) => ({
        ...pod,
        metadata: { ...pod.metadata, deletionTimestamp: pod.metadata.deletionTimestamp ?? new Date(at) },
      }));
    deleted.clear();
    return pods;
  }

  stop() {
    for (const unwatch of this.unwatch.splice(0)) unwatch();
    for (const t of this.pendingSyncs.values()) clearTimeout(t);
    this.pendingSyncs.clear();
  }

  /** Deletions arriving together share one sync, so a terminating pod waits seconds, not a whole ingest interval. */
  private syncSoon(cluster: { name: string }) {
    if (this.pendingSyncs.has(cluster.name)) return;
    this.pendingSyncs.set(
      cluster.name,
      setTimeout(() => {
        this.pendingSyncs.delete(cluster.name);
        void this.syncCluster(cluster).catch(e =>
          this.logger.warn(`Cost ledger: cannot sync cluster ${cluster.name}: ${(e as Error).message}`),
        );
      }, 2_000),
    );
  }

  private async setFinalizer(client: ClusterClient, pod: PodLike, on: boolean) {
    const { namespace, name } = pod.metadata;
    if (!namespace || !name) return;
    await client.update({ apiVersion: 'v1', kind: 'Pod', namespace, name }, current => {
      const list = current.metadata.finalizers ?? [];
      if (list.includes(gpuAccountingFinalizer) === on || (on && current.metadata.deletionTimestamp)) return undefined;
      const next = structuredClone(current);
      next.metadata.finalizers = on
        ? [...list, gpuAccountingFinalizer]
        : list.filter(f => f !== gpuAccountingFinalizer);
      return next;
    });
  }

  /** The cluster's informers once they hold the current state; throws (the pass skips the cluster) until then. */
  private cacheOf(name: string): ClusterCache {
    const cache = this.registry.get(name);
    if (!cache) throw new Error(`cluster ${name} is not in the registry`);
    const watches = [
      cache.pods,
      cache.nodes,
      cache.namespaces,
      cache.informer(resourceClaimKind),
      cache.informer(resourceSliceKind),
    ];
    const waiting = watches.filter(w => !w.synced).map(w => w.target.kind);
    if (waiting.length) throw new NotListedYet(`its informers have not listed ${waiting.join(', ')} yet`);
    const error = cache.lastError(watches);
    if (error) throw new Error(error);
    return cache;
  }

  /** One pass over one cluster (`cluster.name`) from its informers' current objects. */
  async syncCluster(cluster: { name: string }, now = Date.now()): Promise<{ intervals: number; closed: number }> {
    const cache = this.cacheOf(cluster.name);
    const pods = cache.pods.list() as unknown as PodLike[];
    const nodes = cache.nodes.list();
    const clusterFlavors = cache.resourceFlavors.list() as unknown as FlavorLike[];
    const configured = this.attribution?.flavorsOf(cluster.name) ?? [];
    const flavors = [
      ...configured,
      ...clusterFlavors.filter(f => !configured.some(c => c.metadata.name === f.metadata.name)),
    ];
    const nodeInfo = new Map<string, NodeInfo>();
    for (const n of nodes) {
      const labels = n.metadata?.labels ?? {};
      nodeInfo.set(n.metadata!.name!, {
        gpuProduct: labels[wellKnown.gpuProduct],
        replicas: labels['nvidia.com/gpu.replicas'] ? Number(labels['nvidia.com/gpu.replicas']) : undefined,
        flavor: flavorOf(labels, flavors),
      });
    }
    await this.capacity?.record(
      cluster.name,
      nodes
        .map(n => nodeSnapshot(n as unknown as NodeLike, nodeInfo.get(n.metadata?.name ?? '')))
        .filter((n): n is NodeSnapshot => n !== undefined),
      now,
    );
    const teams = new Map(
      cache.namespaces.list().map(ns => [ns.metadata!.name!, ns.metadata?.labels?.[wellKnown.team]]),
    );
    const podsByUid = new Map(pods.map(p => [p.metadata.uid ?? '', p]));
    // A pod deleted since the last pass is ingested as it ended.
    for (const pod of this.takeDeletedPods(cluster.name)) podsByUid.set(pod.metadata.uid ?? '', pod);
    const claimed = this.claimedDevices(cache, podsByUid);
    const intervals = [...podsByUid.values()].flatMap(pod =>
      podIntervals(
        cluster.name,
        pod,
        nodeInfo.get(pod.spec?.nodeName ?? ''),
        teams.get(pod.metadata.namespace ?? ''),
        this.attribution?.workloadOf(cluster.name, pod, podsByUid),
        claimed.get(pod.metadata.uid ?? ''),
      ),
    );
    await this.ledger.ingest(intervals, now);
    const closed = await this.ledger.closeVanished(cluster.name, new Set(intervals.map(intervalKey)));
    if (this.finalizePods) {
      // Recorded now: terminating pods may go. GPU pods that appeared while no replica watched get the finalizer.
      await Promise.all(
        pods
          .filter(p => usesGpu(p) && finalized(p) === Boolean(p.metadata.deletionTimestamp))
          .map(p =>
            this.setFinalizer(cache.client, p, !p.metadata.deletionTimestamp).catch(e =>
              this.logger.debug(`Cost ledger: cannot update the finalizer of pod ${p.metadata.name}: ${e}`),
            ),
          ),
      );
    }
    return { intervals: intervals.length, closed };
  }

  /**
   * The GPU devices each pod holds through DRA, from the claims as the informer holds them plus those deleted
   * since (their pods' intervals still need them); a deleted claim is forgotten once none of its pods is left.
   */
  private claimedDevices(cache: ClusterCache, podsByUid: Map<string, PodLike>) {
    const deleted = this.deletedClaims.get(cache.name) ?? new Map<string, { claim: ResourceClaimLike; at: number }>();
    const claims = [...(cache.informer(resourceClaimKind).list() as ResourceClaimLike[])];
    const stale = Date.now() - DELETED_POD_MEMORY_MS;
    for (const [uid, { claim, at }] of deleted) {
      const pods = [...(claim.status?.reservedFor ?? []), ...(claim.metadata?.ownerReferences ?? [])].map(
        r => r.uid ?? '',
      );
      if (at < stale || !pods.some(pod => podsByUid.has(pod))) deleted.delete(uid);
      else claims.push(claim);
    }
    const slices = cache.informer(resourceSliceKind).list() as ResourceSliceLike[];
    return claimedDevicesByPod(claims, slices, this.attribution?.deviceClassMappings(cache.name) ?? []);
  }

  /** One pass over every cluster, a few side by side: their ledger writes overlap. */
  async sync(): Promise<void> {
    const limit = pLimit(CONCURRENT_CLUSTERS);
    await Promise.all(
      this.registry.clusters.map(cluster =>
        limit(async () => {
          try {
            const { intervals, closed } = await this.syncCluster(cluster);
            this.logger.debug(
              `Cost ledger: ${intervals} GPU intervals from cluster ${cluster.name}, ${closed} closed for vanished pods`,
            );
          } catch (e) {
            // Right after startup the informers may still be listing: not worth a warning.
            const log = e instanceof NotListedYet ? this.logger.debug : this.logger.warn;
            log.call(
              this.logger,
              `Cost ledger: cannot read pods of cluster ${cluster.name}, will retry: ${(e as Error).message}`,
            );
          }
        }),
      ),
    );
  }
}
