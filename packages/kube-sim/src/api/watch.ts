import type { ServerResponse } from 'node:http';
import { apiVersionOf } from '../store/resourceTypes';
import type { ObjectMatcher } from '../store/selectors';
import { StoreError, type KubeObject, type ObjectStore, type ResourceType, type StoreEvent } from '../store/types';
import { statusFor } from './status';
import { toTable, type IncludeObject } from './table';

/** What one watch request asked for. */
export interface WatchRequest {
  type: ResourceType;
  namespace?: string;
  name?: string;
  matches: ObjectMatcher;
  /** `resourceVersion` query parameter; undefined or '0' starts with synthetic ADDED events. */
  resourceVersion?: string;
  bookmarks: boolean;
  bookmarkIntervalMs: number;
  timeoutSeconds?: number;
  /** Set when the client asked for meta.k8s.io Table events (kubectl get -w). */
  table?: IncludeObject;
}

/** A client that stops reading is dropped once this much output is queued; it resumes from its last resourceVersion. */
const MAX_BUFFERED_BYTES = 64 * 1024 * 1024;

/** Serializes frozen store objects once, however many lists and watches send them. */
export class JsonCache {
  private readonly cache = new WeakMap<object, string>();

  stringify(object: KubeObject): string {
    let json = this.cache.get(object);
    if (json === undefined) {
      json = JSON.stringify(object);
      if (Object.isFrozen(object)) this.cache.set(object, json);
    }
    return json;
  }
}

/** One open watch stream; `end()` closes it cleanly so clients resume from their last resourceVersion. */
export interface ActiveWatch {
  end(): void;
}

function sameResource(a: ResourceType, b: ResourceType): boolean {
  return a.group === b.group && a.plural === b.plural;
}

/** Streams watch events as JSON lines until the client leaves, the timeout passes or `end()` is called. */
export function serveWatch(
  store: ObjectStore,
  json: JsonCache,
  request: WatchRequest,
  res: ServerResponse,
  onClose: () => void,
): ActiveWatch {
  const { type, namespace, name, matches } = request;
  const apiVersion = apiVersionOf(type);
  const inScope = (o: KubeObject) =>
    (!namespace || o.metadata.namespace === namespace) && (!name || o.metadata.name === name) && matches(o);
  const asServed = (o: KubeObject) => (o.apiVersion === apiVersion ? o : { ...o, apiVersion });

  res.writeHead(200, {
    'Content-Type': request.table ? 'application/json;as=Table;v=v1;g=meta.k8s.io' : 'application/json',
    'Cache-Control': 'no-cache, private',
    'Transfer-Encoding': 'chunked',
  });
  res.flushHeaders();

  let closed = false;
  // Store events arrive synchronously, often thousands per tick: batch them into one write per tick.
  let pending: string[] = [];
  let pendingBytes = 0;
  const flush = () => {
    if (closed || pending.length === 0) return;
    res.write(pending.join(''));
    pending = [];
    pendingBytes = 0;
  };
  const cleanups: Array<() => void> = [];
  const end = () => {
    if (closed) return;
    flush();
    closed = true;
    cleanups.forEach(c => c());
    res.end();
    onClose();
  };
  res.on('close', end);

  const write = (eventType: string, object: KubeObject) => {
    if (closed) return;
    const body = request.table
      ? JSON.stringify(
          toTable(type, [object], request.table, {
            resourceVersion: object.metadata.resourceVersion,
          }),
        )
      : json.stringify(object);
    const line = `{"type":"${eventType}","object":${body}}\n`;
    if (pending.length === 0) setImmediate(flush);
    pending.push(line);
    pendingBytes += line.length;
    if (res.writableLength + pendingBytes > MAX_BUFFERED_BYTES) {
      flush();
      end();
    }
  };

  const send = (event: StoreEvent) => {
    if (!sameResource(event.resource, type)) return;
    const now = inScope(event.object);
    if (event.type !== 'MODIFIED') {
      if (now) write(event.type, asServed(event.object));
      return;
    }
    const before = event.oldObject ? inScope(event.oldObject) : now;
    if (now) write(before ? 'MODIFIED' : 'ADDED', asServed(event.object));
    else if (before && event.oldObject) {
      // As Kubernetes does: the object as the watcher last saw it, at the new resourceVersion.
      const { oldObject } = event;
      const { resourceVersion } = event.object.metadata;
      write(
        'DELETED',
        asServed({
          ...oldObject,
          metadata: { ...oldObject.metadata, resourceVersion },
        }),
      );
    }
  };

  const rv = request.resourceVersion;
  if (rv === undefined || rv === '' || rv === '0') {
    for (const object of store.list(type, { namespace })) if (inScope(object)) write('ADDED', object);
  } else {
    const since = Number(rv);
    try {
      if (!Number.isInteger(since) || since < 0) {
        throw new StoreError(
          400,
          'BadRequest',
          `resourceVersion "${rv}" is not a valid resource version: expected a non-negative integer`,
        );
      }
      if (since > store.currentResourceVersion()) {
        // Only a client that watched an earlier kube-sim process can be ahead: make it relist.
        throw new StoreError(
          410,
          'Expired',
          `too large resource version: ${since}, current: ${store.currentResourceVersion()} (the server was restarted; list again)`,
        );
      }
      if (store.eventsSince) store.eventsSince(since).forEach(send);
      else if (since < store.currentResourceVersion()) {
        throw new StoreError(410, 'Expired', `too old resource version: ${since} (${store.currentResourceVersion()})`);
      }
    } catch (error) {
      pending.push(`${JSON.stringify({ type: 'ERROR', object: statusFor(error) })}\n`);
      end();
      return { end };
    }
  }

  cleanups.push(store.subscribe(send));
  if (request.bookmarks) {
    const timer = setInterval(() => {
      const bookmark = {
        kind: type.kind,
        apiVersion,
        metadata: { resourceVersion: String(store.currentResourceVersion()) },
      };
      flush();
      res.write(`${JSON.stringify({ type: 'BOOKMARK', object: bookmark })}\n`);
    }, request.bookmarkIntervalMs);
    cleanups.push(() => clearInterval(timer));
  }
  if (request.timeoutSeconds !== undefined && request.timeoutSeconds > 0) {
    const timer = setTimeout(end, request.timeoutSeconds * 1000);
    cleanups.push(() => clearTimeout(timer));
  }
  return { end };
}
