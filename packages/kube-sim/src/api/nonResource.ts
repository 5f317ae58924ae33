import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Discovery } from './discovery';
import { send, sendJson } from './handlers/response';
import { notFound } from './status';

/** What /version answers. */
export interface ServerVersion {
  major: string;
  minor: string;
  gitVersion: string;
}

/**
 * Serves the paths that are not resources (health, version, discovery, OpenAPI); false when
 * the path is a resource path. `address` is the host:port clients reach the server on.
 */
export function serveNonResource(
  req: IncomingMessage,
  res: ServerResponse,
  segments: string[],
  discovery: Discovery,
  version: ServerVersion,
  address: string,
): boolean {
  const [root, second] = segments;
  if (segments.length === 1 && ['healthz', 'readyz', 'livez'].includes(root)) {
    send(res, 200, 'ok', 'text/plain');
  } else if (segments.length === 0) {
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
  } else if (segments.length === 1 && root === 'version') {
    sendJson(res, 200, {
      ...version,
      gitCommit: 'kube-sim',
      gitTreeState: 'clean',
      buildDate: '2026-01-01T00:00:00Z',
      goVersion: 'go1.22',
      compiler: 'gc',
      platform: 'linux/amd64',
    });
  } else if (root === 'api' && segments.length === 1) {
    sendJson(res, 200, discovery.apiVersions(address));
  } else if (root === 'apis' && segments.length === 1) {
    sendJson(res, 200, discovery.groupList());
  } else if (root === 'apis' && segments.length === 2) {
    const group = discovery.group(second);
    if (!group) throw notFound();
    sendJson(res, 200, group);
  } else if (root === 'api' || root === 'apis') {
    // /api/<version> is the core group's resource list, /apis/<group>/<version> every other group's.
    const [group, groupVersion, depth] = root === 'api' ? ['', second, 2] : [second, segments[2], 3];
    if (segments.length !== depth) return false;
    const list = discovery.resourceList(group, groupVersion);
    if (!list) throw notFound();
    sendJson(res, 200, list);
  } else if (root === 'openapi' && second === 'v3') {
    let doc;
    if (segments.length === 2) doc = discovery.openApiV3Root();
    else if (segments[2] === 'api') doc = discovery.openApiV3GroupVersion('', segments[3]);
    else doc = discovery.openApiV3GroupVersion(segments[3], segments[4]);
    if (!doc) throw notFound();
    sendJson(res, 200, doc);
  } else if (root === 'openapi' && second === 'v2' && segments.length === 2) {
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
  } else {
    throw notFound();
  }
  return true;
}
