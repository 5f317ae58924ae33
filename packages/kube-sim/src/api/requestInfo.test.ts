import type { IncomingMessage } from 'node:http';
import { builtinResourceTypes } from '../store/resourceTypes';
import { StoreError } from '../store/types';
import { Discovery } from './discovery';
import { resolveResourcePath, verbOf } from './requestInfo';

const discovery = new Discovery(builtinResourceTypes);

/** The verb kube-sim serves a request with, or the HTTP code it refuses it with. */
function verbFor(method: string, url: string): string | number {
  const { pathname, searchParams } = new URL(url, 'http://kube-sim');
  const segments = pathname.split('/').filter(Boolean);
  const [group, version, depth] = segments[0] === 'api' ? ['', segments[1], 2] : [segments[1], segments[2], 3];
  try {
    const path = resolveResourcePath(discovery, group, version, segments.slice(depth));
    return verbOf({ method } as IncomingMessage, path, searchParams);
  } catch (error) {
    if (error instanceof StoreError) return error.code;
    throw error;
  }
}

describe('request verbs', () => {
  it.each([
    ['GET', '/api/v1/namespaces/team-a/pods', 'list'],
    ['GET', '/api/v1/pods', 'list'],
    ['GET', '/api/v1/namespaces/team-a/pods/web', 'get'],
    ['GET', '/api/v1/namespaces/team-a/pods?watch=true', 'watch'],
    ['GET', '/api/v1/namespaces/team-a/pods?watch=1', 'watch'],
    ['GET', '/api/v1/watch/namespaces/team-a/pods/web', 'watch'],
    ['POST', '/apis/batch/v1/namespaces/team-a/jobs', 'create'],
    ['PUT', '/apis/batch/v1/namespaces/team-a/jobs/train', 'update'],
    ['PUT', '/apis/batch/v1/namespaces/team-a/jobs/train/status', 'update'],
    ['PATCH', '/apis/kueue.x-k8s.io/v1beta2/clusterqueues/gpu', 'patch'],
    ['DELETE', '/api/v1/namespaces/team-a/pods/web', 'delete'],
    ['DELETE', '/api/v1/namespaces/team-a/pods?labelSelector=app%3Dweb', 'deletecollection'],
    ['GET', '/api/v1/namespaces/team-a', 'get'],
  ])('%s %s is %s', (method, url, verb) => {
    expect(verbFor(method, url)).toBe(verb);
  });

  it.each([
    ['PUT on a collection is not allowed', 'PUT', '/api/v1/namespaces/team-a/pods', 405],
    ['POST to a named object is not allowed', 'POST', '/api/v1/namespaces/team-a/pods/web', 405],
    ['a namespaced object without its namespace is not found', 'GET', '/api/v1/pods/web', 404],
    ['an unknown resource is not found', 'GET', '/api/v1/gadgets', 404],
    ['an unserved group version is not found', 'GET', '/apis/batch/v9/jobs', 404],
    ['a subresource other than status is not found', 'GET', '/api/v1/namespaces/team-a/pods/web/log', 404],
    [
      'status of a kind without the subresource is not found',
      'PUT',
      '/api/v1/namespaces/team-a/configmaps/c/status',
      404,
    ],
  ])('%s', (_, method, url, code) => {
    expect(verbFor(method, url)).toBe(code);
  });
});
