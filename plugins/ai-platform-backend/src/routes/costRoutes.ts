import type { Request } from 'express';
import { costAggregations, type CostAggregation } from '@ai-platform/backstage-plugin-ai-platform-common';
import type { ShowbackResponse } from '@ai-platform/backstage-plugin-ai-platform-common';
import type { CostService } from '../services/CostService';
import type { Credentials, TeamAccess } from '../permissions';
import { queryOf, type OpenApiRouter } from '../schema/openApiRouter';
import { formatMicros } from '../costs/money';
import { poolHistory } from './poolHistory';

/** The spec's filter.<grouping> query parameters, as one filter. */
function filterOf(query: object): Partial<Record<CostAggregation, string>> {
  const filter: Partial<Record<CostAggregation, string>> = {};
  for (const a of costAggregations) {
    const value = (query as Record<string, unknown>)[`filter.${a}`];
    if (typeof value === 'string') filter[a] = value;
  }
  return filter;
}

/** Showback as CSV, one line per row, for spreadsheets. */
function showbackCsv(body: ShowbackResponse): string {
  const lines = [
    `${body.step === '1h' ? 'hour' : 'day'},${body.aggregate},gpu_hours,cost_${body.currency.toLowerCase()}`,
  ];
  for (const r of body.rows) {
    lines.push(
      `${r.hour ?? r.day},"${r.key.replace(/"/g, '""')}",${r.gpuHours.toFixed(4)},${formatMicros(r.costMicros, 6)}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/**
 * The /costs routes: showback (JSON or CSV), OpenCost-style allocation,
 * inference efficiency, a workload's cost, budgets and estimates, and the
 * pools' allocation and utilization over time (/fleet/pools/history). The spec
 * has validated the parameters; TeamAccess says whose costs the caller sees.
 */
export function addCostRoutes(
  router: OpenApiRouter,
  options: { costs: CostService; access: TeamAccess; credentialsOf: (req: Request) => Promise<Credentials> },
) {
  const { costs, access, credentialsOf } = options;
  const visibleTeams = async (req: Request) => access.costTeams(await credentialsOf(req));

  router.get('/costs/showback', async (req, res) => {
    const query = queryOf<'/costs/showback'>(req);
    const body = await costs.showback(
      { window: query.window, aggregate: query.aggregate ?? 'team', filter: filterOf(query), step: query.step ?? '1d' },
      await visibleTeams(req),
    );
    if (query.format === 'csv') {
      res.type('text/csv').attachment(`showback-${body.aggregate}.csv`).send(showbackCsv(body));
      return;
    }
    res.json(body);
  });

  router.get('/costs/allocation', async (req, res) => {
    const query = queryOf<'/costs/allocation'>(req);
    res.json(
      await costs.allocation(
        {
          window: query.window,
          aggregate: query.aggregate ?? 'team',
          filter: filterOf(query),
          shareIdle: query.shareIdle ?? false,
        },
        await visibleTeams(req),
      ),
    );
  });

  router.get('/costs/inference', async (req, res) => {
    const query = queryOf<'/costs/inference'>(req);
    res.json(await costs.inference({ window: query.window, filter: filterOf(query) }, await visibleTeams(req)));
  });

  router.get('/costs/workloads/:cluster/:namespace/:kind/:name', async (req, res) => {
    const { cluster, namespace, kind, name } = req.params;
    const { window } = queryOf<'/costs/workloads/{cluster}/{namespace}/{kind}/{name}'>(req);
    res.json(await costs.workloadCost({ cluster, namespace, kind, name }, window, await visibleTeams(req)));
  });

  router.get('/costs/budgets', async (req, res) => {
    const query = queryOf<'/costs/budgets'>(req);
    res.json(await costs.budgets(await visibleTeams(req), { team: query['filter.team'] }));
  });

  router.get('/fleet/pools/history', async (req, res) => {
    const query = queryOf<'/fleet/pools/history'>(req);
    res.json(
      await poolHistory(costs, await visibleTeams(req), {
        window: query.window ?? '24h',
        cluster: query.cluster,
        now: Date.now(),
      }),
    );
  });

  router.post('/costs/estimate', async (req, res) => {
    await credentialsOf(req);
    res.json(costs.estimate(req.body));
  });
}
