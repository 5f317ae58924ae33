import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';
import { HumanDuration } from '@backstage/types';

export interface Config {
  catalog?: {
    providers?: {
      /** The AI platform entity provider (workloads, queues, clusters, GPU pools). */
      aiPlatform?: {
        /** When the full reconciliation runs. Default: every 60 seconds. */
        schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
        /** How often GET /workloads is polled for delta mutations. Default: 5 seconds. */
        deltaInterval?: HumanDuration | string;
        /** How long finished workloads stay in the catalog after finishing. Default: 7 days. */
        retention?: HumanDuration | string;
        /** Owner of entities whose team is unknown. Default: group:default/platform-team. */
        fallbackOwner?: string;
        /** Owner of ClusterQueues, clusters and GPU pools. Default: group:default/platform-team. */
        platformOwner?: string;
      };
    };
  };
}
