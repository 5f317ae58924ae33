import { percentile } from '@ai-platform/backstage-plugin-ai-platform-common';
import { readAdmission, type ClusterSnapshot } from './observe';
import type { RestView } from './quota';

/** How the soak measures the backend's ETAs; the simulator's definitions (`yarn simulate`, summary.eta). */
export interface EtaObserverSettings {
  /** Only workloads that waited at least this long count in the relative errors (seconds). */
  minWaitSeconds: number;
  /** Predictions first seen before this many workloads had finished (the backend still learning) are left out. */
  warmUpRuns: number;
}

/** Relative errors (|p50 − admitted| ÷ actual wait) and interval coverage over a set of first sightings. */
export interface LiveEtaAccuracy {
  /** Admitted workloads that waited at least minWaitSeconds. */
  measured: number;
  medianRelativeError?: number;
  p90RelativeError?: number;
  /** Of all admitted ones (any wait): admitted between the p10 and p90 first seen. */
  intervalCoverage?: number;
  /** Not admitted by the end. */
  stillWaiting: number;
}

/** ETA accuracy of the live system, as the soak prints it: the simulator's summary.eta figures, after warm-up. */
export interface LiveEtaFigures extends LiveEtaAccuracy {
  method: string;
  /** Waiting workloads' ETAs read from the REST list, one per workload and sample. */
  predictions: number;
  /** Workloads seen waiting without an ETA before the backend gave one (measured from their first ETA). */
  firstSeenWithoutEta: number;
  /** Median seconds from a workload's creation to the first ETA seen for it. */
  firstEtaAfterSeconds?: number;
  /** Warm-up included (a short run has few workloads after it). */
  includingWarmUp: LiveEtaAccuracy;
  settings: EtaObserverSettings;
  /** Every workload first seen waiting with an ETA, in order of creation: the figures' raw material. */
  workloads: LiveEtaWorkload[];
}

/** One workload's first ETA and its actual wait, in seconds from its creation. */
export interface LiveEtaWorkload {
  /** cluster/namespace/kind/name */
  workload: string;
  clusterQueue?: string;
  /** Seconds from creation to the first ETA seen. */
  seenAfter: number;
  p10?: number;
  p50?: number;
  p90?: number;
  /** Seconds from creation to the first admission; absent while still waiting at the end. */
  waited?: number;
  /** Seen after the warm-up (counted in the figures without includingWarmUp). */
  warm: boolean;
}

interface FirstSight {
  workload: string;
  clusterQueue?: string;
  created: number;
  seen: number;
  p10?: number;
  p50?: number;
  p90?: number;
  warm: boolean;
}

const round = (x: number | undefined) => (x === undefined ? undefined : Math.round(x * 1000) / 1000);
const time = (iso: string | undefined) => (iso === undefined ? undefined : Date.parse(iso));

/**
 * Records, for every workload submitted after the run began, the p10/p50/p90
 * admission ETA the backend's REST list gives when the soak first sees it
 * waiting, and the time it was first admitted as the cluster shows it (the
 * admission the backend wrote on the object, else the REST list's
 * admittedAt); then the simulator's figures over them.
 */
export class EtaObserver {
  private readonly first = new Map<string, FirstSight>();
  private readonly admitted = new Map<string, number>();
  private readonly finished = new Set<string>();
  private readonly noEta = new Set<string>();
  private predictions = 0;

  constructor(
    /** Workloads created before this (ms) are not measured: their submission was not seen. */
    private readonly begin: number,
    readonly settings: EtaObserverSettings = { minWaitSeconds: 60, warmUpRuns: 50 },
  ) {}

  /** One sample of one cluster: its REST workloads and what the cluster itself shows. */
  observe(cluster: string, workloads: RestView['workloads'], snapshot: ClusterSnapshot, now: number) {
    const admit = (id: string, at: number | undefined) => {
      if (at !== undefined && !this.admitted.has(id)) this.admitted.set(id, at);
    };
    for (const o of snapshot.objects) admit(`${cluster}/${o.uid}`, readAdmission(o)?.admittedAt);
    for (const w of workloads) {
      const id = `${cluster}/${w.uid}`;
      if (w.state === 'Succeeded') this.finished.add(id);
      admit(id, time(w.admittedAt));
      const created = time(w.createdAt);
      const waiting = (w.state === 'Pending' || w.state === 'Preempted') && !this.admitted.has(id);
      if (!waiting || created === undefined || created < this.begin) continue;
      if (w.eta === undefined) {
        if (!this.first.has(id)) this.noEta.add(id);
        continue;
      }
      this.predictions++;
      // The backend's first ETA is its prediction at submission (it predicts on its own schedule, not at creation).
      if (this.first.has(id)) continue;
      this.first.set(id, {
        workload: `${cluster}/${w.namespace}/${w.kind}/${w.name}`,
        clusterQueue: w.clusterQueue,
        created,
        seen: now,
        p10: time(w.etaP10),
        p50: time(w.eta),
        p90: time(w.etaP90),
        warm: this.finished.size >= this.settings.warmUpRuns,
      });
    }
  }

  /** Relative errors and coverage over the first sightings `counts` accepts. */
  private measure(counts: (s: FirstSight) => boolean): LiveEtaAccuracy {
    const errors: number[] = [];
    let covered = 0;
    let coverable = 0;
    let stillWaiting = 0;
    for (const [id, s] of this.first) {
      const admitted = this.admitted.get(id);
      if (!counts(s)) continue;
      if (admitted === undefined) {
        stillWaiting++;
        continue;
      }
      coverable++;
      if (s.p10 !== undefined && s.p90 !== undefined && admitted >= s.p10 && admitted <= s.p90) covered++;
      const actual = admitted - s.created;
      if (actual < this.settings.minWaitSeconds * 1000) continue;
      errors.push(s.p50 === undefined ? Infinity : Math.abs(s.p50 - admitted) / actual);
    }
    return {
      measured: errors.length,
      medianRelativeError: errors.length ? round(percentile(errors, 50)) : undefined,
      p90RelativeError: errors.length ? round(percentile(errors, 90)) : undefined,
      intervalCoverage: coverable ? round(covered / coverable) : undefined,
      stillWaiting,
    };
  }

  figures(): LiveEtaFigures {
    return {
      method: `The first p10/p50/p90 admission ETA GET /workloads gives for a waiting workload (samples every 30 simulated s; workloads created after the run began), against its first admission as the cluster shows it. Relative error is |p50 − admitted| ÷ (admitted − created), over workloads that waited at least ${this.settings.minWaitSeconds} s, first seen after ${this.settings.warmUpRuns} workloads had succeeded; coverage is the share of those (any wait) admitted between the p10 and p90.`,
      predictions: this.predictions,
      ...this.measure(s => s.warm),
      firstSeenWithoutEta: this.noEta.size,
      firstEtaAfterSeconds: this.first.size
        ? round(
            percentile(
              [...this.first.values()].map(f => (f.seen - f.created) / 1000),
              50,
            ),
          )
        : undefined,
      includingWarmUp: this.measure(() => true),
      settings: this.settings,
      workloads: [...this.first]
        .sort(([, a], [, b]) => a.created - b.created)
        .map(([id, f]) => {
          const after = (at: number | undefined) => round(at === undefined ? undefined : (at - f.created) / 1000);
          return {
            workload: f.workload,
            clusterQueue: f.clusterQueue,
            seenAfter: after(f.seen)!,
            p10: after(f.p10),
            p50: after(f.p50),
            p90: after(f.p90),
            waited: after(this.admitted.get(id)),
            warm: f.warm,
          };
        }),
    };
  }
}
