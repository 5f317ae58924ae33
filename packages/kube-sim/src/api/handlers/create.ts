import type { VerbHandler } from './context';
import { objectOfUrl, objectResponse, readBody } from './response';

/** POST to a collection; with dryRun the object is checked and answered but not stored. */
export const create: VerbHandler = async (api, request) => {
  const object = objectOfUrl(request, await readBody(request.req));
  objectResponse(api, request, 201, request.query.has('dryRun') ? object : api.store.create(request.type, object));
};
