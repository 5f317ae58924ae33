import type { ClusterQueue, QueueConfig } from '../config/types';
import { toUnits, type Reason } from '@ai-platform/backstage-plugin-ai-platform-common';
import { incompatibility } from './flavorSelector';
import { fr, FlavorResource, QuotaNode } from './quota';
import type { NodeInventory } from './topology';
import type { Admission, PodSet, PodSetAssignment, Workload } from './types';
import { appendTo } from './appendTo';

/** Kueue's assignment modes, ordered from worst to best. */
export enum Mode {
  NoFit = 0,
  Preempt = 1,
  Fit = 2,
}

/**
 * The flavor assigner's finer modes (Kueue's preemptionMode): a flavor that
 * needs preemption but has nobody to preempt ranks below one that has, and
 * reclaiming lent quota ranks above preempting by priority inside the
 * ClusterQueue.
 */
export enum Granular {
  NoFit = 0,
  NoCandidates = 1,
  Preempt = 2,
  Reclaim = 3,
  Fit = 4,
}

/** A flavor's mode: how it fits, and from how many cohort levels up the quota comes (0: the ClusterQueue's own). */
export interface GranularMode {
  mode: Granular;
  borrow: number;
}

/** What preempting for `amount` of one flavor/resource would achieve (Kueue's PreemptionOracle). */
export type PreemptionOracle = (
  key: FlavorResource,
  amount: number,
) => { possibility: Granular.NoCandidates | Granular.Preempt | Granular.Reclaim; borrow: number };

export interface Assignment {
  mode: Mode;
  borrowing: boolean;
  /** The most cohort levels up any resource borrows from (0: no borrowing). */
  borrowLevel: number;
  podSets: PodSetAssignment[];
  /** Total usage per flavor/resource. */
  usage: Map<FlavorResource, number>;
  /** The flavor/resource pairs that need preemption (mode Preempt). */
  preemptKeys: Set<FlavorResource>;
  /** Why the workload does not fit (mode NoFit or Preempt). */
  reason?: Reason;
}

export interface AssignContext {
  config: QueueConfig;
  cq: ClusterQueue;
  node: QuotaNode;
  inventory?: NodeInventory;
  /** Whether preemption could free this flavor; without one, any flavor within reach is assumed preemptible. */
  oracle?: PreemptionOracle;
  fairSharing?: boolean;
  /** A workload slice's admitted slice: the new slice keeps its flavors (Kueue's replaceWorkloadSlice). */
  replaced?: Admission;
}

type Fungibility = ClusterQueue['flavorFungibility'];

/** Kueue's isPreferred: whether mode a beats mode b under the queue's flavorFungibility.preference. */
export function isPreferred(a: GranularMode, b: GranularMode, fungibility: Fungibility): boolean {
  if (a.mode === Granular.NoFit) return false;
  if (b.mode === Granular.NoFit) return true;
  const aNone = a.mode === Granular.NoCandidates;
  const bNone = b.mode === Granular.NoCandidates;
  if (aNone !== bNone) return !aNone;
  if (fungibility.preference === 'PreemptionOverBorrowing') {
    return a.borrow !== b.borrow ? a.borrow < b.borrow : a.mode > b.mode;
  }
  return a.mode !== b.mode ? a.mode > b.mode : a.borrow < b.borrow;
}

/** Kueue's shouldTryNextFlavor. */
export function shouldTryNextFlavor(m: GranularMode, fungibility: Fungibility): boolean {
  if (m.mode === Granular.NoFit || m.mode === Granular.NoCandidates) return true;
  if ((m.mode === Granular.Preempt || m.mode === Granular.Reclaim) && fungibility.whenCanPreempt === 'TryNextFlavor')
    return true;
  return m.borrow !== 0 && fungibility.whenCanBorrow === 'TryNextFlavor';
}

function toMode(g: Granular): Mode {
  if (g === Granular.Fit) return Mode.Fit;
  return g === Granular.NoFit ? Mode.NoFit : Mode.Preempt;
}

/** The quota resource Kueue counts one of per pod when a ClusterQueue covers it. */
export const PODS = 'pods';

interface Shortfall {
  flavor: string;
  resource: string;
  requested: number;
  available: number;
  potential: number;
}

interface FlavorTry {
  flavor: string;
  mode: GranularMode;
  shortfall: Shortfall[];
  /** Resources whose own mode needs preemption. */
  preempt: string[];
  topology?: PodSetAssignment['topology'];
  topologyFailed?: boolean;
}

/** Milli-units of a resource one pod of the set requests; `pods` counts 1 per pod. */
export function perPod(podSet: PodSet, resource: string): number {
  return resource === PODS ? 1000 : podSet.requests[resource] ?? 0;
}

