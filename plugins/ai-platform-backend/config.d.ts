import type { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';
import type { HumanDuration } from '@backstage/types';

export interface Config {
  /** The AI platform backend plugin. Clusters come from kubernetes.clusterLocatorMethods (type: config). */
  aiPlatform?: {
    /** Kueue objects (ResourceFlavor, ClusterQueue, LocalQueue, Cohort, WorkloadPriorityClass) every cluster shares. */
    queues?: Array<{ [key: string]: unknown }>;
    /** Per cluster (by its name in kubernetes.clusterLocatorMethods). */
    clusters?: {
      [name: string]: {
        /** admit: this backend admits; observe: Kueue admits, the platform only reads; auto (default): observe when Kueue runs there. */
        mode?: 'admit' | 'observe' | 'auto';
        /** The cluster's own Kueue objects, replacing shared ones of the same kind, namespace and name. */
        queues?: Array<{ [key: string]: unknown }>;
      };
    };
    /** Path of a kubeconfig file whose contexts are clusters too. */
    kubeconfig?: string;
    /** Engine settings in Kueue's shapes (fairSharing, waitForPodsReady, ...). */
    engine?: { [key: string]: unknown };
    permissions?: {
      /** Limit users to their teams' workloads, queues and costs even when the policy allows outright. Default true. */
      teamScoped?: boolean;
      /** Group entity refs whose members see and act on every team's, when the policy allows ai-platform.admin. */
      adminGroups?: string[];
    };
    metrics?: {
      /** How often the workload gauges are refreshed. Default 15 seconds. */
      pollInterval?: HumanDuration | string;
    };
    costs?: {
      /** When clusters' pods and nodes are read into the ledger. Default every 60 seconds, timeout 10 minutes. */
      ingestSchedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      /** How far back hourly cost rows are kept (step=1h showback); daily rows are kept for ever. Default 30 days. */
      hourlyRetention?: HumanDuration | string;
      /** Keep GPU pods with a finalizer until their GPU time is recorded. Default true. */
      podFinalizer?: boolean;
    };
    prometheus?: {
      /** A Prometheus scraping dcgm-exporter and vLLM/SGLang; without it utilization and tokens are unknown. */
      url?: string;
    };
    pricing?: {
      /** Currency of every price source. Default USD. */
      currency?: string;
      /** Prices per GPU-hour, by flavor or GPU product, effective from a time; they win over every other price source. */
      gpu?: Array<{
        flavor?: string;
        gpuProduct?: string;
        /** A decimal amount, e.g. "3.10". */
        perHour: string;
        /** ISO 8601 time from which the price applies. */
        effectiveFrom?: string;
      }>;
    };
    /** Monthly GPU budget per team (over the Group annotation ai-platform.io/monthly-gpu-budget). */
    budgets?: Array<{
      team: string;
      monthly: string;
      /** At admission once the month's budget is spent: Warn (default), Deprioritize (below work within budget) or Hold (new work waits with BudgetExceeded). */
      policy?: 'Warn' | 'Deprioritize' | 'Hold';
    }>;
  };
}
