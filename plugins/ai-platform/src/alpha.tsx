import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import { EntityCardBlueprint, EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { HomePageWidgetBlueprint } from '@backstage/plugin-home-react/alpha';
import { convertLegacyRouteRef } from '@backstage/core-compat-api';
import type { Entity } from '@backstage/catalog-model';
import { resourceEntityTypes, workloadEntityTypes } from '@ai-platform/backstage-plugin-ai-platform-common';
import MemoryIcon from '@material-ui/icons/Memory';
import { aiPlatformApiRef, AiPlatformClient } from './api/AiPlatformApi';
import { rootRouteRef } from './routes';
import { scaffolderFormFields } from './scaffolder/formFields';

const isAiWorkload = (entity: Entity) =>
  entity.kind === 'Component' && (workloadEntityTypes as readonly string[]).includes(String(entity.spec?.type));

const isGpuQueue = (entity: Entity) => entity.kind === 'Resource' && entity.spec?.type === resourceEntityTypes.queue;

const aiPlatformApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: aiPlatformApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: deps => new AiPlatformClient(deps),
    }),
});

const aiPlatformPage = PageBlueprint.make({
  params: {
    path: '/ai-platform',
    title: 'AI Platform',
    icon: <MemoryIcon />,
    routeRef: convertLegacyRouteRef(rootRouteRef),
    loader: () => import('./components/AiPlatformPage').then(m => <m.AiPlatformPage />),
  },
});

const workloadCard = EntityCardBlueprint.make({
  name: 'workload',
  params: {
    filter: isAiWorkload,
    loader: () => import('./components/WorkloadCard').then(m => <m.WorkloadCard />),
  },
});

const workloadContent = EntityContentBlueprint.make({
  name: 'workload',
  params: {
    path: '/ai-workload',
    title: 'AI workload',
    filter: isAiWorkload,
    loader: () => import('./components/WorkloadCard').then(m => <m.WorkloadContent />),
  },
});

const queueContent = EntityContentBlueprint.make({
  name: 'queue',
  params: {
    path: '/gpu-queue',
    title: 'GPU queue',
    filter: isGpuQueue,
    loader: () => import('./components/QueuePage').then(m => <m.QueuePage />),
  },
});

/** Team card on Group entity pages: GPU quota, spend against budget, costliest and most idle workloads. */
const teamCard = EntityCardBlueprint.make({
  name: 'team',
  params: {
    filter: (entity: Entity) => entity.kind === 'Group',
    // Prefetched while the browser is idle, so that on a Group page the card's code is there when the
    // entity is and its budget request starts at once (the budget is the figure the page waits for).
    loader: () => import(/* webpackPrefetch: true */ './components/TeamCard').then(m => <m.TeamCard />),
  },
});

/** Home page card "My teams' GPU work": what runs, what waits and when it starts, spend against budget. */
const myTeamsWidget = HomePageWidgetBlueprint.make({
  name: 'my-teams-gpu-work',
  params: {
    name: 'MyTeamsGpuWork',
    title: "My teams' GPU work",
    description: 'What your teams run and wait for on the GPU platform, and their spend this month against budget',
    components: () => import('./components/MyTeamsCard').then(m => ({ Content: m.MyTeamsCard })),
  },
});

/** The AI platform plugin for Backstage's new frontend system. */
export default createFrontendPlugin({
  pluginId: 'ai-platform',
  routes: { root: convertLegacyRouteRef(rootRouteRef) },
  extensions: [
    aiPlatformApi,
    aiPlatformPage,
    workloadCard,
    workloadContent,
    queueContent,
    teamCard,
    myTeamsWidget,
    ...scaffolderFormFields,
  ],
});