/** Kueue's fitsResourceQuota: how `need` of one flavor/resource could be had in the ClusterQueue. */
function fitsResourceQuota(ctx: AssignContext, key: FlavorResource, need: number): GranularMode {
  const { node, cq } = ctx;
  if (need > node.potential(key)) return { mode: Granular.NoFit, borrow: 0 };
  const { level, reclaimable } = node.borrowLevel(key, need);
  if (need <= node.available(key)) return { mode: Granular.Fit, borrow: level };
  const preemptWhileBorrowing =
    cq.preemption.borrowWithinCohort.policy !== 'Never' ||
    (ctx.fairSharing === true && cq.preemption.reclaimWithinCohort !== 'Never');
  if ((node.quota.get(key)?.nominal ?? 0) >= need || reclaimable || preemptWhileBorrowing) {
    if (!ctx.oracle) return { mode: Granular.Preempt, borrow: level };
    const { possibility, borrow } = ctx.oracle(key, need);
    return { mode: possibility, borrow };
  }
  return { mode: Granular.NoFit, borrow: level };
}

function describeShortfall(s: Shortfall[]) {
  return s
    .map(
      x => `${x.resource} on flavor ${x.flavor}: requested ${toUnits(x.requested)}, available ${toUnits(x.available)}`,
    )
    .join('; ');
}

const groupCache = new WeakMap<PodSet, Map<ClusterQueue, { groups: Map<number, string[]>; uncovered: string[] }>>();

/** The requested resources of a pod set by the ClusterQueue's resource group covering them (cached). */
function resourceGroupsOf(cq: ClusterQueue, podSet: PodSet) {
  let perQueue = groupCache.get(podSet);
  if (!perQueue) groupCache.set(podSet, (perQueue = new Map()));
  let result = perQueue.get(cq);
  if (!result) {
    result = { groups: new Map(), uncovered: [] };
    // A zero request of a covered resource gets a flavor too; of an uncovered one, it is ignored (Kueue #8079).
    for (const [resource, amount] of Object.entries(podSet.requests)) {
      if (amount < 0 || resource === PODS) continue;
      const gi = cq.resourceGroups.findIndex(g => g.coveredResources.includes(resource));
      if (gi >= 0) appendTo(result.groups, gi, resource);
      else if (amount > 0) result.uncovered.push(resource);
    }
    const podsGroup = cq.resourceGroups.findIndex(g => g.coveredResources.includes(PODS));
    if (podsGroup >= 0) appendTo(result.groups, podsGroup, PODS);
    perQueue.set(cq, result);
  }
  return result;
}

/**
 * Assigns flavors to every pod set of a workload in a ClusterQueue, in flavor
 * order with Kueue's flavor fungibility, and reports the best mode reached.
 * `counts` overrides pod counts (partial admission).
 */
