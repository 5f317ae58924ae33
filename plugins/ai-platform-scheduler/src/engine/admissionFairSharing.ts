import type { AdmissionFairSharingConfig, ClusterQueue, LocalQueue, QueueConfig } from '../config/types';
import { resourceOf } from './quota';
import type { Workload } from './types';
import type { WorkloadState } from './workloadState';

/** Milli-units per resource. */
export type ResourceAmounts = Record<string, number>;

/**
 * Kueue's alpha: the weight of the current usage after `elapsed` ms with a
 * half-life of `halfLife` ms (none when the half-life is 0).
 */
export function decayRate(elapsed: number, halfLife: number): number {
  return halfLife === 0 ? 0 : 1 - 0.5 ** (elapsed / halfLife);
}

/** Kueue's CalculateDecayedConsumed: old × (1 − α) + current × α. */
export function decayed(old: ResourceAmounts, current: ResourceAmounts, elapsed: number, halfLife: number) {
  const alpha = decayRate(elapsed, halfLife);
  const out: ResourceAmounts = {};
  for (const [r, v] of Object.entries(old)) out[r] = v * (1 - alpha);
  for (const [r, v] of Object.entries(current)) out[r] = (out[r] ?? 0) + v * alpha;
  return out;
}

/**
 * Kueue's CalculateUsage: the weighted sum of the consumed resources over
 * the LocalQueue's weight; a weight of 0 (or less) reads as infinite usage,
 * so such a queue goes last.
 */
export function localQueueUsage(consumed: ResourceAmounts, lqWeight: number, resourceWeights: ResourceAmounts) {
  if (lqWeight <= 0) return Infinity;
  let usage = 0;
  for (const r of Object.keys(consumed).sort()) usage += (resourceWeights[r] ?? 1) * consumed[r];
  return usage / lqWeight;
}

/** Kueue's CalculateEntryPenalty: the requests × α of one sampling interval. */
export function entryPenalty(requests: ResourceAmounts, config: AdmissionFairSharingConfig): ResourceAmounts {
  const alpha = decayRate(config.usageSamplingInterval, config.usageHalfLifeTime);
  return Object.fromEntries(Object.entries(requests).map(([r, v]) => [r, v * alpha]));
}

/** Does Kueue order this ClusterQueue's LocalQueues by usage (admissionScope UsageBasedAdmissionFairSharing)? */
export function usesAdmissionFairSharing(cq: ClusterQueue): boolean {
  return cq.admissionScope?.admissionMode === 'UsageBasedAdmissionFairSharing';
}

const lqKeyOf = (w: Pick<Workload, 'namespace' | 'queue'>) => `${w.namespace}/${w.queue}`;

/** What an admitted workload requests in all, per resource (Kueue's TotalRequests at its admitted counts). */
function totalRequests(state: WorkloadState): ResourceAmounts {
  const out: ResourceAmounts = {};
  for (const ps of state.workload.podSets) {
    const count = state.admission?.podSets.find(a => a.name === ps.name)?.count ?? ps.count;
    for (const [r, v] of Object.entries(ps.requests)) out[r] = (out[r] ?? 0) + v * count;
  }
  return out;
}

/** A LocalQueue's admission fair sharing state, as Kueue writes it to status.fairSharing. */
export interface LocalQueueUsageReport {
  /** milli-units per resource */
  consumedResources: Record<string, number>;
  /** ms; when the usage was last decayed (undefined before the engine first saw time pass) */
  lastUpdate?: number;
  /** what the LocalQueue's workloads are ordered by: weighted consumed resources over the LocalQueue's weight */
  usage: number;
}

interface LedgerEntry {
  consumed: ResourceAmounts;
  /** ms; undefined until the engine first sees time pass for the queue */
  lastUpdate?: number;
}

/**
 * Kueue's AfsUsageLedger with its LocalQueue reconciler: per LocalQueue of a
 * usage-based ClusterQueue, the consumed resources decayed toward the
 * admitted usage once every sampling interval, and an entry penalty charged
 * as each workload is admitted. Seeded from the LocalQueue's persisted
 * status, as Kueue seeds it, with the decay clock starting when the engine
 * first sees the queue.
 */
export class UsageLedger {
  private readonly entries = new Map<string, LedgerEntry>();
  private config: QueueConfig;
  /** Admitted usage per LocalQueue at the end of the last scheduling pass. */
  private running = new Map<string, ResourceAmounts>();
  /** Bumped on every change, so queues know when to reorder. */
  version = 0;

