import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { apiVersionOf, isCustomResource, notFoundMessage } from '../store/resourceTypes';
import { parseSelectors } from '../store/selectors';
import { StoreError, type KubeObject, type ObjectStore, type ResourceType } from '../store/types';
import { Discovery } from './discovery';
import { ListPager } from './pagination';
import { applyPatchBody, PATCH_CONTENT_TYPES } from './patch';
import { ApiError, badRequest, notFound, statusFor } from './status';
import { toTable, type IncludeObject } from './table';
import { JsonCache, serveWatch, type ActiveWatch } from './watch';

/** Options of {@link startApiServer}. */
export interface ApiServerOptions {
  store: ObjectStore;
  host?: string;
  port?: number;
  /** Sent as the X-Kube-Sim-Cluster response header, so a client can tell simulated clusters apart. */
  clusterName?: string;
  version?: { major: string; minor: string; gitVersion: string };
  /** How often watches with allowWatchBookmarks=true get a BOOKMARK (default 10 s). */
  bookmarkIntervalMs?: number;
}

/** A running API server. */
export interface ApiServer {
  url: string;
  close(): Promise<void>;
  /** Ends every open watch cleanly, as an apiserver restart or watch timeout would; clients resume. */
  dropWatches(): number;
  /** How many watch streams are open (tests wait on it). */
  openWatches(): number;
}

const MAX_BODY_BYTES = 10 * 1024 * 1024;
/** Objects per write when streaming a list. */
const LIST_SLICE = 1000;

interface ResourcePath {
  type: ResourceType;
  namespace?: string;
  name?: string;
  subresource?: string;
  legacyWatch: boolean;
}

function send(res: ServerResponse, code: number, body: string, contentType = 'application/json'): void {
  res.writeHead(code, {
    'Content-Type': contentType,
    'Content-Length': Buffer.byteLength(body),
  });
  res.end(body);
}

