import { KubeObject, ObjectStore, ResourceType, StoreEvent } from '../store/types';
import { isoTime, SimClock } from './clock';
import { ResourceClaims } from './dra';
import { EventRecorder } from './events';
import { NodeCapacity, placePod } from './placement';
import { addAmounts, ResourceAmounts, toAmounts } from './quantity';

const key = (o: KubeObject) => `${o.metadata.namespace}/${o.metadata.name}`;
const terminal = (pod: KubeObject) => pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';

/** The scheduler name pods get when they name none; pods naming another scheduler are left alone. */
export const schedulerNames = ['default-scheduler', 'kube-sim'];

/**
 * kube-scheduler's filtering and binding: binds Pending pods without a node to
 * a node whose allocatable resources minus those of bound pods fit the pod's
 * requests and whose labels and taints the pod accepts.
 */
function gated(pod: KubeObject): boolean {
  return (pod.spec?.schedulingGates?.length ?? 0) > 0;
}

export class PodScheduler {
  private readonly nodes = new Map<string, NodeCapacity>();
  private readonly usage = new Map<string, { node: string; requests: ResourceAmounts }>();
  private readonly pending = new Set<string>();
  private readonly unschedulable = new Map<string, string>(); // pod key -> last message
  private podType!: ResourceType;
  private unsubscribe?: () => void;
  private drainScheduled = false;
  private retryTimer?: NodeJS.Timeout;
  private rotate = 0;
  private stopped = false;
  private claims!: ResourceClaims;

  constructor(
    private readonly store: ObjectStore,
    private readonly clock: SimClock,
    private readonly events: EventRecorder,
  ) {}

  start(): void {
    this.podType = this.store.typeFor('v1', 'Pod');
    this.claims = new ResourceClaims(this.store);
    const nodeType = this.store.typeFor('v1', 'Node');
    this.unsubscribe = this.store.subscribe(e => this.onEvent(e));
    for (const node of this.store.list(nodeType)) this.upsertNode(node);
    for (const pod of this.store.list(this.podType)) this.trackPod(pod);
    this.scheduleDrain();
  }

  stop(): void {
    this.stopped = true;
    this.unsubscribe?.();
    if (this.retryTimer) clearTimeout(this.retryTimer);
  }

  private onEvent(e: StoreEvent): void {
    if (e.resource.group === 'resource.k8s.io' && e.resource.kind !== 'ResourceClaim') this.retryUnschedulable();
    if (e.resource.group !== '') return;
    if (e.resource.kind === 'Node') {
      if (e.type === 'DELETED') this.nodes.delete(e.object.metadata.name!);
      else this.upsertNode(e.object);
      this.retryUnschedulable();
    } else if (e.resource.kind === 'Pod') {
      if (e.type === 'DELETED') {
        const k = key(e.object);
        this.pending.delete(k);
        this.unschedulable.delete(k);
        this.claims.release(e.object);
        if (this.release(k)) this.retryUnschedulable();
      } else {
        this.trackPod(e.object);
      }
    }
  }

  private upsertNode(node: KubeObject): void {
    const name = node.metadata.name!;
    const existing = this.nodes.get(name);
    this.nodes.set(name, {
      node,
      allocatable: toAmounts(node.status?.allocatable),
      used: existing?.used ?? new Map(),
    });
  }

  private release(podKey: string): boolean {
    const u = this.usage.get(podKey);
    if (!u) return false;
    this.usage.delete(podKey);
    const n = this.nodes.get(u.node);
    if (n) addAmounts(n.used, u.requests, -1);
    return true;
  }

  private trackPod(pod: KubeObject): void {
    const k = key(pod);
    if (terminal(pod)) {
      this.pending.delete(k);
      this.unschedulable.delete(k);
      this.claims.release(pod);
      if (this.release(k)) this.retryUnschedulable();
      return;
    }
    if (pod.spec?.nodeName) {
      this.pending.delete(k);
      this.unschedulable.delete(k);
      if (!this.usage.has(k)) {
        const { requests } = this.claims.requestsOf(pod);
        this.usage.set(k, { node: pod.spec.nodeName, requests });
        const n = this.nodes.get(pod.spec.nodeName);
        if (n) addAmounts(n.used, requests);
      }
      return;
    }
    if (!schedulerNames.includes(pod.spec?.schedulerName ?? 'default-scheduler')) return;
    if (pod.metadata.deletionTimestamp || this.unschedulable.has(k)) return;
    if (gated(pod)) {
      this.markGated(pod);
      return;
    }
    this.pending.add(k);
    this.scheduleDrain();
  }

