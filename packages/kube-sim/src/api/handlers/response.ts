import type { IncomingMessage, ServerResponse } from 'node:http';
import { apiVersionOf, notFoundMessage } from '../../store/resourceTypes';
import type { KubeObject } from '../../store/types';
import type { Page } from '../pagination';
import { ApiError, badRequest, notFound } from '../status';
import { toTable, type IncludeObject } from '../table';
import type { ApiContext, ResourceRequest } from './context';

const MAX_BODY_BYTES = 10 * 1024 * 1024;
const TABLE_CONTENT_TYPE = 'application/json;as=Table;v=v1;g=meta.k8s.io';

export function send(res: ServerResponse, code: number, body: string, contentType = 'application/json'): void {
  res.writeHead(code, {
    'Content-Type': contentType,
    'Content-Length': Buffer.byteLength(body),
  });
  res.end(body);
}

export function sendJson(res: ServerResponse, code: number, body: unknown): void {
  send(res, code, JSON.stringify(body));
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The JSON request body, or undefined when there is none. */
export async function readBody(req: IncomingMessage): Promise<unknown> {
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

/** The Table rows kubectl asked for (`Accept: ...;as=Table`), with how much of each object to include. */
export function tableRequested(request: ResourceRequest): IncludeObject | undefined {
  if (!/as=Table/.test(request.req.headers.accept ?? '')) return undefined;
  const value = request.query.get('includeObject');
  return value === 'None' || value === 'Object' ? value : 'Metadata';
}

/** Answers with one object, or with it as a Table row. */
export function objectResponse(api: ApiContext, request: ResourceRequest, code: number, object: KubeObject): void {
  const table = tableRequested(request);
  if (table) {
    const rows = toTable(request.type, [object], table, { resourceVersion: object.metadata.resourceVersion });
    send(request.res, code, JSON.stringify(rows), TABLE_CONTENT_TYPE);
  } else {
    send(request.res, code, api.json.stringify(object));
  }
}

/** Objects per write when streaming a list. */
const LIST_SLICE = 1000;

/** Answers with a list, or with it as a Table. */
export function listResponse(
  api: ApiContext,
  request: ResourceRequest,
  items: KubeObject[],
  listMeta: Omit<Page, 'items'>,
): void {
  const { type, res } = request;
  const table = tableRequested(request);
  if (table) {
    send(res, 200, JSON.stringify(toTable(type, items, table, listMeta)), TABLE_CONTENT_TYPE);
    return;
  }
  const head = JSON.stringify({ kind: `${type.kind}List`, apiVersion: apiVersionOf(type), metadata: listMeta });
  // One JSON.stringify per object at most (cached across requests), written in slices so a
  // list of 100,000 pods never becomes one giant string.
  res.writeHead(200, { 'Content-Type': 'application/json' });
  res.write(`${head.slice(0, -1)},"items":[`);
  for (let i = 0; i < items.length; i += LIST_SLICE) {
    const slice = items.slice(i, i + LIST_SLICE).map(o => api.json.stringify(o));
    res.write(i === 0 ? slice.join(',') : `,${slice.join(',')}`);
  }
  res.end(']}');
}

/** The object the URL names; 404 when there is none. */
export function existing(api: ApiContext, request: ResourceRequest): KubeObject {
  const found = api.store.get(request.type, request.namespace, request.name!);
  if (!found) throw notFound(notFoundMessage(request.type, request.name!));
  return found;
}

/** The body as an object of the URL's resource: kind, apiVersion, namespace and name must agree with the URL. */
export function objectOfUrl(request: ResourceRequest, body: unknown): KubeObject {
  const { type } = request;
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
    if (!request.namespace) throw notFound(`${type.plural} are namespaced: use /namespaces/<namespace>/${type.plural}`);
    if (object.metadata.namespace && object.metadata.namespace !== request.namespace) {
      throw badRequest(
        `the namespace of the provided object (${object.metadata.namespace}) does not match the namespace sent on the request (${request.namespace})`,
      );
    }
    object.metadata.namespace = request.namespace;
  }
  if (request.name !== undefined) {
    if (object.metadata.name && object.metadata.name !== request.name) {
      throw badRequest(
        `the name of the object (${object.metadata.name}) does not match the name on the URL (${request.name})`,
      );
    }
    object.metadata.name = request.name;
  }
  return object;
}
