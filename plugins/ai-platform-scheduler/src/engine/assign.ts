import type { ClusterQueue, QueueConfig, ResourceFlavor, Toleration } from '../config/types';
import { toUnits, type Reason } from '@ai-platform/backstage-plugin-ai-platform-common';
import { fr, FlavorResource, QuotaNode } from './quota';
import type { NodeInventory } from './topology';
import type { PodSet, PodSetAssignment, Workload } from './types';
import { appendTo } from './appendTo';

/** Kueue's assignment modes, ordered from worst to best. */
export enum Mode {
  NoFit = 0,
  Preempt = 1,
  Fit = 2,
}

export interface Assignment {
  mode: Mode;
  borrowing: boolean;
  podSets: PodSetAssignment[];
  /** Total usage per flavor/resource. */
  usage: Map<FlavorResource, number>;
  /** Why the workload does not fit (mode NoFit or Preempt). */
  reason?: Reason;
}

export interface AssignContext {
  config: QueueConfig;
  cq: ClusterQueue;
  node: QuotaNode;
  inventory?: NodeInventory;
}

function tolerates(tolerations: Toleration[], taint: { key: string; value?: string; effect: string }): boolean {
  return tolerations.some(
    t =>
      (t.effect === undefined || t.effect === '' || t.effect === taint.effect) &&
      (t.operator === 'Exists'
        ? t.key === undefined || t.key === '' || t.key === taint.key
        : t.key === taint.key && (t.value ?? '') === (taint.value ?? '')),
  );
}

/** Why a flavor cannot host a pod set at all (selector or taints), or undefined. */
function incompatibility(flavor: ResourceFlavor, podSet: PodSet): string | undefined {
  if (!podSet.nodeSelector && flavor.nodeTaints.length === 0) return undefined;
  for (const [key, value] of Object.entries(podSet.nodeSelector ?? {})) {
    if (key in flavor.nodeLabels && flavor.nodeLabels[key] !== value) {
      return `flavor ${flavor.name} has ${key}=${flavor.nodeLabels[key]}, the pods select ${key}=${value}`;
    }
  }
  const tolerations = [...(podSet.tolerations ?? []), ...flavor.tolerations];
  for (const taint of flavor.nodeTaints) {
    if (taint.effect !== 'PreferNoSchedule' && !tolerates(tolerations, taint)) {
      return `flavor ${flavor.name} has the untolerated taint ${taint.key}${taint.value ? `=${taint.value}` : ''}:${
        taint.effect
      }`;
    }
  }
  return undefined;
}

interface Shortfall {
  flavor: string;
  resource: string;
  requested: number;
  available: number;
  potential: number;
}

interface FlavorTry {
  flavor: string;
  mode: Mode;
  borrowing: boolean;
  shortfall: Shortfall[];
  topology?: PodSetAssignment['topology'];
  topologyFailed?: boolean;
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
    for (const [resource, amount] of Object.entries(podSet.requests)) {
      if (amount <= 0) continue;
      const gi = cq.resourceGroups.findIndex(g => g.coveredResources.includes(resource));
      if (gi < 0) result.uncovered.push(resource);
      else appendTo(result.groups, gi, resource);
    }
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
  const usage = new Map<FlavorResource, number>();
  const podSets: PodSetAssignment[] = [];
  let mode = Mode.Fit;
  let borrowing = false;
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
        const why = incompatibility(flavor, podSet);
        if (why) {
          incompatible.push(why);
          continue;
        }
        const attempt: FlavorTry = { flavor: flavor.name, mode: Mode.Fit, borrowing: false, shortfall: [] };
        for (const resource of resources) {
          const key = fr(flavor.name, resource);
          const need = podSet.requests[resource] * count + (usage.get(key) ?? 0);
          const available = node.available(key);
          if (need <= available) {
            if (node.borrowing(key, need)) attempt.borrowing = true;
            continue;
          }
          const potential = node.potential(key);
          attempt.shortfall.push({ flavor: flavor.name, resource, requested: need, available, potential });
          attempt.mode = Math.min(attempt.mode, need <= potential ? Mode.Preempt : Mode.NoFit);
          if (need <= potential && node.borrowing(key, need)) attempt.borrowing = true;
        }
        if (attempt.mode !== Mode.NoFit && podSet.topology && flavor.topologyName && ctx.inventory) {
          const topology = config.topologies.get(flavor.topologyName)!;
          const placement = ctx.inventory.place(flavor, topology, podSet.topology, count, podSet.requests);
          if (placement) attempt.topology = placement;
          else {
            attempt.mode = Mode.NoFit;
            attempt.topologyFailed = true;
          }
        }
        tries.push(attempt);
        const fungibility = cq.flavorFungibility;
        if (attempt.mode === Mode.Fit && (!attempt.borrowing || fungibility.whenCanBorrow === 'Borrow')) {
          chosen = attempt;
          break;
        }
        if (attempt.mode === Mode.Preempt && fungibility.whenCanPreempt === 'Preempt') {
          chosen = attempt;
          break;
        }
      }
      if (!chosen) {
        // Best of what was tried: a fit that borrows, then preemption, then nothing; earlier flavors win ties.
        for (const t of tries) if (!chosen || t.mode > chosen.mode) chosen = t;
      }
      if (!chosen) {
        worse(
          () => ({
            code: 'NoMatchingFlavor',
            message: `No flavor of ClusterQueue ${cq.name} can host pod set ${podSet.name}: ${incompatible.join('; ')}`,
          }),
          Mode.NoFit,
        );
        continue;
      }
      for (const resource of resources) {
        assignment.flavors[resource] = chosen.flavor;
        const key = fr(chosen.flavor, resource);
        usage.set(key, (usage.get(key) ?? 0) + podSet.requests[resource] * count);
      }
      if (chosen.topology) assignment.topology = chosen.topology;
      if (chosen.borrowing) borrowing = true;
      if (chosen.mode === Mode.Fit) continue;
      const shortfall = tries.flatMap(t => t.shortfall);
      const reasonShortfall = () =>
        shortfall.map(s => ({
          flavor: s.flavor,
          resource: s.resource,
          requested: toUnits(s.requested),
          available: toUnits(s.available),
        }));
      if (chosen.topologyFailed || (chosen.mode === Mode.NoFit && tries.every(t => t.topologyFailed))) {
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
      } else if (chosen.mode === Mode.NoFit && tries.every(t => t.shortfall.some(s => s.requested > s.potential))) {
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
          chosen.mode,
        );
      }
    }
  }
  return {
    mode,
    borrowing,
    podSets,
    usage,
    get reason() {
      return explain?.();
    },
  };
}

/**
 * Partial admission: when the full gang does not fit, the largest pod counts
 * down to each pod set's minCount that fit (binary search, as Kueue does).
 */
export function assignPartially(ctx: AssignContext, workload: Workload, full: Assignment): Assignment {
  const slack = workload.podSets.map(ps =>
    ps.minCount !== undefined && ps.minCount < ps.count ? ps.count - ps.minCount : 0,
  );
  const total = slack.reduce((a, b) => a + b, 0);
  if (total === 0) return full;
  const countsFor = (k: number) => workload.podSets.map((ps, i) => ps.count - Math.ceil((slack[i] * k) / total));
  let best: Assignment | undefined;
  let lo = 1;
  let hi = total;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const attempt = assignFlavors(ctx, workload, countsFor(mid));
    if (attempt.mode === Mode.Fit) {
      best = attempt;
      hi = mid - 1;
    } else {
      lo = mid + 1;
    }
  }
  return best ?? full;
}
