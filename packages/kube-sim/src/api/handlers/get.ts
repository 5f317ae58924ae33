import { apiVersionOf } from '../../store/resourceTypes';
import type { VerbHandler } from './context';
import { existing, listResponse, objectResponse } from './response';

/** GET of one object (its status subresource reads the same object). */
export const get: VerbHandler = (api, request) => {
  objectResponse(api, request, 200, existing(api, request));
};

/** GET of a collection: label and field selectors, limit/continue pages from one snapshot. */
export const list: VerbHandler = (api, request) => {
  const { type, namespace, query } = request;
  const labelSelector = query.get('labelSelector') ?? undefined;
  const fieldSelector = query.get('fieldSelector') ?? undefined;
  const limit = Number(query.get('limit') ?? 0);
  const { items, ...listMeta } = api.pager.page(
    [apiVersionOf(type), type.plural, namespace, labelSelector, fieldSelector].join('|'),
    Number.isInteger(limit) ? limit : 0,
    query.get('continue'),
    () => ({
      items: api.store.list(type, { namespace, labelSelector, fieldSelector }),
      resourceVersion: String(api.store.currentResourceVersion()),
    }),
  );
  listResponse(api, request, items, listMeta);
};
