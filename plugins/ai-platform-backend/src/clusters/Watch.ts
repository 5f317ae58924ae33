import type { LoggerService } from '@backstage/backend-plugin-api';
import {
  KubeConfig,
  KubernetesListObject,
  KubernetesObject,
  KubernetesObjectApi,
  makeInformer,
  type Informer,
} from '@kubernetes/client-node';
import type { ObjectCache } from '@kubernetes/client-node/dist/cache';
import { statusOf } from '../clusters/ClusterClient';

/** What to watch: cluster-wide list+watch of one resource. */
export interface WatchTarget {
  apiVersion: string;
  kind: string;
  /** URL resource name, e.g. "jobs". */
  plural: string;
}

function pathOf(t: WatchTarget): string {
  return t.apiVersion.includes('/') ? `/apis/${t.apiVersion}/${t.plural}` : `/api/${t.apiVersion}/${t.plural}`;
}

/**
 * A client-node informer (list, then watch from the list's resourceVersion;
 * it resumes after a dropped watch and lists again on 410 Gone) that also
 * restarts itself with backoff after errors such as the API server being
 * down, instead of stopping for good.
 */
export class Watch<T extends KubernetesObject = KubernetesObject> {
  private readonly informer: Informer<T> & ObjectCache<T>;
  private stopped = false;
  private timer?: NodeJS.Timeout;
  private backoffMs = 250;
  private hasSynced = false;
  /** The last error, cleared once a list succeeds. */
  lastError?: string;

  constructor(
    kubeConfig: KubeConfig,
    readonly target: WatchTarget,
    private readonly onChange: (type: 'upsert' | 'delete', obj: T) => void,
    private readonly logger: LoggerService,
    private readonly maxBackoffMs = 5_000,
  ) {
    const objects = KubernetesObjectApi.makeApiClient(kubeConfig);
    const list = async (): Promise<KubernetesListObject<T>> => {
      const result = await objects.list<T>(target.apiVersion, target.kind);
      this.hasSynced = true;
      this.lastError = undefined;
      this.backoffMs = 250;
      return result;
    };
    this.informer = makeInformer<T>(kubeConfig, pathOf(target), list);
    this.informer.on('add', obj => this.onChange('upsert', obj));
    this.informer.on('update', obj => this.onChange('upsert', obj));
    this.informer.on('delete', obj => this.onChange('delete', obj));
    this.informer.on('error', err => this.restartLater(err));
  }

  get synced(): boolean {
    return this.hasSynced;
  }

  list(): readonly T[] {
    return this.informer.list();
  }

  async start(): Promise<void> {
    this.stopped = false;
    try {
      await this.informer.start();
    } catch (e) {
      this.restartLater(e);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.informer.stop();
  }

  private restartLater(error: unknown) {
    if (this.stopped) return;
    const status = statusOf(error);
    // A kind whose CRD is not installed has no objects: synced, and retried rarely and quietly. The API
    // server answers 404 when the group is missing; client-node's discovery throws "Unrecognized API
    // version and kind" when the group is served without this kind (a Kueue without Topology).
    const absent = status === 404 || /Unrecognized API version and kind/.test((error as Error)?.message ?? '');
    if (absent) {
      this.hasSynced = true;
      this.lastError = undefined;
    } else {
      this.lastError = `${this.target.kind}: ${(error as Error)?.message ?? String(error)}`;
    }
    const delay = absent ? this.maxBackoffMs * 6 : this.backoffMs;
    if (!absent) this.logger.debug(`watch of ${this.target.kind} failed, retrying in ${delay} ms: ${this.lastError}`);
    this.backoffMs = Math.min(this.backoffMs * 2, this.maxBackoffMs);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      if (!this.stopped) this.start();
    }, delay);
  }
}
