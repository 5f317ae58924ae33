import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { createScaffolderFieldExtension } from '@backstage/plugin-scaffolder-react';
import { createCardExtension } from '@backstage/plugin-home-react';
import { aiPlatformApiRef, AiPlatformClient } from './api/AiPlatformApi';
import { rootRouteRef } from './routes';
import { costEstimateField, flavorPickerField, queuePickerField } from './scaffolder';

/** The AI platform plugin for Backstage's legacy frontend system. */
export const aiPlatformPlugin = createPlugin({
  id: 'ai-platform',
  apis: [
    createApiFactory({
      api: aiPlatformApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: deps => new AiPlatformClient(deps),
    }),
  ],
  routes: { root: rootRouteRef },
});

/** The AI Platform page, for apps on the legacy frontend system. */
export const AiPlatformPage = aiPlatformPlugin.provide(
  createRoutableExtension({
    name: 'AiPlatformPage',
    component: () => import('./components/AiPlatformPage').then(m => m.AiPlatformPage),
    mountPoint: rootRouteRef,
  }),
);

/** The AI workload card for entity pages (legacy frontend system). */
export const EntityAiWorkloadCard = aiPlatformPlugin.provide(
  createComponentExtension({
    name: 'EntityAiWorkloadCard',
    component: { lazy: () => import('./components/WorkloadCard').then(m => m.WorkloadCard) },
  }),
);

/** The AI workload tab for entity pages: details, condition timeline, cost and GPU utilization, events (legacy frontend system). */
export const EntityAiWorkloadContent = aiPlatformPlugin.provide(
  createComponentExtension({
    name: 'EntityAiWorkloadContent',
    component: { lazy: () => import('./components/WorkloadCard').then(m => m.WorkloadContent) },
  }),
);

/** The GPU queue tab for gpu-queue Resource entities: cohort tree, usage and ordered pending list (legacy frontend system). */
export const EntityAiQueueContent = aiPlatformPlugin.provide(
  createComponentExtension({
    name: 'EntityAiQueueContent',
    component: { lazy: () => import('./components/QueuePage').then(m => m.QueuePage) },
  }),
);

/** Scaffolder field `AiPlatformQueuePicker` (legacy frontend system; put it inside `<ScaffolderFieldExtensions>`). */
export const AiPlatformQueuePickerFieldExtension = aiPlatformPlugin.provide(
  createScaffolderFieldExtension({ ...queuePickerField, schema: queuePickerField.schema.schema }),
);

/** Scaffolder field `AiPlatformFlavorPicker` (legacy frontend system). */
export const AiPlatformFlavorPickerFieldExtension = aiPlatformPlugin.provide(
  createScaffolderFieldExtension({ ...flavorPickerField, schema: flavorPickerField.schema.schema }),
);

/** Scaffolder field `AiPlatformCostEstimate` (legacy frontend system). */
export const AiPlatformCostEstimateFieldExtension = aiPlatformPlugin.provide(
  createScaffolderFieldExtension({ ...costEstimateField, schema: costEstimateField.schema.schema }),
);

/** The team card for Group entity pages: GPU quota, spend against budget with forecast, costliest and most idle workloads (legacy frontend system). */
export const EntityAiTeamCard = aiPlatformPlugin.provide(
  createComponentExtension({
    name: 'EntityAiTeamCard',
    component: { lazy: () => import('./components/TeamCard').then(m => m.TeamCard) },
  }),
);

/** The GPU cost explorer (window, grouping, daily and per-flavor charts, CSV export) for apps on the legacy frontend system. */
export const AiCostExplorer = aiPlatformPlugin.provide(
  createComponentExtension({
    name: 'AiCostExplorer',
    component: { lazy: () => import('./components/CostExplorer').then(m => m.CostExplorer) },
  }),
);

/** Home page card "My teams' GPU work" for the legacy home page (put it in your HomePage's grid). */
export const HomePageMyTeamsGpuWorkCard = aiPlatformPlugin.provide(
  createCardExtension({
    name: 'HomePageMyTeamsGpuWorkCard',
    title: "My teams' GPU work",
    components: () => import('./components/MyTeamsCard').then(m => ({ Content: m.MyTeamsCard })),
  }),
);