function sendJson(res: ServerResponse, code: number, body: unknown): void {
  send(res, code, JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const contentType = req.headers['content-type'] ?? '';
  if (/yaml|protobuf/.test(contentType)) {
    throw new ApiError(
      415,
      'UnsupportedMediaType',
      `kube-sim accepts JSON request bodies only, not ${contentType}: send the object as JSON with Content-Type: application/json`,
    );
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES)
      throw new ApiError(413, 'RequestEntityTooLarge', `the request body is larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text.trim()) return undefined;
  try {
    return JSON.parse(text);
  } catch (error) {
    throw badRequest(`the request body is not valid JSON (kube-sim accepts JSON only): ${(error as Error).message}`);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function wantsTable(req: IncomingMessage): boolean {
  return /as=Table/.test(req.headers.accept ?? '');
}

function includeObjectParam(query: URLSearchParams): IncludeObject {
  const value = query.get('includeObject');
  return value === 'None' || value === 'Object' ? value : 'Metadata';
}

/** Starts a Kubernetes-API-compatible HTTP server over an ObjectStore. */
export async function startApiServer(options: ApiServerOptions): Promise<ApiServer> {
  const { store } = options;
  const discovery = new Discovery(store.resourceTypes);
  const json = new JsonCache();
  const pager = new ListPager();
  const watches = new Set<ActiveWatch>();
  const bookmarkIntervalMs = options.bookmarkIntervalMs ?? 10_000;
  const version = options.version ?? {
    major: '1',
    minor: '31',
    gitVersion: 'v1.31.0-kube-sim',
  };
  let address = '';

  function resolveResourcePath(group: string, version_: string, segments: string[]): ResourcePath {
    let rest = segments;
    const types = discovery.typesIn(group, version_);
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

  function listResponse(req: IncomingMessage, res: ServerResponse, path: ResourcePath, query: URLSearchParams): void {
    const { type, namespace } = path;
    const labelSelector = query.get('labelSelector') ?? undefined;
    const fieldSelector = query.get('fieldSelector') ?? undefined;
    const limit = Number(query.get('limit') ?? 0);
    const page = pager.page(
      [apiVersionOf(type), type.plural, namespace, labelSelector, fieldSelector].join('|'),
      Number.isInteger(limit) ? limit : 0,
      query.get('continue'),
      () => ({
        items: store.list(type, { namespace, labelSelector, fieldSelector }),
        resourceVersion: String(store.currentResourceVersion()),
      }),
    );
    const { items, ...listMeta } = page;
    if (wantsTable(req)) {
      send(
        res,
        200,
        JSON.stringify(toTable(type, items, includeObjectParam(query), listMeta)),
        'application/json;as=Table;v=v1;g=meta.k8s.io',
      );
      return;
    }
    const head = JSON.stringify({
      kind: `${type.kind}List`,
      apiVersion: apiVersionOf(type),
      metadata: listMeta,
    });
    // One JSON.stringify per object at most (cached across requests), written in slices so a
    // list of 100,000 pods never becomes one giant string.
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.write(`${head.slice(0, -1)},"items":[`);
    for (let i = 0; i < items.length; i += LIST_SLICE) {
      const slice = items.slice(i, i + LIST_SLICE).map(o => json.stringify(o));
      res.write(i === 0 ? slice.join(',') : `,${slice.join(',')}`);
    }
    res.end(']}');
  }

  function objectResponse(
    req: IncomingMessage,
    res: ServerResponse,
    code: number,
    type: ResourceType,
    object: KubeObject,
    query: URLSearchParams,
  ): void {
    if (wantsTable(req)) {
      const table = toTable(type, [object], includeObjectParam(query), {
        resourceVersion: object.metadata.resourceVersion,
      });
      send(res, code, JSON.stringify(table), 'application/json;as=Table;v=v1;g=meta.k8s.io');
    } else {
      send(res, code, json.stringify(object));
    }
  }

  function checkIdentity(path: ResourcePath, body: unknown): KubeObject {
    const { type } = path;
    if (!isObject(body)) throw badRequest(`the request body must be a JSON ${type.kind} object`);
    if (body.metadata !== undefined && !isObject(body.metadata)) throw badRequest('metadata must be a JSON object');
    if (body.kind !== undefined && body.kind !== type.kind) {
      throw badRequest(
        `the kind of the object in the body ("${String(body.kind)}") does not match the resource of the URL (${
          type.kind
        })`,
      );
    }
    if (body.apiVersion !== undefined && body.apiVersion !== apiVersionOf(type)) {
      throw badRequest(
        `the apiVersion of the object in the body ("${String(body.apiVersion)}") does not match the URL (${apiVersionOf(
          type,
        )})`,
      );
    }
    const object = {
      ...body,
      apiVersion: apiVersionOf(type),
      kind: type.kind,
      metadata: { ...(body.metadata as object) },
    } as KubeObject;
    if (type.namespaced) {
      if (!path.namespace) throw notFound(`${type.plural} are namespaced: use /namespaces/<namespace>/${type.plural}`);
      if (object.metadata.namespace && object.metadata.namespace !== path.namespace) {
        throw badRequest(
          `the namespace of the provided object (${object.metadata.namespace}) does not match the namespace sent on the request (${path.namespace})`,
        );
      }
      object.metadata.namespace = path.namespace;
    }
    if (path.name !== undefined) {
      if (object.metadata.name && object.metadata.name !== path.name) {
        throw badRequest(
          `the name of the object (${object.metadata.name}) does not match the name on the URL (${path.name})`,
        );
      }
      object.metadata.name = path.name;
    }
    return object;
  }

  function existing(path: ResourcePath): KubeObject {
    const found = store.get(path.type, path.namespace, path.name!);
    if (!found) throw notFound(notFoundMessage(path.type, path.name!));
    return found;
  }

  /** Serves one resource request; its failures name the resource in Status.details, as Kubernetes does. */
  async function handleResource(
    req: IncomingMessage,
    res: ServerResponse,
    path: ResourcePath,
    query: URLSearchParams,
  ): Promise<void> {
    try {
      await serveResource(req, res, path, query);
    } catch (error) {
      if (res.headersSent) throw error;
      const details = {
        ...(path.name ? { name: path.name } : {}),
        group: path.type.group,
        // Kubernetes names the resource in most failures but the kind in Invalid ones.
        kind: error instanceof StoreError && error.code === 422 ? path.type.kind : path.type.plural,
      };
      const status = statusFor(error, details);
      sendJson(res, status.code, status);
    }
  }

  /** PUT and PATCH both end here: the status subresource writes only .status. */
  function write(path: ResourcePath, object: KubeObject): KubeObject {
    return path.subresource === 'status' ? store.updateStatus(path.type, object) : store.update(path.type, object);
  }

  async function serveResource(
    req: IncomingMessage,
    res: ServerResponse,
    path: ResourcePath,
    query: URLSearchParams,
  ): Promise<void> {
    const { type, name } = path;
    const method = req.method ?? 'GET';
    const dryRun = query.has('dryRun');
    const watchParam = query.get('watch');
    if (method === 'GET' && (path.legacyWatch || watchParam === 'true' || watchParam === '1')) {
      if (type.namespaced === false && path.namespace) throw notFound();
      const timeout = query.get('timeoutSeconds');
      let table: IncludeObject | undefined;
      if (wantsTable(req)) table = includeObjectParam(query);
      const active = serveWatch(
        store,
        json,
        {
          type,
          namespace: path.namespace,
          name,
          matches: parseSelectors(query.get('labelSelector') ?? undefined, query.get('fieldSelector') ?? undefined),
          resourceVersion: query.get('resourceVersion') ?? undefined,
          bookmarks: query.get('allowWatchBookmarks') === 'true',
          bookmarkIntervalMs,
          timeoutSeconds: timeout ? Number(timeout) : undefined,
          table,
        },
        res,
        () => watches.delete(active),
      );
      if (!res.writableEnded) watches.add(active);
      return;
    }
    if (name === undefined) {
      if (method === 'GET') {
        listResponse(req, res, path, query);
        return;
      }
      if (method === 'POST') {
        const object = checkIdentity(path, await readBody(req));
        if (dryRun) {
          objectResponse(req, res, 201, type, object, query);
          return;
        }
        objectResponse(req, res, 201, type, store.create(type, object), query);
        return;
      }
      if (method === 'DELETE') {
        const doomed = store.list(type, {
          namespace: path.namespace,
          labelSelector: query.get('labelSelector') ?? undefined,
          fieldSelector: query.get('fieldSelector') ?? undefined,
        });
        const deleted: KubeObject[] = [];
        for (const o of doomed) {
          // An earlier delete may have cascaded to this one already.
          if (dryRun) deleted.push(o);
          else if (store.get(type, o.metadata.namespace, o.metadata.name!)) {
            deleted.push(store.delete(type, o.metadata.namespace, o.metadata.name!));
          }
        }
        sendJson(res, 200, {
          kind: `${type.kind}List`,
          apiVersion: apiVersionOf(type),
          metadata: { resourceVersion: String(store.currentResourceVersion()) },
          items: deleted,
        });
        return;
      }
      throw new ApiError(405, 'MethodNotAllowed', `${method} is not supported on a collection of ${type.plural}`);
    }
    if (type.namespaced && !path.namespace) throw notFound();
    switch (method) {
      case 'GET':
        objectResponse(req, res, 200, type, existing(path), query);
        return;
      case 'PUT': {
        const object = checkIdentity(path, await readBody(req));
        if (dryRun) {
          objectResponse(req, res, 200, type, { ...existing(path), ...object }, query);
          return;
        }
        objectResponse(req, res, 200, type, write(path, object), query);
        return;
      }
      case 'PATCH': {
        const contentType = (req.headers['content-type'] ?? '')
          .split(';')[0]
          .trim() as keyof typeof PATCH_CONTENT_TYPES;
        const kind = PATCH_CONTENT_TYPES[contentType];
        if (!kind) {
          throw new ApiError(
            415,
            'UnsupportedMediaType',
            `the patch content type "${contentType}" is not supported; use one of ${Object.keys(
              PATCH_CONTENT_TYPES,
            ).join(', ')} (server-side apply is not supported)`,
          );
        }
        if (kind === 'strategic' && isCustomResource(type)) {
          throw new ApiError(
            415,
            'UnsupportedMediaType',
            `strategic merge patch is not supported for custom resources such as ${type.kind}: use a JSON merge patch (kubectl patch --type=merge) or a JSON patch (--type=json)`,
          );
        }
        const current = existing(path);
        const body = await readBody(req);
        const patched = checkIdentity(path, applyPatchBody(kind, current, body));
        patched.metadata.resourceVersion ??= current.metadata.resourceVersion;
        if (dryRun) {
          objectResponse(req, res, 200, type, patched, query);
          return;
        }
        objectResponse(req, res, 200, type, write(path, patched), query);
        return;
      }
      case 'DELETE': {
        const body = await readBody(req);
        if (body !== undefined && !isObject(body))
          throw badRequest('the DELETE body must be a JSON DeleteOptions object');
        if (dryRun) {
          objectResponse(req, res, 200, type, existing(path), query);
          return;
        }
        // Every propagationPolicy cascades in the background: dependents go right after their owner.
        const deleted = store.delete(type, path.namespace, name);
        objectResponse(req, res, deleted.metadata.deletionTimestamp ? 202 : 200, type, deleted, query);
        return;
      }
      default:
        throw new ApiError(405, 'MethodNotAllowed', `${method} is not supported on ${type.plural}/${name}`);
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://kube-sim');
    let segments: string[];
    try {
      segments = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    } catch {
      throw badRequest(`the path ${url.pathname} is not valid URL encoding`);
    }
    const [root, second, third] = segments;
    if (segments.length === 1 && ['healthz', 'readyz', 'livez'].includes(root)) {
      send(res, 200, 'ok', 'text/plain');
      return;
    }
    if (segments.length === 0) {
      sendJson(res, 200, {
        paths: [
          '/api',
          '/api/v1',
          '/apis',
          ...discovery.groupVersionPaths(),
          '/healthz',
          '/livez',
          '/openapi/v2',
          '/openapi/v3',
          '/readyz',
          '/version',
        ],
      });
      return;
    }
    if (segments.length === 1 && root === 'version') {
      sendJson(res, 200, {
        ...version,
        gitCommit: 'kube-sim',
        gitTreeState: 'clean',
        buildDate: '2026-01-01T00:00:00Z',
        goVersion: 'go1.22',
        compiler: 'gc',
        platform: 'linux/amd64',
      });
      return;
    }
    if (root === 'api' && segments.length === 1) {
      sendJson(res, 200, discovery.apiVersions(address));
      return;
    }
    if (root === 'apis' && segments.length === 1) {
      sendJson(res, 200, discovery.groupList());
      return;
    }
    if (root === 'apis' && segments.length === 2) {
      const group = discovery.group(second);
      if (!group) throw notFound();
      sendJson(res, 200, group);
      return;
    }
    if (root === 'api' || root === 'apis') {
      // /api/<version>/... is the core group; /apis/<group>/<version>/... every other group.
      const [group, groupVersion, depth] = root === 'api' ? ['', second, 2] : [second, third, 3];
      if (segments.length === depth) {
        const list = discovery.resourceList(group, groupVersion);
        if (!list) throw notFound();
        sendJson(res, 200, list);
        return;
      }
      await handleResource(req, res, resolveResourcePath(group, groupVersion, segments.slice(depth)), url.searchParams);
      return;
    }
    if (root === 'openapi' && second === 'v3') {
      if (segments.length === 2) {
        sendJson(res, 200, discovery.openApiV3Root());
        return;
      }
      const doc =
        segments[2] === 'api'
          ? discovery.openApiV3GroupVersion('', segments[3])
          : discovery.openApiV3GroupVersion(segments[3], segments[4]);
      if (doc) {
        sendJson(res, 200, doc);
        return;
      }
    }
    if (root === 'openapi' && second === 'v2' && segments.length === 2) {
      // An empty document: kubectl (which asks for protobuf, where zero bytes are a valid empty
      // message) then skips client-side validation and computes patches from its built-in types.
      if (/protobuf/.test(req.headers.accept ?? '')) {
        send(res, 200, '', 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf');
      } else {
        sendJson(res, 200, {
          swagger: '2.0',
          info: { title: 'Kubernetes (kube-sim)', version: 'unversioned' },
          paths: {},
          definitions: {},
        });
      }
      return;
    }
    throw notFound();
  }

  const server = createServer((req, res) => {
    if (options.clusterName) res.setHeader('X-Kube-Sim-Cluster', options.clusterName);
    handle(req, res).catch(error => {
      const status = statusFor(error);
      if (res.headersSent) res.end();
      else sendJson(res, status.code, status);
    });
  });
  server.keepAliveTimeout = 30_000;
  // Watches are long-lived requests; never cut them for taking long.
  server.requestTimeout = 0;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { address: host, port } = server.address() as AddressInfo;
  address = `${host}:${port}`;

  const dropWatches = () => {
    const open = [...watches];
    open.forEach(w => w.end());
    return open.length;
  };

  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    dropWatches,
    openWatches: () => watches.size,
    close: async () => {
      dropWatches();
      await new Promise<void>(resolve => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
