import { readAdmission, topLevelIndex, type ClusterSnapshot, type PodView } from './observe';
import {
  finished,
  flavorOfNode,
  gpuShare,
  isGpuResource,
  nodeSelectors,
  podUsage,
  usageKey,
  type QueueModel,
  type QueueQuota,
  type RestView,
} from './quota';

export * from './quota';

export type InvariantName =
  | 'childNeverAWorkload'
  | 'noOverCommit'
  | 'quotaHeldByPods'
  | 'workConservation'
  | 'gangsWhole'
  | 'admittedOnce'
  | 'ledgerMatchesPods';

export const invariantNames: InvariantName[] = [
  'childNeverAWorkload',
  'noOverCommit',
  'quotaHeldByPods',
  'workConservation',
  'gangsWhole',
  'admittedOnce',
  'ledgerMatchesPods',
];

export interface Violation {
  invariant: InvariantName;
  at: number;
  cluster: string;
  detail: string;
}

/** "Running 3, Failed 1, Pending 1": how many of the pods are in each phase, for a violation's detail. */
const phasesOf = (pods: PodView[]) =>
  Object.entries(pods.reduce<Record<string, number>>((n, p) => ({ ...n, [p.phase]: (n[p.phase] ?? 0) + 1 }), {}))
    .map(([phase, n]) => `${phase} ${n}`)
    .join(', ') || 'none';

/**
 * Kueue's invariants checked on every sample of the live system. Conditions
 * that may hold briefly while the system converges (pods starting, an
 * admission under way) count only when they last longer than the grace.
 */
export class InvariantChecker {
  readonly violations: Violation[] = [];
  private readonly since = new Map<string, number>();
  private readonly reported = new Set<string>();
  private readonly admissions = new Map<string, { admitted: number; evicted: number; name: string }>();
  private readonly seenEvents = new Set<string>();
  /** GPU-ms of quota counted as used that no pod held. */
  heldByNothingGpuMs = 0;
  preemptions = 0;

  constructor(
    private readonly model: QueueModel,
    private readonly graceMs: number,
    private readonly gangGraceMs: number,
  ) {}

  private violate(invariant: InvariantName, at: number, cluster: string, detail: string, once?: string) {
    if (once) {
      if (this.reported.has(once)) return;
      this.reported.add(once);
    }
    this.violations.push({ invariant, at, cluster, detail });
  }

  /** True once `key` has been true continuously for longer than `grace`. */
  private persists(key: string, now: boolean, at: number, grace: number): boolean {
    if (!now) {
      this.since.delete(key);
      return false;
    }
    const start = this.since.get(key) ?? at;
    this.since.set(key, start);
    return at - start > grace;
  }

