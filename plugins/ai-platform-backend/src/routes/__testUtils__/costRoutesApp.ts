import express from 'express';
import { mockCredentials, mockErrorHandler, mockServices } from '@backstage/backend-test-utils';
import type { PermissionsService } from '@backstage/backend-plugin-api';
import type { CostService } from '../../services/CostService';
import type { WorkloadService } from '../../services/WorkloadService';
import type { DecisionStore } from '../../database/DecisionStore';
import type { TeamAccessOptions } from '../../permissions';
import { createRouter } from '../router';

/** The REST API serving only what the cost routes need, to a signed-in user with the given ownership. */
export async function costRoutesApp(options: {
  costs: CostService;
  permissions?: PermissionsService;
  /** The user's ownership entity refs; default: group:default/ml-research. */
  ownership?: string[];
  access?: TeamAccessOptions;
}) {
  const router = await createRouter({
    workloads: {} as WorkloadService,
    decisions: {} as DecisionStore,
    costs: options.costs,
    httpAuth: mockServices.httpAuth({ defaultCredentials: mockCredentials.user('user:default/alice') }),
    userInfo: mockServices.userInfo({
      ownershipEntityRefs: options.ownership ?? ['user:default/alice', 'group:default/ml-research'],
    }),
    permissions: options.permissions ?? mockServices.permissions(),
    logger: mockServices.logger.mock(),
    access: { adminGroups: ['group:default/platform-admins'], ...options.access },
  });
  return express().use(router).use(mockErrorHandler());
}
