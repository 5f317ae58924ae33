import { isCustomResource } from '../../store/resourceTypes';
import { applyPatchBody, PATCH_CONTENT_TYPES } from '../patch';
import { ApiError } from '../status';
import type { VerbHandler } from './context';
import { existing, objectOfUrl, objectResponse, readBody } from './response';
import { write } from './update';

/** PATCH of one object or its status: JSON patch, JSON merge patch or (built-in kinds) strategic merge patch. */
export const patch: VerbHandler = async (api, request) => {
  const { type } = request;
  const contentType = (request.req.headers['content-type'] ?? '')
    .split(';')[0]
    .trim() as keyof typeof PATCH_CONTENT_TYPES;
  const kind = PATCH_CONTENT_TYPES[contentType];
  if (!kind) {
    throw new ApiError(
      415,
      'UnsupportedMediaType',
      `the patch content type "${contentType}" is not supported; use one of ${Object.keys(PATCH_CONTENT_TYPES).join(
        ', ',
      )} (server-side apply is not supported)`,
    );
  }
  if (kind === 'strategic' && isCustomResource(type)) {
    throw new ApiError(
      415,
      'UnsupportedMediaType',
      `strategic merge patch is not supported for custom resources such as ${type.kind}: use a JSON merge patch (kubectl patch --type=merge) or a JSON patch (--type=json)`,
    );
  }
  const current = existing(api, request);
  const patched = objectOfUrl(request, applyPatchBody(kind, current, await readBody(request.req)));
  patched.metadata.resourceVersion ??= current.metadata.resourceVersion;
  objectResponse(api, request, 200, request.query.has('dryRun') ? patched : write(api, request, patched));
};
