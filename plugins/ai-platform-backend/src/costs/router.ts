import Router from 'express-promise-router';
import type { HttpAuthService, PermissionsService, UserInfoService } from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  aiCostReadPermission,
  aiPlatformAdminPermission,
  idleAllocationName,
  type AllocationEntry,
  type AllocationResponse,
  type InferenceEfficiencyResponse,
  type ShowbackResponse,
  type WorkloadCostResponse,
  type WorkloadRef,
  type WorkloadSummary,
} from '@ai-platform/backstage-plugin-ai-platform-common';
import { Aggregation, aggregations, CostLedger, ShowbackRow, ShowbackStep } from './CostLedger';
import { budgetStatus, type TeamBudgets } from './budgets';
import { apportion, formatMicros, intervalCost } from './money';
import type { FleetIdle, NodeCapacityLedger } from './NodeCapacity';
import type { PrometheusUtilization } from './PrometheusUtilization';
import type { PrometheusInference } from './PrometheusInference';
import { inferenceEfficiency } from './inference';
import { workloadCost } from './workloadCost';

const DAY = 86_400_000;

/** "7d", "30d", "24h", or "2026-11-01T00:00:00Z,2026-11-08T00:00:00Z" (OpenCost's window syntax). */
export function parseWindow(window: string | undefined, now: number): { from: number; to: number } {
  const text = window ?? '7d';
  const relative = /^(\d+)(d|h)$/.exec(text);
  if (relative) return { from: now - Number(relative[1]) * (relative[2] === 'd' ? DAY : 3_600_000), to: now };
  const [a, b] = text.split(',');
  const from = Date.parse(a);
  const to = b ? Date.parse(b) : now;
  if (Number.isNaN(from) || Number.isNaN(to) || to <= from) {
    throw new InputError(`window "${text}" is not valid; use 7d, 30d, 24h or "<start>,<end>" in ISO 8601`);
  }
  return { from, to };
}

function parseAggregate(value: unknown): Aggregation {
  const text = typeof value === 'string' ? value : 'team';
  const name = text === 'product' ? 'gpu_product' : text;
  if (!(aggregations as readonly string[]).includes(name)) {
    throw new InputError(`aggregate "${text}" is not one of ${aggregations.join(', ')}`);
  }
  return name as Aggregation;
}

/** Hourly rows only for windows up to this long: 168 rows per group. */
const maxHourlyWindow = 7 * DAY;

function parseStep(value: unknown, q: { from: number; to: number; now: number }, retentionMs: number): ShowbackStep {
  const step = value ?? '1d';
  if (step !== '1h' && step !== '1d')
    throw new InputError(`step "${String(step)}" is not valid; use step=1h or step=1d`);
  if (step === '1h' && q.to - q.from > maxHourlyWindow) {
    throw new InputError(
      `step=1h covers windows of at most 7 days and this one is ${((q.to - q.from) / DAY).toFixed(
        1,
      )} days; use step=1d or a shorter window`,
    );
  }
  if (step === '1h' && q.from < q.now - retentionMs) {
    throw new InputError(
      `step=1h reaches back ${Math.round(
        retentionMs / DAY,
      )} days (aiPlatform.costs.hourlyRetentionDays) and this window starts earlier; use step=1d for it`,
    );
  }
  return step;
}

function parseShareIdle(value: unknown): boolean {
  if (value === undefined || value === 'false') return false;
  if (value === 'true') return true;
  throw new InputError(`shareIdle "${String(value)}" is not valid; use shareIdle=true or shareIdle=false`);
}

const hourIso = (hour: string) => `${hour}:00:00Z`;

function csv(rows: ShowbackRow[], aggregate: string, currency: string, step: ShowbackStep): string {
  const lines = [`${step === '1h' ? 'hour' : 'day'},${aggregate},gpu_hours,cost_${currency.toLowerCase()}`];
  for (const r of rows)
    lines.push(
      `${r.hour ? hourIso(r.hour) : r.day},"${r.key.replace(/"/g, '""')}",${(r.gpuMs / 3_600_000).toFixed(
        4,
      )},${formatMicros(r.costMicros, 6)}`,
    );
  return `${lines.join('\n')}\n`;
}

