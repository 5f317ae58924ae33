import { apiVersionOf } from '../../store/resourceTypes';
import type { KubeObject } from '../../store/types';
import { badRequest } from '../status';
import type { VerbHandler } from './context';
import { existing, isObject, objectResponse, readBody, sendJson } from './response';

/**
 * DELETE of one object. Every propagationPolicy cascades in the background: the garbage
 * collector removes dependents right after their owner. 202 while finalizers hold the object.
 */
export const deleteObject: VerbHandler = async (api, request) => {
  const body = await readBody(request.req);
  if (body !== undefined && !isObject(body)) throw badRequest('the DELETE body must be a JSON DeleteOptions object');
  if (request.query.has('dryRun')) {
    objectResponse(api, request, 200, existing(api, request));
    return;
  }
  const deleted = api.store.delete(request.type, request.namespace, request.name!);
  objectResponse(api, request, deleted.metadata.deletionTimestamp ? 202 : 200, deleted);
};

/** DELETE of a collection, by label and field selector; answers with the deleted objects. */
export const deleteCollection: VerbHandler = (api, request) => {
  const { store } = api;
  const { type, query } = request;
  const doomed = store.list(type, {
    namespace: request.namespace,
    labelSelector: query.get('labelSelector') ?? undefined,
    fieldSelector: query.get('fieldSelector') ?? undefined,
  });
  const dryRun = query.has('dryRun');
  const deleted: KubeObject[] = [];
  for (const o of doomed) {
    // An earlier delete may have cascaded to this one already.
    if (dryRun) deleted.push(o);
    else if (store.get(type, o.metadata.namespace, o.metadata.name!)) {
      deleted.push(store.delete(type, o.metadata.namespace, o.metadata.name!));
    }
  }
  sendJson(request.res, 200, {
    kind: `${type.kind}List`,
    apiVersion: apiVersionOf(type),
    metadata: { resourceVersion: String(store.currentResourceVersion()) },
    items: deleted,
  });
};
