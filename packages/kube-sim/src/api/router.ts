import type { IncomingMessage, ServerResponse } from 'node:http';
import { StoreError } from '../store/types';
import type { Discovery } from './discovery';
import type { ApiContext, Verb, VerbHandler } from './handlers/context';
import { create } from './handlers/create';
import { deleteCollection, deleteObject } from './handlers/delete';
import { get, list } from './handlers/get';
import { patch } from './handlers/patch';
import { sendJson } from './handlers/response';
import { update } from './handlers/update';
import { watch } from './handlers/watch';
import { serveNonResource, type ServerVersion } from './nonResource';
import { resolveResourcePath, verbOf, type ResourcePath } from './requestInfo';
import { badRequest, statusFor } from './status';

const handlers: Record<Verb, VerbHandler> = {
  get,
  list,
  watch,
  create,
  update,
  patch,
  delete: deleteObject,
  deletecollection: deleteCollection,
};

/** Serves one resource request; its failures name the resource in Status.details, as Kubernetes does. */
async function serveResource(
  api: ApiContext,
  path: ResourcePath,
  query: URLSearchParams,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const { type, namespace, name, subresource } = path;
  try {
    const verb = verbOf(req, path, query);
    await handlers[verb](api, { verb, type, namespace, name, subresource, query, req, res });
  } catch (error) {
    if (res.headersSent) throw error;
    const details = {
      ...(name ? { name } : {}),
      group: type.group,
      // Kubernetes names the resource in most failures but the kind in Invalid ones.
      kind: error instanceof StoreError && error.code === 422 ? type.kind : type.plural,
    };
    const status = statusFor(error, details);
    sendJson(res, status.code, status);
  }
}

/**
 * Routes a request to the non-resource endpoints or to the handler of its verb.
 * `address` is read per request: the port is known only once the server listens.
 */
export function createRouter(
  api: ApiContext,
  discovery: Discovery,
  version: ServerVersion,
  address: () => string,
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  return async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://kube-sim');
    let segments: string[];
    try {
      segments = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    } catch {
      throw badRequest(`the path ${url.pathname} is not valid URL encoding`);
    }
    if (serveNonResource(req, res, segments, discovery, version, address())) return;
    // /api/<version>/... is the core group; /apis/<group>/<version>/... every other group.
    const [root, second, third] = segments;
    const [group, groupVersion, depth] = root === 'api' ? ['', second, 2] : [second, third, 3];
    const path = resolveResourcePath(discovery, group, groupVersion, segments.slice(depth));
    await serveResource(api, path, url.searchParams, req, res);
  };
}
