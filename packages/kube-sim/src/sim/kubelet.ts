import { DurationDistribution } from '../fleet/types';
import { KubeObject, ObjectStore, ResourceType, StoreEvent } from '../store/types';
import { isoTime, SimClock, SimTimer } from './clock';
import { DeviceAllocator } from './devices';
import { EventRecorder } from './events';
import { ResourceClaims } from './dra';
import { hashUnit, sampleDuration } from './random';

/** Annotations that steer the simulated kubelet. */
export const simAnnotations = {
  /** Seconds the pod runs before it terminates. */
  duration: 'kube-sim.io/duration-seconds',
  /** "true": the pod fails instead of succeeding. */
  fail: 'kube-sim.io/fail',
  /** "true": the pod holds its GPUs without using them. */
  idle: 'kube-sim.io/idle',
  /** "true": the pod is a server and runs until deleted. */
  keepRunning: 'kube-sim.io/keep-running',
  /** Model an inference pod serves (vLLM `model_name`). */
  model: 'kube-sim.io/model-name',
} as const;

/** Owners whose pods are servers: they run until deleted. */
const serviceOwnerKinds = ['ReplicaSet', 'Deployment', 'StatefulSet', 'DaemonSet', 'LeaderWorkerSet'];

/** Settings of the simulated kubelet. */
export interface KubeletOptions {
  failureRate: number;
  defaultDuration: DurationDistribution;
  startupSeconds: number;
}

const key = (o: KubeObject) => `${o.metadata.namespace}/${o.metadata.name}`;

/** Whether a pod runs until deleted. */
export function isServicePod(pod: KubeObject): boolean {
  if (pod.metadata.annotations?.[simAnnotations.keepRunning] === 'true') return true;
  return (pod.metadata.ownerReferences ?? []).some(o => serviceOwnerKinds.includes(o.kind));
}

/**
 * The kubelet of every simulated node: starts bound pods, hands them devices,
 * and ends batch pods after their run time with success or failure.
 */
export class Kubelet {
  private readonly timers = new Map<string, SimTimer>();
  /** Running pods this kubelet has taken on (devices held, end armed when they have one). */
  private readonly adopted = new Set<string>();
  private podType!: ResourceType;
  private claims!: ResourceClaims;
  private unsubscribe?: () => void;

  constructor(
    private readonly store: ObjectStore,
    private readonly clock: SimClock,
    private readonly events: EventRecorder,
    readonly devices: DeviceAllocator,
    private readonly options: KubeletOptions,
  ) {}

  start(): void {
    this.podType = this.store.typeFor('v1', 'Pod');
    this.claims = new ResourceClaims(this.store);
    this.unsubscribe = this.store.subscribe(e => this.onEvent(e));
    for (const pod of this.store.list(this.podType)) this.track(pod);
  }

  stop(): void {
    this.unsubscribe?.();
    for (const t of this.timers.values()) t.cancel();
    this.timers.clear();
  }

  private onEvent(e: StoreEvent): void {
    if (e.resource.group !== '' || e.resource.kind !== 'Pod') return;
    // A pod being deleted stops at once (its containers are killed), even while finalizers keep the object.
    if (e.type === 'DELETED' || e.object.metadata.deletionTimestamp) {
      const k = key(e.object);
      this.timers.get(k)?.cancel();
      this.timers.delete(k);
      this.adopted.delete(k);
      this.devices.release(k);
      return;
    }
    this.track(e.object);
  }

  /** Seconds the pod runs; pods of one owner share a run time so gangs end together. */
  runSeconds(pod: KubeObject): number {
    const explicit = Number(pod.metadata.annotations?.[simAnnotations.duration]);
    if (pod.metadata.annotations?.[simAnnotations.duration] !== undefined && Number.isFinite(explicit)) {
      return Math.max(0, explicit);
    }
    const seed = pod.metadata.ownerReferences?.find(o => o.controller)?.uid ?? pod.metadata.uid ?? key(pod);
    let n = 0;
    return sampleDuration(this.options.defaultDuration, () => hashUnit(`${seed}/duration/${n++}`));
  }

  /** Whether the pod ends in failure. */
  willFail(pod: KubeObject): boolean {
    const forced = pod.metadata.annotations?.[simAnnotations.fail];
    if (forced !== undefined) return forced === 'true';
    return hashUnit(`${pod.metadata.uid ?? key(pod)}/fail`) < this.options.failureRate;
  }

  private track(pod: KubeObject): void {
    const k = key(pod);
    const phase = pod.status?.phase ?? 'Pending';
    const node = pod.spec?.nodeName;
    if (!node || this.timers.has(k)) return;
    if (phase === 'Succeeded' || phase === 'Failed') {
      this.adopted.delete(k);
      this.devices.release(k);
      return;
    }
    if (this.adopted.has(k)) return;
    if (phase === 'Pending') {
      this.arm(k, this.options.startupSeconds * 1000, () => this.run(k));
    } else if (phase === 'Running') {
      // After a restart from a state file: take the devices back and finish on time.
      this.allocate(pod);
      this.armFinish(pod);
      this.adopted.add(k);
    }
  }

