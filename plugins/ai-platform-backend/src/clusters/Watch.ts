import type { LoggerService } from '@backstage/backend-plugin-api';
import {
  KubeConfig,
  KubernetesListObject,
  KubernetesObject,
  KubernetesObjectApi,
  ListWatch,
  Watch as WatchClient,
} from '@kubernetes/client-node';
import { statusOf } from './ClusterClient';
import type { WatchTarget } from './kinds';

export type { WatchTarget } from './kinds';

/** Told of every object that appears, changes or goes away. */
export type WatchListener<T> = (type: 'upsert' | 'delete', obj: T) => void;

function pathOf(t: WatchTarget): string {
  return t.apiVersion.includes('/') ? `/apis/${t.apiVersion}/${t.plural}` : `/api/${t.apiVersion}/${t.plural}`;
}

/**
 * A client-node informer: it lists once, then watches from the list's
 * resourceVersion, resumes a dropped watch from the last resourceVersion it
 * saw, and lists again only when the API server answers 410 Gone. On top of
 * it: restarts with backoff after errors such as the API server being down
 * (instead of stopping for good), and any number of listeners.
 */
export class Watch<T extends KubernetesObject = KubernetesObject> {
  private readonly informer: ListWatch<T>;
  private readonly listeners = new Set<WatchListener<T>>();
  private stopped = true;
  private starting?: Promise<void>;
  private timer?: NodeJS.Timeout;
  private backoffMs = 250;
  private hasSynced = false;
  /** Lists of the collection this watch has made (the first one, then one per 410 Gone). */
  lists = 0;
  /** The last error, cleared once a list or a watch request succeeds. */
  lastError?: string;

  constructor(
    kubeConfig: KubeConfig,
    readonly target: WatchTarget,
    private readonly logger: LoggerService,
    private readonly maxBackoffMs = 5_000,
  ) {
    const objects = KubernetesObjectApi.makeApiClient(kubeConfig);
    const list = async (): Promise<KubernetesListObject<T>> => {
      this.lists++;
      const result = await objects.list<T>(target.apiVersion, target.kind);
      this.hasSynced = true;
      this.healthy();
      return result;
    };
    // The informer of makeInformer, with a watch client that also says when a watch request got through.
    const client = new WatchClient(kubeConfig);
    const watch = {
      watch: async (...args: Parameters<WatchClient['watch']>) => {
        const [path, query, callback, done] = args;
        let failed = false;
        const request = await client.watch(path, query, callback, err => {
          if (err) failed = true;
          done(err);
        });
        if (!failed && this.hasSynced) this.healthy();
        return request;
      },
    } as WatchClient;
    this.informer = new ListWatch<T>(pathOf(target), watch, list, false);
    this.informer.on('add', obj => this.emit('upsert', obj));
    this.informer.on('update', obj => this.emit('upsert', obj));
    this.informer.on('delete', obj => this.emit('delete', obj));
    this.informer.on('error', err => this.restartLater(err));
  }

  private healthy() {
    this.lastError = undefined;
    this.backoffMs = 250;
  }

  private emit(type: 'upsert' | 'delete', obj: T) {
    for (const listener of this.listeners) listener(type, obj);
  }

  /** True once the first list has arrived (or the kind turned out not to be served). */
  get synced(): boolean {
    return this.hasSynced;
  }

  /** The objects as last seen. */
  list(): readonly T[] {
    return this.informer.list();
  }

  /**
   * Calls `listener` with every change from now on, and with `replay` first
   * with every object already known (as client-go's AddEventHandler does).
   * Returns an unsubscribe function.
   */
  subscribe(listener: WatchListener<T>, options: { replay?: boolean } = {}): () => void {
    if (options.replay) for (const obj of this.informer.list()) listener('upsert', obj);
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Starts the watch if it is not running; resolves once the first list is in (or failed, and retries). */
  start(): Promise<void> {
    if (!this.starting) {
      this.stopped = false;
      this.starting = this.run();
    }
    return this.starting;
  }

  private async run(): Promise<void> {
    try {
      await this.informer.start();
    } catch (e) {
      this.restartLater(e);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.starting = undefined;
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
      if (!this.stopped) void this.run();
    }, delay);
  }
}