/**
 * /costs routes: showback (JSON or CSV), an OpenCost-style allocation view
 * and cost estimates. Users see the costs of their own teams unless they hold
 * the admin permission.
 */
export function createCostRouter(options: {
  ledger: CostLedger;
  utilization?: PrometheusUtilization;
  /** Token counts of inference servers; undefined when Prometheus is not configured. */
  inference?: PrometheusInference;
  /** The workload as the controller knows it (team, expected run time), for /costs/workloads. */
  lookupWorkload?: (ref: WorkloadRef) => Promise<WorkloadSummary | undefined>;
  /** Node GPU capacity over time, for fleet idle; without it allocation has no `__idle__` and shareIdle shares nothing. */
  capacity?: NodeCapacityLedger;
  /** Monthly budget per team. */
  budgets?: TeamBudgets;
  httpAuth: HttpAuthService;
  userInfo: UserInfoService;
  permissions: PermissionsService;
  now?: () => number;
}) {
  const { ledger, httpAuth, userInfo, permissions } = options;
  const now = options.now ?? Date.now;
  const router = Router();

  /** The teams whose costs the caller may see; undefined = all. */
  async function visibleTeams(req: Parameters<HttpAuthService['credentials']>[0]): Promise<Set<string> | undefined> {
    const credentials = await httpAuth.credentials(req, { allow: ['user', 'service'] });
    const [read, admin] = await permissions.authorize(
      [{ permission: aiCostReadPermission }, { permission: aiPlatformAdminPermission }],
      { credentials },
    );
    if (read.result !== AuthorizeResult.ALLOW) throw new NotAllowedError('You may not read AI platform costs');
    if (admin.result === AuthorizeResult.ALLOW || credentials.principal.type === 'service') return undefined;
    const info = await userInfo.getUserInfo(credentials as never);
    return new Set(info.ownershipEntityRefs.filter(r => r.startsWith('group:')).map(r => r.split('/').pop()!));
  }

  function query(req: { query: Record<string, unknown> }) {
    const at = now();
    const { from, to } = parseWindow(req.query.window as string | undefined, at);
    const aggregate = parseAggregate(req.query.aggregate);
    const filter: Partial<Record<Aggregation, string>> = {};
    for (const a of aggregations) {
      const value = req.query[`filter.${a}`] ?? (req.query.filter as Record<string, unknown> | undefined)?.[a];
      if (typeof value === 'string') filter[a] = value;
    }
    return { from, to, aggregate, filter, now: at };
  }

  /** A user who may not see every team's costs must name one of their teams when grouping by anything else. */
  function requireOwnTeam(teams: Set<string> | undefined, q: ReturnType<typeof query>) {
    if (teams && q.aggregate !== 'team' && !(q.filter.team && teams.has(q.filter.team))) {
      throw new NotAllowedError(
        `Grouping by ${q.aggregate} needs filter.team set to one of your teams (${[...teams].join(', ') || 'none'})`,
      );
    }
  }

  router.get('/costs/showback', async (req, res) => {
    const q = query(req);
    const step = parseStep(req.query.step, q, ledger.hourlyRetentionMs);
    const teams = await visibleTeams(req);
    requireOwnTeam(teams, q);
    const result = (await ledger.showback({ ...q, step })).filter(
      r => !teams || q.aggregate !== 'team' || teams.has(r.key),
    );
    if (req.query.format === 'csv') {
      res
        .type('text/csv')
        .attachment(`showback-${q.aggregate}.csv`)
        .send(csv(result, q.aggregate, ledger.prices.currency, step));
      return;
    }
    const body: ShowbackResponse = {
      currency: ledger.prices.currency,
      window: { from: new Date(q.from).toISOString(), to: new Date(q.to).toISOString() },
      aggregate: q.aggregate,
      step,
      rows: result.map(r => ({
        day: r.day,
        ...(r.hour ? { hour: hourIso(r.hour) } : {}),
        key: r.key,
        gpuHours: r.gpuMs / 3_600_000,
        costMicros: r.costMicros,
        cost: formatMicros(r.costMicros),
      })),
      totalCostMicros: result.reduce((s, r) => s + r.costMicros, 0),
    };
    res.json(body);
  });

  router.get('/costs/allocation', async (req, res) => {
    const q = query(req);
    const shareIdle = parseShareIdle(req.query.shareIdle);
    const teams = await visibleTeams(req);
    requireOwnTeam(teams, q);
    // Fleet totals only for callers who see every team and ask about the whole fleet.
    const fleetView = !teams && Object.keys(q.filter).length === 0;
    const pods = await ledger.podUsage(q);
    const fleetPods = shareIdle && !fleetView ? await ledger.podUsage({ ...q, filter: {} }) : pods;
    const idle: FleetIdle | undefined =
      options.capacity && (fleetView || shareIdle)
        ? await options.capacity.idle(q, await ledger.intervalsWithin(q))
        : undefined;
    // Shares are apportioned per pod over the whole fleet, so a group's share is the same in every view.
    const shares = new Map<string, number>();
    if (shareIdle && idle) {
      const split = apportion(
        idle.costMicros,
        fleetPods.map(p => p.costMicros),
      );
      fleetPods.forEach((p, i) => shares.set(`${p.podUid}|${p.resource}`, split[i]));
    }
    const util = await options.utilization?.byPod(q.from, Math.min(q.to, q.now));
    const groups = new Map<
      string,
      { gpuMs: number; costMicros: number; sharedMicros: number; usedMs: number; knownMs: number }
    >();
    for (const p of pods) {
      if (teams && q.aggregate === 'team' && !teams.has(p.key)) continue;
      const g = groups.get(p.key) ?? { gpuMs: 0, costMicros: 0, sharedMicros: 0, usedMs: 0, knownMs: 0 };
      g.gpuMs += p.gpuMs;
      g.costMicros += p.costMicros;
      g.sharedMicros += shares.get(`${p.podUid}|${p.resource}`) ?? 0;
      const u = util?.get(`${p.namespace}/${p.pod}`);
      if (u !== undefined) {
        g.usedMs += p.gpuMs * u;
        g.knownMs += p.gpuMs;
      }
      groups.set(p.key, g);
    }
    const shared = shares.size > 0 && fleetPods.some(p => p.costMicros > 0);
    const data: Record<string, AllocationEntry> = Object.fromEntries(
      [...groups].map(([name, g]) => {
        const efficiency = g.knownMs > 0 ? g.usedMs / g.knownMs : null;
        const total = g.costMicros + g.sharedMicros;
        const entry: AllocationEntry = {
          name,
          gpuHours: g.gpuMs / 3_600_000,
          gpuCost: total / 1_000_000,
          gpuEfficiency: efficiency,
          idleCost: efficiency === null ? null : (g.costMicros * (1 - efficiency)) / 1_000_000,
          totalCost: total / 1_000_000,
          gpuCostMicros: total,
          totalCostMicros: total,
          ...(shared ? { sharedIdleCost: g.sharedMicros / 1_000_000, sharedIdleCostMicros: g.sharedMicros } : {}),
        };
        return [name, entry];
      }),
    );
    // Idle that could not be shared (nothing was allocated) stays visible as __idle__.
    if (fleetView && idle && idle.capacityGpuMs > 0 && !shared) {
      data[idleAllocationName] = {
        name: idleAllocationName,
        gpuHours: idle.gpuMs / 3_600_000,
        gpuCost: idle.costMicros / 1_000_000,
        gpuEfficiency: 0,
        idleCost: idle.costMicros / 1_000_000,
        totalCost: idle.costMicros / 1_000_000,
        gpuCostMicros: idle.costMicros,
        totalCostMicros: idle.costMicros,
      };
    }
    const body: AllocationResponse = {
      code: 200,
      currency: ledger.prices.currency,
      utilizationKnown: util !== undefined,
      shareIdle: shared,
      data: [data],
    };
    res.json(body);
  });

  router.get('/costs/inference', async (req, res) => {
    const q = query(req);
    const teams = await visibleTeams(req);
    if (teams && q.filter.team && !teams.has(q.filter.team)) {
      throw new NotAllowedError(
        `filter.team=${q.filter.team} is not one of your teams (${[...teams].join(', ') || 'none'})`,
      );
    }
    const end = Math.min(q.to, q.now);
    const tokens = await options.inference?.tokensByPod(q.from, end);
    const pods = tokens
      ? (await ledger.podUsage(q)).filter(p => !teams || (p.team !== undefined && teams.has(p.team)))
      : [];
    const body: InferenceEfficiencyResponse = {
      currency: ledger.prices.currency,
      window: { from: new Date(q.from).toISOString(), to: new Date(end).toISOString() },
      tokensKnown: tokens !== undefined,
      items: tokens ? inferenceEfficiency(pods, tokens, end - q.from) : [],
    };
    res.json(body);
  });

  router.get('/costs/workloads/:cluster/:namespace/:kind/:name', async (req, res) => {
    const teams = await visibleTeams(req);
    const { cluster, namespace, kind, name } = req.params;
    const at = now();
    const lookback = parseWindow((req.query.window as string | undefined) ?? '1h', at);
    const [intervals, summary] = await Promise.all([
      ledger.workloadIntervals({ cluster, namespace, workload: name }),
      options.lookupWorkload?.({ cluster, namespace, kind, name }),
    ]);
    if (intervals.length === 0 && !summary) {
      throw new NotFoundError(
        `No GPU usage is recorded for ${kind} ${namespace}/${name} in cluster ${cluster} and no such workload is known; check the cluster, namespace, kind and name`,
      );
    }
    const team = intervals.find(i => i.team)?.team ?? summary?.team;
    if (teams && !(team && teams.has(team))) {
      throw new NotAllowedError(
        `The costs of ${kind} ${namespace}/${name} belong to ${
          team ? `team ${team}` : 'no team'
        }; you may see those of ${[...teams].join(', ') || 'no team'}`,
      );
    }
    const body: WorkloadCostResponse = await workloadCost({
      ledger,
      intervals,
      summary,
      ref: { cluster, namespace, kind, name },
      at,
      inferenceWindowMs: lookback.to - lookback.from,
      utilization: options.utilization,
      inference: options.inference,
    });
    res.json(body);
  });

  router.get('/costs/budgets', async (req, res) => {
    const teams = await visibleTeams(req);
    const statuses = await budgetStatus(ledger, options.budgets?.current() ?? new Map(), now());
    res.json({
      currency: ledger.prices.currency,
      items: statuses.filter(s => !teams || teams.has(s.team)),
    });
  });

  router.post('/costs/estimate', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    const { gpus, hours, flavor, gpuProduct, shareNum = 1, shareDen = 1 } = req.body ?? {};
    if (typeof gpus !== 'number' || gpus <= 0 || typeof hours !== 'number' || hours <= 0) {
      throw new InputError(
        'Send {"gpus": <positive number>, "hours": <positive number>, "flavor" or "gpuProduct": <name>}',
      );
    }
    const t = now();
    const ms = Math.round(hours * 3_600_000);
    const micros = ledger.prices
      .segments(flavor, gpuProduct, t, t + ms)
      .reduce((s, seg) => s + intervalCost(seg.microsPerHour, gpus, seg.end - seg.start, shareNum, shareDen), 0);
    res.json({ currency: ledger.prices.currency, costMicros: micros, cost: formatMicros(micros), priced: micros > 0 });
  });

  return router;
}
