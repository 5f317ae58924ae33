import { parseSelectors } from '../../store/selectors';
import { serveWatch } from '../watch';
import type { VerbHandler } from './context';
import { tableRequested } from './response';

/** GET with watch=true (or under /watch/): a stream of events until the client leaves or the timeout passes. */
export const watch: VerbHandler = (api, request) => {
  const { query, res } = request;
  const timeout = query.get('timeoutSeconds');
  const active = serveWatch(
    api.store,
    api.json,
    {
      type: request.type,
      namespace: request.namespace,
      name: request.name,
      matches: parseSelectors(query.get('labelSelector') ?? undefined, query.get('fieldSelector') ?? undefined),
      resourceVersion: query.get('resourceVersion') ?? undefined,
      bookmarks: query.get('allowWatchBookmarks') === 'true',
      bookmarkIntervalMs: api.bookmarkIntervalMs,
      timeoutSeconds: timeout ? Number(timeout) : undefined,
      table: tableRequested(request),
    },
    res,
    () => api.watches.delete(active),
  );
  if (!res.writableEnded) api.watches.add(active);
};