  private arm(k: string, simMs: number, action: () => void): void {
    this.timers.get(k)?.cancel();
    this.timers.set(
      k,
      this.clock.setTimeout(() => {
        this.timers.delete(k);
        action();
      }, simMs),
    );
  }

  private allocate(pod: KubeObject): void {
    const nodeType = this.store.typeFor('v1', 'Node');
    const node = this.store.get(nodeType, undefined, pod.spec.nodeName);
    if (node) this.devices.allocate(node, key(pod), this.claims.requestsOf(pod).requests);
  }

  private containers(pod: KubeObject): Array<{ name: string; image?: string }> {
    return pod.spec?.containers ?? [];
  }

  private run(k: string): void {
    const [namespace, name] = k.split('/');
    const pod = this.store.get(this.podType, namespace, name);
    if (!pod || !pod.spec?.nodeName || (pod.status?.phase ?? 'Pending') !== 'Pending') return;
    this.allocate(pod);
    this.adopted.add(k); // before the write: its MODIFIED event must not arm a second end
    const startedMs = this.clock.now();
    const now = isoTime(this.clock);
    const conditions = [
      { type: 'PodReadyToStartContainers', status: 'True', lastTransitionTime: now },
      { type: 'Initialized', status: 'True', lastTransitionTime: now },
      { type: 'Ready', status: 'True', lastTransitionTime: now },
      { type: 'ContainersReady', status: 'True', lastTransitionTime: now },
      ...(pod.status?.conditions ?? []).filter((c: { type: string }) => c.type === 'PodScheduled'),
    ];
    const running = this.store.updateStatus(this.podType, {
      ...pod,
      status: {
        ...pod.status,
        phase: 'Running',
        startTime: now,
        hostIP: `10.0.0.${(hashUnit(pod.spec.nodeName) * 250) | 0}`,
        podIP: `10.${(hashUnit(k) * 250) | 0}.${(hashUnit(`${k}/ip`) * 250) | 0}.${(hashUnit(`${k}/ip2`) * 250) | 0}`,
        conditions,
        containerStatuses: this.containers(pod).map(c => ({
          name: c.name,
          image: c.image ?? '',
          imageID: `${c.image ?? ''}@sha256:kube-sim`,
          containerID: `containerd://${hashUnit(`${k}/${c.name}`).toString(16).slice(2)}`,
          ready: true,
          started: true,
          restartCount: 0,
          state: { running: { startedAt: now } },
        })),
      },
    });
    this.events.record(
      pod,
      'Normal',
      'Started',
      `Started container ${this.containers(pod)[0]?.name ?? ''}`.trim(),
      'kubelet',
    );
    this.armFinish(running, startedMs);
  }

  /**
   * Ends the pod `runSeconds` after it started: from `startedMs` when we just
   * started it, else from status.startTime (whole seconds, as the API has it;
   * e.g. a pod loaded from a state file).
   */
  private armFinish(pod: KubeObject, startedMs?: number): void {
    if (isServicePod(pod)) return;
    const k = key(pod);
    const fail = this.willFail(pod);
    const runMs = this.runSeconds(pod) * 1000;
    // A failing pod dies somewhere during its run, not at its planned end.
    const endMs = fail ? runMs * (0.1 + 0.9 * hashUnit(`${pod.metadata.uid}/when`)) : runMs;
    const started = startedMs ?? (Date.parse(pod.status?.startTime ?? '') || this.clock.now());
    this.arm(k, Math.max(0, started + endMs - this.clock.now()), () => this.finish(k, fail));
  }

  private finish(k: string, fail: boolean): void {
    const [namespace, name] = k.split('/');
    const pod = this.store.get(this.podType, namespace, name);
    if (!pod || pod.status?.phase !== 'Running') return;
    const now = isoTime(this.clock);
    const exitCode = fail ? 1 : 0;
    const reason = fail ? 'Error' : 'Completed';
    this.store.updateStatus(this.podType, {
      ...pod,
      status: {
        ...pod.status,
        phase: fail ? 'Failed' : 'Succeeded',
        conditions: (pod.status.conditions ?? []).map((c: { type: string; status: string }) =>
          c.type === 'Ready' || c.type === 'ContainersReady'
            ? { ...c, status: 'False', reason: 'PodCompleted', lastTransitionTime: now }
            : c,
        ),
        containerStatuses: (pod.status.containerStatuses ?? []).map(
          (c: { state?: { running?: { startedAt: string } } }) => ({
            ...c,
            ready: false,
            started: false,
            state: {
              terminated: { exitCode, reason, startedAt: c.state?.running?.startedAt ?? now, finishedAt: now },
            },
          }),
        ),
      },
    });
    this.devices.release(k);
    if (fail) {
      this.events.record(pod, 'Warning', 'Failed', `Container exited with code ${exitCode}`, 'kubelet');
    } else {
      this.events.record(pod, 'Normal', 'Completed', 'Container completed successfully', 'kubelet');
    }
  }
}