  private scheduleDrain(): void {
    if (this.drainScheduled || this.stopped) return;
    this.drainScheduled = true;
    setImmediate(() => {
      this.drainScheduled = false;
      this.drain();
    });
  }

  /** Pods that did not fit are tried again when capacity frees up, at most every 200 ms. */
  private retryUnschedulable(): void {
    if (this.unschedulable.size === 0 || this.retryTimer || this.stopped) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      for (const k of this.unschedulable.keys()) this.pending.add(k);
      this.scheduleDrain();
    }, 200);
    this.retryTimer.unref?.();
  }

  private drain(): void {
    const batch = [...this.pending];
    this.pending.clear();
    const nodes = [...this.nodes.values()];
    const started = Date.now();
    for (let i = 0; i < batch.length; i++) {
      // Yield to the event loop on big batches so the API server stays responsive.
      if (Date.now() - started > 50) {
        for (const k of batch.slice(i)) this.pending.add(k);
        this.scheduleDrain();
        return;
      }
      const [namespace, name] = batch[i].split('/');
      const pod = this.store.get(this.podType, namespace, name);
      if (!pod || pod.spec?.nodeName || terminal(pod) || gated(pod)) continue;
      this.schedule(pod, nodes);
    }
  }

  /** As Kubernetes: a pod with scheduling gates waits, PodScheduled False with reason SchedulingGated, until they are removed. */
  private markGated(pod: KubeObject): void {
    const conditions: Array<{ type: string; reason?: string }> = pod.status?.conditions ?? [];
    if (conditions.some(c => c.type === 'PodScheduled' && c.reason === 'SchedulingGated')) return;
    this.markUnscheduled(pod, 'SchedulingGated', 'Scheduling is blocked due to non-empty scheduling gates');
  }

  private schedule(pod: KubeObject, nodes: NodeCapacity[]): void {
    const k = key(pod);
    const { requests, problem } = this.claims.requestsOf(pod);
    const placement =
      problem !== undefined
        ? { unschedulable: `0/${nodes.length} nodes are available: ${problem}.` }
        : placePod(pod, nodes, this.rotate++ % Math.max(1, nodes.length), requests);
    const now = isoTime(this.clock);
    if ('nodeName' in placement) {
      this.unschedulable.delete(k);
      const resourceClaimStatuses = this.claims.allocate(pod, placement.nodeName);
      const bound = this.store.update(this.podType, {
        ...pod,
        spec: { ...pod.spec, nodeName: placement.nodeName },
      });
      const conditions = (bound.status?.conditions ?? []).filter((c: { type: string }) => c.type !== 'PodScheduled');
      this.store.updateStatus(this.podType, {
        ...bound,
        status: {
          phase: 'Pending',
          ...bound.status,
          ...(resourceClaimStatuses.length > 0 && { resourceClaimStatuses }),
          conditions: [
            ...conditions,
            { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: now },
          ],
        },
      });
      this.events.record(
        pod,
        'Normal',
        'Scheduled',
        `Successfully assigned ${k} to ${placement.nodeName}`,
        'default-scheduler',
      );
      return;
    }
    const previous = this.unschedulable.get(k);
    this.unschedulable.set(k, placement.unschedulable);
    if (previous === placement.unschedulable) return;
    this.markUnscheduled(pod, 'Unschedulable', placement.unschedulable);
    this.events.record(pod, 'Warning', 'FailedScheduling', placement.unschedulable, 'default-scheduler');
  }

  /** PodScheduled False with this reason, the pod Pending, as kube-scheduler writes it. */
  private markUnscheduled(pod: KubeObject, reason: string, message: string): void {
    const conditions = (pod.status?.conditions ?? []).filter((c: { type: string }) => c.type !== 'PodScheduled');
    this.store.updateStatus(this.podType, {
      ...pod,
      status: {
        ...pod.status,
        phase: 'Pending',
        conditions: [
          ...conditions,
          {
            type: 'PodScheduled',
            status: 'False',
            reason,
            message,
            lastProbeTime: null,
            lastTransitionTime: isoTime(this.clock),
          },
        ],
      },
    });
  }
}
