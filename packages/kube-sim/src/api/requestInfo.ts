import type { IncomingMessage } from 'node:http';
import type { ResourceType } from '../store/types';
import type { Discovery } from './discovery';
import type { Verb } from './handlers/context';
import { ApiError, notFound } from './status';

/** Where a resource path points, before the method decides the verb. */
export interface ResourcePath {
  type: ResourceType;
  namespace?: string;
  name?: string;
  subresource?: string;
  /** The path began with /watch/, the pre-1.11 way of asking for a watch. */
  legacyWatch: boolean;
}

/** Resolves `[watch/][namespaces/<ns>/]<plural>[/<name>[/status]]` under one group version. */
export function resolveResourcePath(
  discovery: Discovery,
  group: string,
  version: string,
  segments: string[],
): ResourcePath {
  let rest = segments;
  const types = discovery.typesIn(group, version);
  if (types.length === 0) throw notFound();
  let legacyWatch = false;
  if (rest[0] === 'watch') {
    legacyWatch = true;
    rest = rest.slice(1);
  }
  const byPlural = (plural: string | undefined) => types.find(t => t.plural === plural);
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3 && byPlural(rest[2])?.namespaced) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  const [plural, name, subresource, ...extra] = rest;
  const type = byPlural(plural);
  if (!type || extra.length > 0) throw notFound();
  if (subresource !== undefined && !(subresource === 'status' && type.hasStatus)) {
    throw notFound(`the server could not find the requested resource: ${plural} has no subresource "${subresource}"`);
  }
  return { type, namespace, name, subresource, legacyWatch };
}

/** The verb of a request, as kube-apiserver's RequestInfoFactory derives it from method and path. */
export function verbOf(req: IncomingMessage, path: ResourcePath, query: URLSearchParams): Verb {
  const method = req.method ?? 'GET';
  const watchParam = query.get('watch');
  if (method === 'GET' && (path.legacyWatch || watchParam === 'true' || watchParam === '1')) return 'watch';
  const { type, name } = path;
  if (name === undefined) {
    if (method === 'GET') return 'list';
    if (method === 'POST') return 'create';
    if (method === 'DELETE') return 'deletecollection';
    throw new ApiError(405, 'MethodNotAllowed', `${method} is not supported on a collection of ${type.plural}`);
  }
  if (type.namespaced && !path.namespace) throw notFound();
  const verb = ({ GET: 'get', PUT: 'update', PATCH: 'patch', DELETE: 'delete' } as const)[method as string];
  if (!verb) throw new ApiError(405, 'MethodNotAllowed', `${method} is not supported on ${type.plural}/${name}`);
  return verb;
}