  constructor(readonly options: AdmissionFairSharingConfig, config: QueueConfig) {
    this.config = config;
    this.seed(config);
  }

  /** A new queue configuration: LocalQueues not yet tracked start from their status. */
  seed(config: QueueConfig) {
    this.config = config;
    for (const [key, lq] of config.localQueues) {
      if (this.entries.has(key) || !this.tracks(lq)) continue;
      this.entries.set(key, { consumed: { ...lq.admissionFairSharingStatus?.consumedResources } });
    }
    this.version++;
  }

  private tracks(lq: LocalQueue): boolean {
    const cq = this.config.clusterQueues.get(lq.clusterQueue);
    return !!cq && usesAdmissionFairSharing(cq);
  }

  /** A workload's LocalQueue usage, the key of its queue order. */
  usageOf(w: Pick<Workload, 'namespace' | 'queue'>): number {
    const key = lqKeyOf(w);
    const weight = this.config.localQueues.get(key)?.fairSharingWeight ?? 1;
    return localQueueUsage(this.entries.get(key)?.consumed ?? {}, weight, this.options.resourceWeights);
  }

  /**
   * Runs the sampling ticks due by `now`, each decaying toward the admitted
   * usage last captured: what ran since the previous scheduling pass, as
   * workloads that finished since are only removed at this pass's time.
   */
  advance(now: number) {
    const { usageSamplingInterval: interval, usageHalfLifeTime: halfLife } = this.options;
    for (const [key, e] of this.entries) {
      if (e.lastUpdate === undefined || now < e.lastUpdate) {
        e.lastUpdate ??= now;
        continue;
      }
      const ticks = Math.floor((now - e.lastUpdate) / interval);
      if (ticks < 1) continue;
      // The usage held since the capture, so n ticks decay as one over n intervals.
      e.consumed = halfLife === 0 ? {} : decayed(e.consumed, this.running.get(key) ?? {}, ticks * interval, halfLife);
      e.lastUpdate += ticks * interval;
      this.version++;
    }
  }

  /** Records what each LocalQueue runs at the end of a scheduling pass, for the ticks until the next one. */
  capture(admitted: Iterable<WorkloadState>) {
    this.running = admittedUsage(admitted);
  }

  /**
   * A workload was admitted at `now` (its quota already charged): its
   * LocalQueue's usage decays toward the new admitted usage and takes the
   * entry penalty at once (Kueue pushes the penalty at assume time and
   * settles it on admission; here both are instant).
   */
  admitted(state: WorkloadState, now: number, admitted: Iterable<WorkloadState>) {
    const key = lqKeyOf(state.workload);
    const e = this.entries.get(key);
    if (!e) return;
    const elapsed = Math.max(0, now - (e.lastUpdate ?? now));
    const current = admittedUsage(admitted).get(key) ?? {};
    const penalty = entryPenalty(totalRequests(state), this.options);
    e.consumed = decayed(e.consumed, current, elapsed, this.options.usageHalfLifeTime);
    for (const [r, v] of Object.entries(penalty)) e.consumed[r] = (e.consumed[r] ?? 0) + v;
    e.lastUpdate = Math.max(now, e.lastUpdate ?? now);
    this.version++;
  }

  /** Per tracked LocalQueue: its consumed resources (milli-units) and when they were last decayed. */
  report(): Map<string, LocalQueueUsageReport> {
    return new Map(
      [...this.entries].map(([key, e]) => {
        const [namespace, queue] = key.split('/');
        return [
          key,
          { consumedResources: { ...e.consumed }, lastUpdate: e.lastUpdate, usage: this.usageOf({ namespace, queue }) },
        ];
      }),
    );
  }

  /** Takes over another ledger's history (an engine's copy for what-if simulation). */
  copyFrom(other: UsageLedger) {
    for (const [key, e] of other.entries)
      this.entries.set(key, { consumed: { ...e.consumed }, lastUpdate: e.lastUpdate });
    this.running = other.running;
    this.version++;
  }
}

/** Kueue's cache LocalQueue admitted usage, flavors flattened. */
function admittedUsage(admitted: Iterable<WorkloadState>): Map<string, ResourceAmounts> {
  const out = new Map<string, ResourceAmounts>();
  for (const s of admitted) {
    const key = lqKeyOf(s.workload);
    let amounts = out.get(key);
    if (!amounts) out.set(key, (amounts = {}));
    for (const [fr, v] of s.usage ?? []) amounts[resourceOf(fr)] = (amounts[resourceOf(fr)] ?? 0) + v;
  }
  return out;
}