export function assignFlavors(ctx: AssignContext, workload: Workload, counts?: number[]): Assignment {
  const { config, cq, node } = ctx;
  const fungibility = cq.flavorFungibility;
  const usage = new Map<FlavorResource, number>();
  const preemptKeys = new Set<FlavorResource>();
  const podSets: PodSetAssignment[] = [];
  let mode = Mode.Fit;
  let borrowLevel = 0;
  // Reasons are built only when someone reads them: the scheduling loop rarely does.
  let explain: (() => Reason) | undefined;
  const worse = (r: () => Reason, m: Mode) => {
    if (m < mode || !explain) explain = r;
    mode = Math.min(mode, m);
  };

  for (const [index, podSet] of workload.podSets.entries()) {
    const count = counts?.[index] ?? podSet.count;
    const assignment: PodSetAssignment = { name: podSet.name, count, flavors: {} };
    podSets.push(assignment);
    const { groups, uncovered } = resourceGroupsOf(cq, podSet);
    for (const resource of uncovered) {
      worse(
        () => ({
          code: 'NoMatchingFlavor',
          message: `ClusterQueue ${cq.name} has no quota for ${resource} (pod set ${podSet.name})`,
        }),
        Mode.NoFit,
      );
    }
    for (const [gi, resources] of groups) {
      const tries: FlavorTry[] = [];
      let chosen: FlavorTry | undefined;
      const incompatible: string[] = [];
      for (const fq of cq.resourceGroups[gi].flavors) {
        const flavor = config.flavors.get(fq.flavor)!;
        const why = incompatibility(ctx.replaced, flavor, podSet, resources);
        if (why) {
          incompatible.push(why);
          continue;
        }
        const attempt: FlavorTry = {
          flavor: flavor.name,
          mode: { mode: Granular.Fit, borrow: 0 },
          shortfall: [],
          preempt: [],
        };
        for (const resource of resources) {
          const key = fr(flavor.name, resource);
          const need = perPod(podSet, resource) * count + (usage.get(key) ?? 0);
          const m = fitsResourceQuota(ctx, key, need);
          if (m.mode !== Granular.Fit) {
            attempt.shortfall.push({
              flavor: flavor.name,
              resource,
              requested: need,
              available: node.available(key),
              potential: node.potential(key),
            });
            if (m.mode !== Granular.NoFit) attempt.preempt.push(resource);
          }
          if (isPreferred(attempt.mode, m, fungibility)) attempt.mode = m;
          if (attempt.mode.mode === Granular.NoFit) break;
        }
        if (attempt.mode.mode !== Granular.NoFit && podSet.topology && flavor.topologyName && ctx.inventory) {
          const topology = config.topologies.get(flavor.topologyName)!;
          const placement = ctx.inventory.place(flavor, topology, podSet.topology, count, podSet.requests);
          if (placement) attempt.topology = placement;
          else {
            attempt.mode = { mode: Granular.NoFit, borrow: 0 };
            attempt.topologyFailed = true;
          }
        }
        tries.push(attempt);
        if (!shouldTryNextFlavor(attempt.mode, fungibility)) {
          chosen = attempt;
          break;
        }
        if (!chosen || isPreferred(attempt.mode, chosen.mode, fungibility)) chosen = attempt;
      }
      if (!chosen && tries.length === 0) {
        worse(
          () => ({
            code: 'NoMatchingFlavor',
            message: `No flavor of ClusterQueue ${cq.name} can host pod set ${podSet.name}: ${incompatible.join('; ')}`,
          }),
          Mode.NoFit,
        );
        continue;
      }
      chosen ??= tries[0];
      const chosenMode = toMode(chosen.mode.mode);
      if (chosenMode !== Mode.NoFit) {
        for (const resource of resources) {
          assignment.flavors[resource] = chosen.flavor;
          const key = fr(chosen.flavor, resource);
          usage.set(key, (usage.get(key) ?? 0) + perPod(podSet, resource) * count);
        }
        for (const resource of chosen.preempt) preemptKeys.add(fr(chosen.flavor, resource));
        if (chosen.topology) assignment.topology = chosen.topology;
        borrowLevel = Math.max(borrowLevel, chosen.mode.borrow);
      }
      if (chosenMode === Mode.Fit) continue;
      const shortfall = tries.flatMap(t => t.shortfall);
      const reasonShortfall = () =>
        shortfall.map(s => ({
          flavor: s.flavor,
          resource: s.resource,
          requested: toUnits(s.requested),
          available: toUnits(s.available),
        }));
      if (chosen.topologyFailed || (chosenMode === Mode.NoFit && tries.every(t => t.topologyFailed))) {
        const level = podSet.topology?.required ?? podSet.topology?.preferred;
        worse(
          () => ({
            code: 'TopologyPlacementFailed',
            message: `No ${level} domain of ${tries
              .map(t => t.flavor)
              .join(', ')} has room for all ${count} pods of pod set ${podSet.name} together`,
          }),
          Mode.NoFit,
        );
      } else if (chosenMode === Mode.NoFit && tries.every(t => t.shortfall.some(s => s.requested > s.potential))) {
        const over = tries.flatMap(t => t.shortfall.filter(s => s.requested > s.potential));
        worse(
          () => ({
            code: 'ExceedsQueueMaximum',
            message: `Pod set ${podSet.name} needs more than ClusterQueue ${
              cq.name
            } can ever provide, even borrowing: ${over
              .map(
                s => `${s.resource} on ${s.flavor}: requested ${toUnits(s.requested)}, at most ${toUnits(s.potential)}`,
              )
              .join('; ')}`,
            shortfall: reasonShortfall(),
          }),
          Mode.NoFit,
        );
      } else {
        worse(
          () => ({
            code: 'QuotaExhausted',
            message: `Waiting for quota in ClusterQueue ${cq.name}: ${describeShortfall(shortfall)}`,
            shortfall: reasonShortfall(),
          }),
          chosenMode,
        );
      }
    }
    const tasFlavors = podSet.topology
      ? [...new Set(Object.values(assignment.flavors).filter(f => config.flavors.get(f)?.topologyName))]
      : [];
    if (tasFlavors.length > 1) {
      // Kueue's onlyTASFlavor: one topology per pod set.
      worse(
        () => ({
          code: 'TopologyPlacementFailed',
          message: `Pod set ${podSet.name} would take its resources from ${tasFlavors.join(
            ' and ',
          )}, flavors with a topology each; a pod set with a topology request must get them from one`,
        }),
        Mode.NoFit,
      );
    }
  }
  return {
    mode,
    borrowing: borrowLevel > 0,
    borrowLevel,
    podSets,
    usage,
    preemptKeys,
    get reason() {
      return explain?.();
    },
  };
}

/**
 * Partial admission (Kueue's PodSetReducer): the largest pod counts, down to
 * each pod set's minCount, for which `fits` finds an admission (by Fit or by
 * preemption), by binary search over the total reduction.
 */
export function reduceCounts<R>(workload: Workload, fits: (counts: number[]) => R | undefined): R | undefined {
  const deltas = workload.podSets.map(ps => ps.count - (ps.minCount ?? ps.count));
  const total = deltas.reduce((a, b) => a + b, 0);
  if (total === 0) return undefined;
  const countsFor = (i: number) => workload.podSets.map((ps, k) => ps.count - Math.floor((deltas[k] * i) / total));
  let found: R | undefined;
  let lo = 0;
  let hi = total + 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const r = fits(countsFor(mid));
    if (r !== undefined) {
      found = r;
      hi = mid;
    } else {
      lo = mid + 1;
    }
  }
  return found;
}
