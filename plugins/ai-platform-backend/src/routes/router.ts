import type express from 'express';
import type { Request } from 'express';
import type {
  AuditorService,
  HttpAuthService,
  LoggerService,
  PermissionsService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import type { PermissionRuleset } from '@backstage/plugin-permission-node';
import type { WorkloadSummary } from '@ai-platform/backstage-plugin-ai-platform-common';
import type { WorkloadService } from '../services/WorkloadService';
import type { DecisionStore } from '../database/DecisionStore';
import type { CostService } from '../services/CostService';
import type { FleetNodeService } from '../services/FleetNodes';
import { TeamAccess, type Credentials, type TeamAccessOptions } from '../permissions';
import { createOpenApiRouter, queryOf } from '../schema/openApiRouter';
import { addWorkloadRoutes } from './workloadRoutes';
import { addCostRoutes } from './costRoutes';

/** What the REST API needs. */
export interface RouterOptions {
  workloads: WorkloadService;
  decisions: DecisionStore;
  /** The /costs routes; without it they are not served. */
  costs?: CostService;
  /** The /fleet/nodes route (the per-node heat map); without it, it is not served. */
  nodes?: FleetNodeService;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  userInfo: UserInfoService;
  auditor?: AuditorService;
  logger: LoggerService;
  /** The registered workload rules (permissionsRegistry.getPermissionRuleset); default: this plugin's rules. */
  ruleset?: PermissionRuleset<WorkloadSummary>;
  access?: TeamAccessOptions;
}

/**
 * The ai-platform REST API, built from its OpenAPI spec
 * (src/schema/openapi.yaml) so every request is validated before a handler
 * translates it to a service call.
 */
export async function createRouter(options: RouterOptions): Promise<express.Router> {
  const access = new TeamAccess({
    permissions: options.permissions,
    userInfo: options.userInfo,
    ruleset: options.ruleset,
    ...options.access,
  });
  const credentialsOf = (req: Request): Promise<Credentials> =>
    options.httpAuth.credentials(req, { allow: ['user', 'service'] });
  const router = createOpenApiRouter();

  // Unauthenticated (see the plugin's auth policy): liveness only, no data.
  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  addWorkloadRoutes(router, { ...options, access, credentialsOf });
  if (options.costs) addCostRoutes(router, { costs: options.costs, access, credentialsOf });
  const nodes = options.nodes;
  if (nodes) {
    // Fleet-wide, like /clusters: nodes and GPU counts name no team's workloads.
    router.get('/fleet/nodes', async (req, res) => {
      await credentialsOf(req);
      res.json(await nodes.listNodes(queryOf<'/fleet/nodes'>(req)));
    });
  }
  return router;
}
