import { KubeObject, ObjectStore } from '../store/types';
import { isoTime, SimClock } from './clock';

/** Writes core v1 Events the way the kubelet and kube-scheduler do, keeping only the newest `maxEvents`. */
export class EventRecorder {
  private readonly recent: Array<{ namespace: string; name: string }> = [];
  private seq = 0;

  constructor(
    private readonly store: ObjectStore,
    private readonly clock: SimClock,
    private readonly maxEvents = 5000,
  ) {}

  record(
    object: KubeObject,
    type: 'Normal' | 'Warning',
    reason: string,
    message: string,
    component = 'kube-sim',
  ): void {
    const eventType = this.store.typeFor('v1', 'Event');
    const namespace = object.metadata.namespace ?? 'default';
    const now = isoTime(this.clock);
    const name = `${object.metadata.name}.${(this.clock.now() * 1000 + (this.seq++ % 1000)).toString(16)}`;
    try {
      this.store.create(eventType, {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name, namespace },
        involvedObject: {
          apiVersion: object.apiVersion,
          kind: object.kind,
          name: object.metadata.name,
          namespace: object.metadata.namespace,
          uid: object.metadata.uid,
          resourceVersion: object.metadata.resourceVersion,
        },
        reason,
        message,
        type,
        source: { component },
        reportingComponent: component,
        reportingInstance: component,
        firstTimestamp: now,
        lastTimestamp: now,
        count: 1,
      });
    } catch {
      return; // an event is best effort, like in Kubernetes
    }
    this.recent.push({ namespace, name });
    while (this.recent.length > this.maxEvents) {
      const old = this.recent.shift()!;
      try {
        this.store.delete(eventType, old.namespace, old.name);
      } catch {
        // already gone (namespace deleted or removed by a client)
      }
    }
  }
}
