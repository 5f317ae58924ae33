import {
  createFrontendPlugin,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import { convertLegacyRouteRef } from '@backstage/core-compat-api';
import { rootRouteRef } from './routes';

const aiPlatformPage = PageBlueprint.make({
  params: {
    path: '/ai-platform',
    title: 'AI Platform',
    routeRef: convertLegacyRouteRef(rootRouteRef),
    loader: () =>
      import('./components/AiPlatformPage').then(m => <m.AiPlatformPage />),
  },
});

/** The AI platform plugin for Backstage's new frontend system. */
export default createFrontendPlugin({
  pluginId: 'ai-platform',
  routes: { root: convertLegacyRouteRef(rootRouteRef) },
  extensions: [aiPlatformPage],
});
