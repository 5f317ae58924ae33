import type { AuthService, DatabaseService, LoggerService, SchedulerService } from '@backstage/backend-plugin-api';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { NotificationService } from '@backstage/plugin-notifications-node';
import type { WorkloadRef, WorkloadSummary } from '@ai-platform/backstage-plugin-ai-platform-common';
import type { TelemetrySource } from '@ai-platform/backstage-plugin-ai-platform-node';
import type { ClusterRegistry } from '../clusters/ClusterRegistry';
import { CostDatabase } from '../database/CostDatabase';
import { DefaultCostService } from '../services/CostService';
import type { AiPlatformConfig } from '../config';
import { budgetStatus, newBudgetAlerts, TeamBudgets } from './budgets';
import { CostIngestor } from './CostIngestor';
import type { PriceBook } from './pricing';

export { TeamBudgets } from './budgets';
export { PriceBook, configPriceSource } from './pricing';
export { PrometheusTelemetry } from './PrometheusTelemetry';

/**
 * GPU cost accounting: ingests every cluster's pods (as the shared informers
 * hold them) into the ledger each minute, sends budget notifications hourly, and serves the CostService
 * behind the /costs routes. Prices come from the registered price sources
 * (the config price book among them), utilization and token figures from
 * the telemetry source. Budgets come from aiPlatform.budgets and, with a
 * catalog, from Group annotations (refreshed every 10 minutes on each
 * replica).
 */
export async function createCostAccounting(options: {
  /** aiPlatform.costs, aiPlatform.pricing.currency and aiPlatform.budgets, as readAiPlatformConfig read them. */
  settings: AiPlatformConfig['costs'];
  database: DatabaseService;
  logger: LoggerService;
  scheduler: SchedulerService;
  /** Every registered price source's prices as one book. */
  prices: PriceBook;
  telemetry?: TelemetrySource;
  notifications?: NotificationService;
  /** For budgets from Group entities (annotation ai-platform.io/monthly-gpu-budget), read with the plugin's own credentials. */
  catalog?: CatalogService;
  auth?: AuthService;
  /** The controller's view of a workload (team, expected run time) for the per-workload cost route. */
  lookupWorkload?: (ref: WorkloadRef) => Promise<WorkloadSummary | undefined>;
  /** What the controller knows about the pods' workloads and flavors. */
  attribution?: ConstructorParameters<typeof CostIngestor>[4];
  /** The clusters' informers (shared with the admission controller) the ingest reads pods, nodes and namespaces from. */
  registry: ClusterRegistry;
}) {
  const { settings, logger, scheduler } = options;
  const { prices } = options;
  const db = await CostDatabase.create(await options.database.getClient(), prices, {
    skipMigrations: options.database.migrations?.skip,
    hourlyRetentionMs: settings.hourlyRetentionMs,
  });
  const budgets = new TeamBudgets(
    settings.budgets,
    options.catalog && options.auth ? { catalog: options.catalog, auth: options.auth, logger } : undefined,
  );
  if (!options.telemetry)
    logger.info('aiPlatform.prometheus.url is not set: GPU utilization and inference token figures are unknown');
  const ingestor = new CostIngestor(
    options.registry,
    db,
    logger,
    {
      record: (cluster, nodes, seenAt) => db.recordNodes(cluster, nodes, seenAt),
    },
    options.attribution,
    settings.podFinalizer,
  );
  ingestor.start();
  await scheduler.scheduleTask({
    id: 'ai-platform-cost-ingest',
    ...settings.ingestSchedule,
    fn: () => ingestor.sync(),
  });
  await scheduler.scheduleTask({
    id: 'ai-platform-cost-hourly-prune',
    frequency: { hours: 24 },
    timeout: { minutes: 10 },
    initialDelay: { minutes: 5 },
    fn: async () => {
      const deleted = await db.pruneHourly(Date.now());
      logger.debug(`Cost ledger: pruned ${deleted} hourly rows older than the retention`);
    },
  });
  if (options.catalog) {
    await scheduler.scheduleTask({
      id: 'ai-platform-budget-groups',
      // Every replica keeps its own copy of the budgets.
      scope: 'local',
      frequency: { minutes: 10 },
      timeout: { minutes: 2 },
      initialDelay: { seconds: 15 },
      fn: () =>
        budgets
          .refresh()
          .catch(e =>
            logger.warn(`Cannot read team budgets from Group entities, keeping the last ones: ${(e as Error).message}`),
          ),
    });
  }
  await scheduler.scheduleTask({
    id: 'ai-platform-budget-alerts',
    frequency: { hours: 1 },
    timeout: { minutes: 5 },
    initialDelay: { minutes: 1 },
    fn: async () => {
      const now = Date.now();
      const alerts = await newBudgetAlerts(db, await budgetStatus(db, budgets.current(), now), now, prices.currency);
      for (const alert of alerts) {
        logger.info(alert.title);
        await options.notifications?.send({
          recipients: { type: 'entity', entityRef: `group:default/${alert.team}` },
          payload: {
            title: alert.title,
            description: alert.description,
            severity: alert.threshold >= 100 ? 'high' : 'normal',
            topic: 'ai-platform-budget',
            link: '/ai-platform',
          },
        });
      }
    },
  });
  const service = new DefaultCostService({
    db,
    telemetry: options.telemetry,
    lookupWorkload: options.lookupWorkload,
    budgets,
  });
  /** This month's spend against budget per team, for enforcing budgets at admission. */
  const budgetStatuses = (now: number) => budgetStatus(db, budgets.current(), now);
  return { db, ingestor, budgets, service, budgetStatuses };
}
