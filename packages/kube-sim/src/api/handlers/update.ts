import type { KubeObject } from '../../store/types';
import type { ApiContext, ResourceRequest, VerbHandler } from './context';
import { existing, objectOfUrl, objectResponse, readBody } from './response';

/** Stores a replaced or patched object: through the status subresource only .status changes. */
export function write(api: ApiContext, request: ResourceRequest, object: KubeObject): KubeObject {
  return request.subresource === 'status'
    ? api.store.updateStatus(request.type, object)
    : api.store.update(request.type, object);
}

/** PUT of one object or its status. */
export const update: VerbHandler = async (api, request) => {
  const object = objectOfUrl(request, await readBody(request.req));
  if (request.query.has('dryRun')) {
    objectResponse(api, request, 200, { ...existing(api, request), ...object });
    return;
  }
  objectResponse(api, request, 200, write(api, request, object));
};