  /** Checks one sample; without `restOrNone` (the backend is down) only what the cluster shows. */
  check(snapshot: ClusterSnapshot, restOrNone: RestView | undefined, at: number, dtMs: number) {
    const cluster = snapshot.cluster;
    const rest = restOrNone ?? { used: new Map<string, number>(), workloads: [] };
    const index = topLevelIndex(snapshot);
    const listed = new Set(rest.workloads.map(w => `${w.namespace}/${w.kind}/${w.name}`));
    const nodes = new Map(snapshot.nodes.map(n => [n.name, n]));

    // Events: admissions and evictions the backend wrote, each counted once however often it is seen.
    for (const e of snapshot.events) {
      if (this.seenEvents.has(e.name) || e.source !== 'ai-platform-admission') continue;
      this.seenEvents.add(e.name);
      const entry = this.admissions.get(e.uid) ?? { admitted: 0, evicted: 0, name: e.name.split('.')[0] };
      if (e.reason === 'Admitted') entry.admitted += e.count;
      if (e.reason === 'Preempted' || e.reason === 'Evicted') entry.evicted += e.count;
      if (e.reason === 'Preempted') this.preemptions += e.count;
      this.admissions.set(e.uid, entry);
      if (entry.admitted > entry.evicted + 1)
        this.violate(
          'admittedOnce',
          at,
          cluster,
          `${entry.name} admitted ${entry.admitted}× with ${entry.evicted} evictions`,
        );
    }

    // Children of managed workloads: never admitted, suspended or listed by the backend. Every write the backend makes
    // comes with an Event of its own; an annotation of the backend's on a child may be a copy its parent's controller
    // made (KServe and KubeRay copy annotations), so events and the API's list are what tell.
    const childUids = new Set<string>();
    for (const o of snapshot.objects) {
      if (!index.isChild(o)) continue;
      childUids.add(o.uid);
      if (listed.has(`${o.namespace}/${o.kind}/${o.name}`))
        this.violate(
          'childNeverAWorkload',
          at,
          cluster,
          `${o.kind} ${o.namespace}/${o.name} is listed as a workload`,
          `child-listed/${o.uid}`,
        );
    }
    for (const uid of childUids) {
      if (this.admissions.has(uid))
        this.violate(
          'childNeverAWorkload',
          at,
          cluster,
          `the backend wrote decisions on child ${this.admissions.get(uid)!.name}`,
          `child-event/${uid}`,
        );
    }

    // No over-commit, by the API's figures and by the pods' ground truth.
    const pods = podUsage(snapshot);
    const sources = restOrNone ? [['API', rest.used] as const, ['pods', pods] as const] : [['pods', pods] as const];
    for (const [source, used] of sources) {
      const byCohort = new Map<string, { used: number; nominal: number }>();
      for (const cq of this.model.clusterQueues.values()) {
        for (const [flavor, resources] of cq.quota) {
          for (const [resource, q] of resources) {
            const u = used.get(usageKey(cq.name, flavor, resource)) ?? 0;
            if (q.borrowingLimit !== undefined && u > q.nominal + q.borrowingLimit + 1e-6)
              this.violate(
                'noOverCommit',
                at,
                cluster,
                `${source}: ${cq.name} uses ${u} ${resource} of ${flavor}, over nominal ${q.nominal} + borrowingLimit ${q.borrowingLimit}`,
              );
            if (!cq.cohort) {
              if (u > q.nominal + 1e-6)
                this.violate(
                  'noOverCommit',
                  at,
                  cluster,
                  `${source}: ${cq.name} uses ${u} ${resource} of ${flavor} over its nominal ${q.nominal}`,
                );
              continue;
            }
            const key = `${cq.cohort}\u0000${flavor}\u0000${resource}`;
            const c = byCohort.get(key) ?? { used: 0, nominal: 0 };
            c.used += u;
            c.nominal += q.nominal;
            byCohort.set(key, c);
          }
        }
      }
      for (const [key, c] of byCohort) {
        if (c.used > c.nominal + 1e-6) {
          const [cohort, flavor, resource] = key.split('\u0000');
          this.violate(
            'noOverCommit',
            at,
            cluster,
            `${source}: cohort ${cohort} uses ${c.used} ${resource} of ${flavor}, over its capacity ${c.nominal}`,
          );
        }
      }
    }

    // Quota counted as used is held by pods (within the grace: pods starting, pods going).
    const keys = new Set(
      restOrNone ? [...rest.used.keys(), ...pods.keys()].filter(k => isGpuResource(k.split('\u0000')[2])) : [],
    );
    for (const key of keys) {
      const [cq, flavor, resource] = key.split('\u0000');
      const diff = (rest.used.get(key) ?? 0) - (pods.get(key) ?? 0);
      // Whole-GPU equivalents of one unit, read off a node of the flavor (time-slice replicas differ per node pool).
      const share = gpuShare(
        resource,
        snapshot.nodes.find(n => flavorOfNode(n, this.model) === flavor),
      );
      if (diff > 0) this.heldByNothingGpuMs += diff * share * dtMs;
      if (this.persists(`held/${cluster}/${key}`, Math.abs(diff) > 1e-6, at, this.graceMs))
        this.violate(
          'quotaHeldByPods',
          at,
          cluster,
          `${cq} counts ${rest.used.get(key) ?? 0} ${resource} of ${flavor} as used; its pods hold ${
            pods.get(key) ?? 0
          }`,
          `held/${cluster}/${key}/${this.since.get(`held/${cluster}/${key}`)}`,
        );
    }

    // Work conservation: nothing waits for quota that is free, judged by the pods.
    for (const w of rest.workloads) {
      const waiting =
        (w.state === 'Pending' || w.state === 'Preempted') &&
        w.reason?.code === 'QuotaExhausted' &&
        w.clusterQueue !== undefined;
      const key = `wc/${cluster}/${w.uid}`;
      const obj = waiting ? snapshot.objects.find(o => o.uid === w.uid) : undefined;
      const fits = waiting && this.fitsNow(w, pods, obj ? nodeSelectors(obj.raw.spec) : []);
      if (this.persists(key, fits, at, this.graceMs))
        this.violate(
          'workConservation',
          at,
          cluster,
          `${w.kind} ${w.namespace}/${w.name} waits with QuotaExhausted in ${w.clusterQueue} although its pods' quota is free`,
          `${key}/${this.since.get(key)}`,
        );
    }

    // Gangs: an admitted workload has all its pods running within the grace, or is evicted.
    const podsOf = new Map<string, PodView[]>();
    for (const pod of snapshot.pods) {
      const top = index.ofPod(pod);
      if (top) podsOf.set(top.uid, [...(podsOf.get(top.uid) ?? []), pod]);
    }
    for (const o of snapshot.objects) {
      const admission = readAdmission(o);
      if (!admission || index.isChild(o) || finished(o) || o.kind === 'Workflow') continue;
      const want = admission.podSets.reduce((n, ps) => n + ps.count, 0);
      const mine = podsOf.get(o.uid) ?? [];
      const up = mine.filter(p => p.phase === 'Running' || p.phase === 'Succeeded').length;
      if (up < want && at - admission.admittedAt > this.gangGraceMs)
        this.violate(
          'gangsWhole',
          at,
          cluster,
          `${o.kind} ${o.namespace}/${o.name} admitted ${Math.round(
            (at - admission.admittedAt) / 1000,
          )} s ago has ${up} of ${want} pods running (its pods by phase: ${phasesOf(mine)})`,
          `gang/${o.uid}/${admission.admittedAt}`,
        );
    }
    void nodes;
  }

