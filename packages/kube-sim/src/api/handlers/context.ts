import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ObjectStore, ResourceType } from '../../store/types';
import type { ListPager } from '../pagination';
import type { ActiveWatch, JsonCache } from '../watch';

/** What every handler shares for the lifetime of one API server. */
export interface ApiContext {
  store: ObjectStore;
  /** Serializes each stored object once across lists and watches. */
  json: JsonCache;
  pager: ListPager;
  watches: Set<ActiveWatch>;
  bookmarkIntervalMs: number;
}

/** The Kubernetes API verbs kube-sim serves, as kube-apiserver's RequestInfo names them. */
export type Verb = 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete' | 'deletecollection';

/** One request for a resource, resolved from its method and path. */
export interface ResourceRequest {
  verb: Verb;
  type: ResourceType;
  namespace?: string;
  name?: string;
  subresource?: string;
  query: URLSearchParams;
  req: IncomingMessage;
  res: ServerResponse;
}

/** Serves one verb. */
export type VerbHandler = (api: ApiContext, request: ResourceRequest) => Promise<void> | void;
