import { createRouteRef } from '@backstage/core-plugin-api';

/** Route of the AI Platform page. */
export const rootRouteRef = createRouteRef({ id: 'ai-platform' });
