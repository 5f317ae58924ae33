import { coreServices, createBackendPlugin } from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { durationToMilliseconds } from '@backstage/types';
import { notificationService } from '@backstage/plugin-notifications-node';
import { signalsServiceRef } from '@backstage/plugin-signals-node';
import { aiPlatformPermissions, AI_WORKLOAD_RESOURCE_TYPE } from '@ai-platform/backstage-plugin-ai-platform-common';
import {
  aiPlatformPriceSourcesExtensionPoint,
  aiPlatformTelemetryExtensionPoint,
  aiPlatformWorkloadKindsExtensionPoint,
  type PriceSource,
  type TelemetrySource,
  type WorkloadKindAdapter,
} from '@ai-platform/backstage-plugin-ai-platform-node';
import { ClusterRegistry } from './clusters/ClusterRegistry';
import { readAiPlatformConfig } from './config';
import { createAdmissionController } from './controller';
import { configPriceSource, createCostAccounting, PriceBook, PrometheusTelemetry } from './costs';
import { defaultPriceSource } from './costs/pricing';
import { KnexDecisionStore } from './database';
import { LearnedRunTimes } from './runtime/LearnedRunTimes';
import { BudgetEnforcement } from './costs/budgets';
import { RunTimeHistory } from './runtime/RunTimeHistory';
import { WorkloadMetrics } from './metrics';
import { parseWorkloadResourceId, workloadResourceRef, workloadRules } from './permissions';
import { createRouter } from './routes/router';
import { DefaultFleetNodeService } from './services/FleetNodes';
import { publishWorkloadSignals } from './routes/signals';
import { builtinWorkloadKinds } from './workloads/adapters';

/** The ai-platform backend plugin: admission controller, REST API, cost accounting, signals and metrics. */
export const aiPlatformPlugin = createBackendPlugin({
  pluginId: 'ai-platform',
  register(env) {
    // The built-in kinds, prices and telemetry go through the same extension points as modules' (Tech Insights' way).
    const workloadKinds: WorkloadKindAdapter[] = [];
    const kinds = {
      addWorkloadKinds(...adapters: WorkloadKindAdapter[]) {
        workloadKinds.push(...adapters);
      },
    };
    kinds.addWorkloadKinds(...builtinWorkloadKinds);
    env.registerExtensionPoint(aiPlatformWorkloadKindsExtensionPoint, kinds);

    const priceSources: PriceSource[] = [];
    const prices = {
      addPriceSource(...sources: PriceSource[]) {
        priceSources.push(...sources);
      },
    };
    prices.addPriceSource(defaultPriceSource);
    env.registerExtensionPoint(aiPlatformPriceSourcesExtensionPoint, prices);

    let telemetrySource: TelemetrySource | undefined;
    const telemetry = {
      setTelemetrySource(source: TelemetrySource) {
        telemetrySource = source;
      },
    };
    env.registerExtensionPoint(aiPlatformTelemetryExtensionPoint, telemetry);

    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        database: coreServices.database,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        userInfo: coreServices.userInfo,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        scheduler: coreServices.scheduler,
        lifecycle: coreServices.lifecycle,
        signals: signalsServiceRef,
        notifications: notificationService,
        auditor: coreServices.auditor,
        auth: coreServices.auth,
        catalog: catalogServiceRef,
      },
      async init({
        config,
        logger,
        database,
        httpRouter,
        httpAuth,
        userInfo,
        permissions,
        permissionsRegistry,
        scheduler,
        lifecycle,
        signals,
        notifications,
        auditor,
        auth,
        catalog,
      }) {
        const settings = readAiPlatformConfig(config);
        // Config prices come last, so they win over every module's.
        prices.addPriceSource(configPriceSource(settings.pricing));
        // One book for the ledger and for plan's projected cost.
        const priceBook = await PriceBook.fromSources(priceSources, settings.pricing.currency);
        if (settings.prometheusUrl && !telemetrySource) {
          telemetry.setTelemetrySource(new PrometheusTelemetry(settings.prometheusUrl));
        }

        const decisions = await KnexDecisionStore.create({ database });
        const runTimes = new LearnedRunTimes(new RunTimeHistory(await database.getClient()), logger);
        await runTimes.load();
        const budgets = new BudgetEnforcement(settings.costs.budgetPolicies);
        // One connection and one set of informers per cluster, for the controller, the cost ingest and the fleet views.
        const registry = new ClusterRegistry(settings.clusters, logger);
        const controller = createAdmissionController({
          registry,
          settings,
          prices: priceBook,
          logger,
          decisions,
          runTimes,
          budgets,
          extraKinds: workloadKinds,
        });
        const workloads = controller.service;
        lifecycle.addStartupHook(() => controller.start());
        lifecycle.addShutdownHook(async () => {
          await controller.stop();
          await registry.stop();
        });

        permissionsRegistry.addResourceType({
          resourceRef: workloadResourceRef,
          permissions: aiPlatformPermissions.filter(
            p => 'resourceType' in p && p.resourceType === AI_WORKLOAD_RESOURCE_TYPE,
          ),
          rules: Object.values(workloadRules),
          getResources: refs =>
            Promise.all(
              refs.map(id => {
                const ref = parseWorkloadResourceId(id);
                return ref ? workloads.getWorkload(ref) : undefined;
              }),
            ),
        });
        permissionsRegistry.addPermissions(aiPlatformPermissions.filter(p => !('resourceType' in p)));

        const costs = await createCostAccounting({
          registry,
          settings: settings.costs,
          database,
          logger,
          scheduler,
          prices: priceBook,
          telemetry: telemetrySource,
          notifications,
          catalog,
          auth,
          lookupWorkload: ref => workloads.getWorkload(ref),
          // Pods traced to their top-level workload, flavors from the queues the controller uses.
          attribution: controller.attribution,
        });
        await scheduler.scheduleTask({
          id: 'ai-platform-budget-enforcement',
          // Every replica's engines need the standings; a rebuilt engine gets them again within a minute.
          scope: 'local',
          frequency: { minutes: 1 },
          timeout: { minutes: 1 },
          initialDelay: { seconds: 10 },
          fn: async () => {
            const standings = budgets.update(await costs.budgetStatuses(Date.now()));
            for (const c of controller.controllers) {
              c.setBudgets(standings);
              c.kick();
            }
          },
        });
        httpRouter.use(
          await createRouter({
            workloads,
            decisions,
            costs: costs.service,
            // Nodes and pods from the shared informers, flavors from the queues the controller uses.
            nodes: new DefaultFleetNodeService({
              clusters: registry.clusters,
              flavors: controller.attribution,
              telemetry: telemetrySource,
            }),
            httpAuth,
            permissions,
            userInfo,
            auditor,
            logger,
            ruleset: permissionsRegistry.getPermissionRuleset(workloadResourceRef),
            access: settings.permissions,
          }),
        );
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });

        const stopSignals = publishWorkloadSignals({ workloads, signals, logger });
        lifecycle.addShutdownHook(stopSignals);

        const metrics = new WorkloadMetrics(workloads);
        const pollSeconds = durationToMilliseconds(settings.metrics.pollInterval) / 1000;
        await scheduler.scheduleTask({
          id: 'ai-platform-metrics',
          scope: 'local',
          frequency: settings.metrics.pollInterval,
          timeout: { seconds: Math.max(30, pollSeconds * 2) },
          fn: () => metrics.poll(),
        });
      },
    });
  },
});
