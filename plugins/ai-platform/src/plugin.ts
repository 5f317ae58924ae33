import {
  createPlugin,
  createRoutableExtension,
} from '@backstage/core-plugin-api';
import { rootRouteRef } from './routes';

/** The AI platform plugin for Backstage's legacy frontend system. */
export const aiPlatformPlugin = createPlugin({
  id: 'ai-platform',
  routes: { root: rootRouteRef },
});

/** The AI Platform page, for apps on the legacy frontend system. */
export const AiPlatformPage = aiPlatformPlugin.provide(
  createRoutableExtension({
    name: 'AiPlatformPage',
    component: () =>
      import('./components/AiPlatformPage').then(m => m.AiPlatformPage),
    mountPoint: rootRouteRef,
  }),
);
