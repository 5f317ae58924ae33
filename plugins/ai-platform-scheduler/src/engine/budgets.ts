import type { Reason } from '@ai-platform/backstage-plugin-ai-platform-common';
import type { QueueConfig } from '../config/types';
import type { Workload } from './types';

/** What happens to a team's new work once its monthly budget is spent. */
export type BudgetPolicy = 'Warn' | 'Deprioritize' | 'Hold';

export const budgetPolicies: readonly BudgetPolicy[] = ['Warn', 'Deprioritize', 'Hold'];

/** Where a team stands against its budget, as the cost ledger (or the simulator) last measured it. */
export interface TeamBudgetStanding {
  policy: BudgetPolicy;
  exceeded: boolean;
  /** What was spent of what, for the reason a held workload shows, e.g. "1,020 of 1,000 GPU-hours in 2026-12". */
  spent?: string;
}

/** Budget standings by team (the `ai-platform.io/team` label of the workload's namespace, else the namespace). */
export type BudgetStandings = ReadonlyMap<string, TeamBudgetStanding>;

/** Priorities are int32 in Kueue; this puts deprioritized work below any within-budget work. */
export const deprioritizedOffset = 2 ** 33;

/** The team a workload is charged to. */
export function teamOf(workload: Workload, config: QueueConfig): string {
  return config.namespaces.get(workload.namespace)?.['ai-platform.io/team'] ?? workload.namespace;
}

/**
 * What a budget does to a pending workload: under `Hold` it waits with
 * reason BudgetExceeded; under `Deprioritize` it queues below work within
 * budget (same priority order among itself); under `Warn` nothing.
 */
export function budgetVerdict(
  workload: Workload,
  config: QueueConfig,
  standings: BudgetStandings,
): { hold?: Reason; deprioritized: boolean } {
  if (standings.size === 0) return { deprioritized: false };
  const team = teamOf(workload, config);
  const standing = standings.get(team);
  if (!standing?.exceeded) return { deprioritized: false };
  const spent = standing.spent ? ` (${standing.spent})` : '';
  if (standing.policy === 'Hold')
    return {
      deprioritized: false,
      hold: {
        code: 'BudgetExceeded',
        message: `Team ${team} has spent its monthly GPU budget${spent}; under policy Hold its new workloads wait until the budget is raised or the month ends, running ones finish`,
      },
    };
  return { deprioritized: standing.policy === 'Deprioritize' };
}

/** GPUs a workload requests in total (all pod sets, every GPU resource). */
export function gpusOf(workload: Workload): number {
  let gpus = 0;
  for (const ps of workload.podSets)
    for (const [resource, milli] of Object.entries(ps.requests))
      if (/gpu/i.test(resource)) gpus += (ps.count * milli) / 1000;
  return gpus;
}

/** How a team's budget went in a simulation (seconds, GPU-hours). */
export interface BudgetOutcome {
  policy: BudgetPolicy;
  budgetGpuHours: number;
  gpuHours: number;
  exceededAt?: number;
}

/** A team's budget in a simulation: GPU-hours for the whole run. */
export interface BudgetSpec {
  team: string;
  gpuHours: number;
  policy: BudgetPolicy;
}

/**
 * Meters GPU time per team as workloads run and says when a team's standing
 * changes, so a simulation can enforce budgets as the backend does with its
 * cost ledger.
 */
export class BudgetMeter {
  private readonly spentMs = new Map<string, number>();
  private readonly running = new Map<string, { team: string; gpus: number; since: number }>();
  private exceeded = new Map<string, number>();

  constructor(private readonly specs: readonly BudgetSpec[]) {}

  start(key: string, workload: Workload, config: QueueConfig, time: number) {
    this.running.set(key, { team: teamOf(workload, config), gpus: gpusOf(workload), since: time });
  }

  stop(key: string, time: number) {
    const run = this.running.get(key);
    if (!run) return;
    this.running.delete(key);
    this.spentMs.set(run.team, (this.spentMs.get(run.team) ?? 0) + run.gpus * (time - run.since));
  }

  /** GPU-hours each team has used by `time`. */
  gpuHours(time: number): Map<string, number> {
    const out = new Map<string, number>();
    for (const [team, ms] of this.spentMs) out.set(team, ms / 3_600_000);
    for (const run of this.running.values())
      out.set(run.team, (out.get(run.team) ?? 0) + (run.gpus * (time - run.since)) / 3_600_000);
    return out;
  }

  /** Each budgeted team's use by `time`, and when it went over its budget. */
  outcome(time: number): Record<string, BudgetOutcome> {
    const used = this.gpuHours(time);
    return Object.fromEntries(
      this.specs.map(s => [
        s.team,
        {
          policy: s.policy,
          budgetGpuHours: s.gpuHours,
          gpuHours: Math.round((used.get(s.team) ?? 0) * 1000) / 1000,
          ...(this.exceeded.has(s.team) && { exceededAt: this.exceeded.get(s.team)! / 1000 }),
        },
      ]),
    );
  }

  /** When the next team will cross its budget at the current rate of use (ms), if any will. */
  nextCrossing(time: number): number | undefined {
    const used = this.gpuHours(time);
    const gpus = new Map<string, number>();
    for (const run of this.running.values()) gpus.set(run.team, (gpus.get(run.team) ?? 0) + run.gpus);
    let next: number | undefined;
    for (const spec of this.specs) {
      const rate = gpus.get(spec.team) ?? 0;
      if (this.exceeded.has(spec.team) || rate === 0) continue;
      const at = time + Math.ceil((3_600_000 * (spec.gpuHours - (used.get(spec.team) ?? 0))) / rate);
      if (next === undefined || at < next) next = at;
    }
    return next;
  }

  /** New standings when a team crossed its budget since the last call; undefined when nothing changed. */
  changed(time: number): BudgetStandings | undefined {
    const used = this.gpuHours(time);
    let change = false;
    for (const spec of this.specs) {
      if (!this.exceeded.has(spec.team) && (used.get(spec.team) ?? 0) >= spec.gpuHours) {
        this.exceeded.set(spec.team, time);
        change = true;
      }
    }
    if (!change) return undefined;
    return new Map(
      this.specs.map(s => [
        s.team,
        {
          policy: s.policy,
          exceeded: this.exceeded.has(s.team),
          spent: `${Math.round(used.get(s.team) ?? 0)} of ${s.gpuHours} GPU-hours`,
        },
      ]),
    );
  }
}
