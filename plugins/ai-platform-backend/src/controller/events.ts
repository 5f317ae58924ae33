import type { CoreV1Event } from '@kubernetes/client-node';
import type { WorkloadObject } from '@ai-platform/backstage-plugin-ai-platform-node';
import type { WorkloadEvent } from '@ai-platform/backstage-plugin-ai-platform-common';
import type { ClusterClient } from '../clusters/ClusterClient';

export const eventSource = 'ai-platform-admission';

/** Writes a core/v1 Event about a workload, as `kubectl describe` shows it. */
export async function writeEvent(
  client: ClusterClient,
  obj: WorkloadObject,
  type: 'Normal' | 'Warning',
  reason: string,
  message: string,
) {
  const now = new Date();
  const { namespace, name } = obj.metadata;
  await client.core.createNamespacedEvent({
    namespace,
    body: {
      metadata: {
        name: `${name}.${now.getTime().toString(16)}${Math.floor(Math.random() * 4096).toString(16)}`,
        namespace,
      },
      involvedObject: {
        apiVersion: obj.apiVersion,
        kind: obj.kind,
        name,
        namespace,
        uid: obj.metadata.uid,
        resourceVersion: obj.metadata.resourceVersion,
      },
      reason,
      message,
      type,
      count: 1,
      firstTimestamp: now,
      lastTimestamp: now,
      source: { component: eventSource },
      reportingComponent: eventSource,
    },
  });
}

/** The Events whose involvedObject is the workload, oldest first. */
export async function readEvents(
  client: ClusterClient,
  ref: { namespace: string; kind: string; name: string },
): Promise<WorkloadEvent[]> {
  const list = await client.core.listNamespacedEvent({
    namespace: ref.namespace,
    fieldSelector: `involvedObject.name=${ref.name}`,
  });
  return list.items
    .filter(
      (e: CoreV1Event) =>
        e.involvedObject.name === ref.name && (!e.involvedObject.kind || e.involvedObject.kind === ref.kind),
    )
    .map((e: CoreV1Event) => ({
      type: e.type === 'Warning' ? ('Warning' as const) : ('Normal' as const),
      reason: e.reason ?? '',
      message: e.message ?? '',
      time: new Date(e.lastTimestamp ?? e.eventTime ?? e.metadata.creationTimestamp ?? 0).toISOString(),
      count: e.count ?? 1,
      source: e.source?.component ?? e.reportingComponent,
    }))
    .sort((a, b) => a.time.localeCompare(b.time));
}
