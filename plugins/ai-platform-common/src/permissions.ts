import { createPermission } from '@backstage/plugin-permission-common';

/** Resource type of permissions scoped to a workload (rules: owned by the user's groups). */
export const AI_WORKLOAD_RESOURCE_TYPE = 'ai-platform-workload';

/** Read workloads, their reasons, ETAs and events. */
export const aiWorkloadReadPermission = createPermission({
  name: 'ai-platform.workload.read',
  attributes: { action: 'read' },
  resourceType: AI_WORKLOAD_RESOURCE_TYPE,
});

/** Submit a workload to a queue. */
export const aiWorkloadCreatePermission = createPermission({
  name: 'ai-platform.workload.create',
  attributes: { action: 'create' },
});

/** Cancel or suspend a workload. */
export const aiWorkloadUpdatePermission = createPermission({
  name: 'ai-platform.workload.update',
  attributes: { action: 'update' },
  resourceType: AI_WORKLOAD_RESOURCE_TYPE,
});

/** Read costs and showback. */
export const aiCostReadPermission = createPermission({
  name: 'ai-platform.cost.read',
  attributes: { action: 'read' },
});

/** Change queue configuration, prices and budgets. */
export const aiPlatformAdminPermission = createPermission({
  name: 'ai-platform.admin',
  attributes: { action: 'update' },
});

export const aiPlatformPermissions = [
  aiWorkloadReadPermission,
  aiWorkloadCreatePermission,
  aiWorkloadUpdatePermission,
  aiCostReadPermission,
  aiPlatformAdminPermission,
];
