import type { FleetNodesResponse } from '@ai-platform/backstage-plugin-ai-platform-common';

/** The fleet's nodes as the per-node heat map shows them. */
export interface FleetNodeService {
  /** Every node (of one cluster, when given) with its flavors, GPUs allocated of capacity and DCGM utilization. */
  listNodes(options?: { cluster?: string }): Promise<FleetNodesResponse>;
}
