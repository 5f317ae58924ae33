import type {
  AuthService,
  DatabaseService,
  HttpAuthService,
  LoggerService,
  PermissionsService,
  RootConfigService,
  SchedulerService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { NotificationService } from '@backstage/plugin-notifications-node';
import { readClusters } from '../clusters/readClusters';
import { budgetStatus, newBudgetAlerts, readBudgets, TeamBudgets } from './budgets';
import { CostIngestor, type PodAttribution } from './CostIngestor';
import { CostLedger } from './CostLedger';
import { NodeCapacityLedger } from './NodeCapacity';
import { PriceBook } from './pricing';
import { PrometheusUtilization } from './PrometheusUtilization';
import { PrometheusInference } from './PrometheusInference';
import { createCostRouter } from './router';
import type { WorkloadRef, WorkloadSummary } from '@ai-platform/backstage-plugin-ai-platform-common';

export { CostLedger } from './CostLedger';
export { NodeCapacityLedger } from './NodeCapacity';
export { TeamBudgets } from './budgets';
export { PriceBook } from './pricing';

/**
 * GPU cost accounting: ingests every cluster's pods into the ledger each
 * minute, sends budget notifications hourly, and serves the /costs routes
 * (showback, allocation with fleet idle, inference efficiency, per-workload
 * cost). Node GPU capacity is recorded from the same node lists as the pods.
 * Budgets come from aiPlatform.budgets and, with a catalog, from Group
 * annotations (refreshed every 10 minutes on each replica).
 * Config: aiPlatform.pricing, aiPlatform.budgets, aiPlatform.prometheus.url,
 * aiPlatform.costs.ingestIntervalSeconds (default 60),
 * aiPlatform.costs.hourlyRetentionDays (default 30).
 */
export async function createCostAccounting(options: {
  config: RootConfigService;
  database: DatabaseService;
  logger: LoggerService;
  scheduler: SchedulerService;
  httpAuth: HttpAuthService;
  userInfo: UserInfoService;
  permissions: PermissionsService;
  notifications?: NotificationService;
  /** For budgets from Group entities (annotation ai-platform.io/monthly-gpu-budget), read with the plugin's own credentials. */
  catalog?: CatalogService;
  auth?: AuthService;
  /** The controller's view of a workload (team, expected run time) for the per-workload cost route. */
  lookupWorkload?: (ref: WorkloadRef) => Promise<WorkloadSummary | undefined>;
  /** The admission controller's tracing of pods to their top-level workload and its queues' flavors. */
  attribution?: PodAttribution;
}) {
  const { config, logger, scheduler } = options;
  const db = await options.database.getClient();
  const ledger = await CostLedger.create(db, PriceBook.fromConfig(config), {
    hourlyRetentionDays: config.getOptionalNumber('aiPlatform.costs.hourlyRetentionDays'),
  });
  const capacity = new NodeCapacityLedger(db, ledger.prices);
  const budgets = new TeamBudgets(
    readBudgets(config),
    options.catalog && options.auth ? { catalog: options.catalog, auth: options.auth, logger } : undefined,
  );
  const prometheusUrl = config.getOptionalString('aiPlatform.prometheus.url');
  const utilization = prometheusUrl ? new PrometheusUtilization(prometheusUrl) : undefined;
  const inference = prometheusUrl ? new PrometheusInference(prometheusUrl) : undefined;
  if (!prometheusUrl)
    logger.info('aiPlatform.prometheus.url is not set: GPU utilization and inference token figures are unknown');
  const ingestor = new CostIngestor(readClusters(config), ledger, logger, capacity, options.attribution);
  const every = config.getOptionalNumber('aiPlatform.costs.ingestIntervalSeconds') ?? 60;
  await scheduler.scheduleTask({
    id: 'ai-platform-cost-ingest',
    frequency: { seconds: every },
    timeout: { minutes: 10 },
    initialDelay: { seconds: 5 },
    fn: () => ingestor.sync(),
  });
  await scheduler.scheduleTask({
    id: 'ai-platform-cost-hourly-prune',
    frequency: { hours: 24 },
    timeout: { minutes: 10 },
    initialDelay: { minutes: 5 },
    fn: async () => {
      const deleted = await ledger.pruneHourly(Date.now());
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
      const alerts = await newBudgetAlerts(
        db,
        await budgetStatus(ledger, budgets.current(), now),
        now,
        ledger.prices.currency,
      );
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
  return {
    ledger,
    ingestor,
    capacity,
    budgets,
    router: createCostRouter({
      ledger,
      capacity,
      utilization,
      inference,
      lookupWorkload: options.lookupWorkload,
      budgets,
      httpAuth: options.httpAuth,
      userInfo: options.userInfo,
      permissions: options.permissions,
    }),
  };
}
