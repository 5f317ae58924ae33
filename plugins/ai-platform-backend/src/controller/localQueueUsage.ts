import type { LoggerService } from '@backstage/backend-plugin-api';
import type { KubernetesObject } from '@kubernetes/client-node';
import { formatQuantity } from '@ai-platform/backstage-plugin-ai-platform-common';
import type { WorkloadObject } from '@ai-platform/backstage-plugin-ai-platform-node';
import type { LocalQueueUsageReport } from '@ai-platform/scheduler';
import type { ClusterClient } from '../clusters/ClusterClient';
import { localQueueKind } from '../clusters/kinds';

/** Kueue's LocalQueue status.fairSharing.admissionFairSharingStatus. */
export interface AdmissionFairSharingStatus {
  /** Decayed usage per resource, as quantities. */
  consumedResources: Record<string, string>;
  /** RFC 3339, whole seconds (metav1.Time). */
  lastUpdate: string;
}

/**
 * The status Kueue would write for the engine's report: the consumed
 * resources rounded down to milli-units (Kueue rounds down too, at nano
 * scale; the queue configuration reads milli-units), when last decayed.
 */
export function admissionFairSharingStatus(report: LocalQueueUsageReport & { lastUpdate: number }) {
  const consumedResources: Record<string, string> = {};
  for (const resource of Object.keys(report.consumedResources).sort())
    consumedResources[resource] = formatQuantity(Math.max(0, Math.floor(report.consumedResources[resource])));
  const lastUpdate = new Date(Math.floor(report.lastUpdate / 1000) * 1000).toISOString().replace('.000Z', 'Z');
  return { consumedResources, lastUpdate };
}

type LocalQueueObject = WorkloadObject & {
  status?: { fairSharing?: { weightedShare?: number; admissionFairSharingStatus?: unknown } };
};

/** The LocalQueue with `status` as its admission fair sharing status; undefined when it already says so. */
function withUsage(current: LocalQueueObject, status: AdmissionFairSharingStatus): LocalQueueObject | undefined {
  const fairSharing = current.status?.fairSharing;
  if (JSON.stringify(fairSharing?.admissionFairSharingStatus) === JSON.stringify(status)) return undefined;
  return {
    ...current,
    status: {
      ...current.status,
      // weightedShare is required in Kueue's schema; this platform does not compute it for LocalQueues.
      fairSharing: { weightedShare: fairSharing?.weightedShare ?? 0, admissionFairSharingStatus: status },
    },
  };
}

/**
 * Persists admission fair sharing as Kueue's LocalQueue reconciler does:
 * each LocalQueue of a usage-based ClusterQueue gets its decayed usage in
 * `status.fairSharing.admissionFairSharingStatus`, through the status
 * subresource, whenever the usage moved (a sampling tick, an admission's
 * entry penalty). A restarted or failed-over backend seeds its engine from
 * it. LocalQueues that exist only in `aiPlatform.queues` have nothing on the
 * cluster to write to and keep their usage in memory.
 */
export class LocalQueueUsageWriter {
  /** What was last written per LocalQueue (namespace/name), to skip writes that change nothing. */
  private readonly written = new Map<string, string>();

  constructor(private readonly client: ClusterClient, private readonly logger: LoggerService) {}

  /** Writes every LocalQueue whose usage changed since the last write; `localQueues` are the cluster's objects. */
  async write(usage: Map<string, LocalQueueUsageReport>, localQueues: readonly KubernetesObject[]): Promise<void> {
    const onCluster = new Map(localQueues.map(lq => [`${lq.metadata?.namespace}/${lq.metadata?.name}`, lq]));
    const writes = [...usage].map(async ([key, report]) => {
      const known = onCluster.get(key) as LocalQueueObject | undefined;
      if (!known || report.lastUpdate === undefined) return;
      const status = admissionFairSharingStatus({ ...report, lastUpdate: report.lastUpdate });
      const text = JSON.stringify(status);
      if (this.written.get(key) === text) return;
      const [namespace, name] = key.split('/');
      try {
        await this.client.updateStatus(
          { apiVersion: localQueueKind.apiVersion, kind: 'LocalQueue', plural: localQueueKind.plural, namespace, name },
          current => withUsage(current, status),
          { known },
        );
        this.written.set(key, text);
      } catch (e) {
        this.logger.warn(
          `could not write the admission fair sharing usage of LocalQueue ${key}: ${(e as Error).message}`,
        );
      }
    });
    await Promise.all(writes);
  }
}
