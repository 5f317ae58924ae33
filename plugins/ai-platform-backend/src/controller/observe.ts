import type { LoggerService } from '@backstage/backend-plugin-api';
import type { KubernetesObject } from '@kubernetes/client-node';
import type { WorkloadObject } from '@ai-platform/backstage-plugin-ai-platform-node';
import type { PodSetAssignment } from '@ai-platform/scheduler';
import { reasonFromKueue, type Reason } from '@ai-platform/backstage-plugin-ai-platform-common';
import { ClusterClient, statusOf } from '../clusters/ClusterClient';
import type { RecordedAdmission } from '../workloads/admissionAnnotation';

/**
 * True when Kueue runs in the cluster (a kueue-system namespace with Kueue's
 * controller Lease or Deployment), false when it does not, undefined when
 * the cluster could not be asked.
 */
export async function detectKueue(client: ClusterClient, logger: LoggerService): Promise<boolean | undefined> {
  try {
    const leases = await client.coordination.listNamespacedLease({ namespace: 'kueue-system' });
    if (leases.items.some(l => l.metadata?.name?.endsWith('kueue.x-k8s.io'))) return true;
    const deployment = await client.read({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      namespace: 'kueue-system',
      name: 'kueue-controller-manager',
    });
    return deployment !== undefined;
  } catch (e) {
    if (statusOf(e) === 404) return false;
    logger.warn(`could not check whether Kueue runs in the cluster, observing until it can: ${(e as Error).message}`);
    return undefined;
  }
}

interface KueueWorkload extends KubernetesObject {
  status?: {
    admission?: {
      clusterQueue: string;
      podSetAssignments?: Array<{ name: string; count?: number; flavors?: Record<string, string> }>;
    };
    conditions?: Array<{
      type: string;
      status: string;
      reason?: string;
      message?: string;
      lastTransitionTime?: string;
    }>;
  };
}

/** The kueue Workload that Kueue made for the object (it owns it). */
function ownedWorkload(kueueWorkloads: readonly KubernetesObject[], obj: WorkloadObject): KueueWorkload | undefined {
  return (kueueWorkloads as readonly KueueWorkload[]).find(
    w =>
      w.metadata?.namespace === obj.metadata.namespace &&
      w.metadata?.ownerReferences?.some(o => o.uid === obj.metadata.uid),
  );
}

/**
 * Why Kueue has not admitted the object: the reason and message of its Workload's QuotaReserved=False condition,
 * as this platform's reason (and runbook). Kueue 0.19's reasons (KEP-10852) map to their codes; the generic
 * Pending and Inadmissible of earlier versions stay ObservedOnly, with Kueue's message.
 */
export function observedPendingReason(
  kueueWorkloads: readonly KubernetesObject[],
  obj: WorkloadObject,
): Reason | undefined {
  const condition = ownedWorkload(kueueWorkloads, obj)?.status?.conditions?.find(
    c => c.type === 'QuotaReserved' && c.status === 'False',
  );
  return condition?.reason ? reasonFromKueue(condition.reason, condition.message ?? '') : undefined;
}

/** Kueue's admission of the object, read from the kueue Workload it owns. */
export function observedAdmission(
  kueueWorkloads: KubernetesObject[],
  obj: WorkloadObject,
): RecordedAdmission | undefined {
  const owned = ownedWorkload(kueueWorkloads, obj);
  const admission = owned?.status?.admission;
  if (!admission) return undefined;
  const admitted = owned.status?.conditions?.find(c => c.type === 'Admitted' && c.status === 'True');
  const podSets: PodSetAssignment[] = (admission.podSetAssignments ?? []).map(p => ({
    name: p.name,
    count: p.count ?? 1,
    flavors: p.flavors ?? {},
  }));
  return {
    clusterQueue: admission.clusterQueue,
    podSets,
    admittedAt: Date.parse(admitted?.lastTransitionTime ?? '') || Date.now(),
  };
}