  /** Whether the workload's requests fit in its ClusterQueue's free quota plus what its cohort can lend, on one flavor per resource. */
  private fitsNow(
    w: RestView['workloads'][number],
    pods: Map<string, number>,
    selectors: Array<Record<string, string>>,
  ): boolean {
    const cq = this.model.clusterQueues.get(w.clusterQueue!);
    if (!cq) return false;
    const need = new Map<string, number>();
    for (const ps of w.podSets)
      for (const [r, v] of Object.entries(ps.requests)) need.set(r, (need.get(r) ?? 0) + v * ps.count);
    const free = (q: QueueQuota, flavor: string, resource: string) => {
      const limit = q.quota.get(flavor)?.get(resource);
      return limit ? limit.nominal - (pods.get(usageKey(q.name, flavor, resource)) ?? 0) : 0;
    };
    const lendable = (flavor: string, resource: string) =>
      [...this.model.clusterQueues.values()]
        .filter(other => other.name !== cq.name && other.cohort && other.cohort === cq.cohort)
        .reduce((sum, other) => {
          const limit = other.quota.get(flavor)?.get(resource);
          const spare = Math.max(0, free(other, flavor, resource));
          return sum + Math.min(spare, limit?.lendingLimit ?? Infinity);
        }, 0);
    const cohortFree = (flavor: string, resource: string) =>
      cq.cohort
        ? [...this.model.clusterQueues.values()]
            .filter(other => other.cohort === cq.cohort)
            .reduce((sum, other) => sum + free(other, flavor, resource), 0)
        : free(cq, flavor, resource);
    for (const [resource, amount] of need) {
      if (amount <= 0) continue;
      // Only flavors whose node labels agree with the workload's own node selectors.
      const compatible = (flavor: string) => {
        const labels = this.model.flavorLabels.get(flavor) ?? {};
        return selectors.every(sel =>
          Object.entries(sel).every(([k, v]) => labels[k] === undefined || labels[k] === v),
        );
      };
      const flavors = [...cq.quota]
        .filter(([f, resources]) => resources.has(resource) && compatible(f))
        .map(([f]) => f);
      if (flavors.length === 0) return false;
      const ok = flavors.some(flavor => {
        const limit = cq.quota.get(flavor)!.get(resource)!;
        const own = free(cq, flavor, resource);
        const used = limit.nominal - own;
        if (limit.borrowingLimit !== undefined && used + amount > limit.nominal + limit.borrowingLimit) return false;
        // What the cohort can lend is what nobody in it uses: quota another queue borrows is not free.
        return amount <= Math.min(Math.max(0, own) + lendable(flavor, resource), cohortFree(flavor, resource));
      });
      if (!ok) return false;
    }
    return need.size > 0;
  }
}
