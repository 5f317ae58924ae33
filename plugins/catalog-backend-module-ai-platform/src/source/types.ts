import type {
  ClusterSummary,
  QueueListResponse,
  WorkloadSummary,
} from '@ai-platform/backstage-plugin-ai-platform-common';

/** What the entity provider reads from the AI platform backend. */
export interface AiPlatformSource {
  listWorkloads(): Promise<WorkloadSummary[]>;
  listQueues(): Promise<QueueListResponse>;
  listClusters(): Promise<ClusterSummary[]>;
}
