import type { ReasonCode, WorkloadSummary } from '@ai-platform/backstage-plugin-ai-platform-common';

/** What happened in one ClusterQueue recently, from the workloads the clusters still hold. */
export interface QueueActivity {
  /** Admitted in the last hour. */
  admittedLastHour: number;
  /** Preempted or evicted in the last 24 hours. */
  preemptedLastDay: number;
  /** Why its pending workloads wait, most common reason first. */
  pendingReasons: Array<{ code: ReasonCode; count: number }>;
}

const HOUR = 3_600_000;

/** Key of a ClusterQueue across clusters. */
export const clusterQueueKey = (cluster: string, clusterQueue: string) => `${cluster}/${clusterQueue}`;

/**
 * Admissions in the last hour, preemptions in the last day and the reasons
 * pending workloads give, per ClusterQueue. Counted from each workload's
 * admission time and Preempted/Evicted conditions.
 */
export function queueActivity(workloads: WorkloadSummary[], now = Date.now()): Map<string, QueueActivity> {
  const activity = new Map<string, QueueActivity & { reasons: Map<ReasonCode, number> }>();
  for (const w of workloads) {
    if (!w.clusterQueue) continue;
    const key = clusterQueueKey(w.cluster, w.clusterQueue);
    const a = activity.get(key) ?? { admittedLastHour: 0, preemptedLastDay: 0, pendingReasons: [], reasons: new Map() };
    if (w.admittedAt && now - Date.parse(w.admittedAt) <= HOUR) a.admittedLastHour++;
    a.preemptedLastDay += w.conditions.filter(
      c => (c.type === 'Preempted' || c.type === 'Evicted') && c.status && now - Date.parse(c.time) <= 24 * HOUR,
    ).length;
    if (w.state === 'Pending' && w.reason) a.reasons.set(w.reason.code, (a.reasons.get(w.reason.code) ?? 0) + 1);
    activity.set(key, a);
  }
  return new Map(
    [...activity].map(([key, { reasons, ...a }]) => [
      key,
      {
        ...a,
        pendingReasons: [...reasons]
          .map(([code, count]) => ({ code, count }))
          .sort((x, y) => y.count - x.count || x.code.localeCompare(y.code)),
      },
    ]),
  );
}
