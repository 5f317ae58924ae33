import type { KubeObject } from '../store/types';
import { badRequest } from './status';

/** One page of a list, with the list metadata Kubernetes returns alongside it. */
export interface Page {
  items: KubeObject[];
  resourceVersion: string;
  continue?: string;
  remainingItemCount?: number;
}

interface Snapshot {
  query: string;
  resourceVersion: string;
  keys: string[];
  items: KubeObject[];
  expires: number;
}

interface ContinueToken {
  rv: string;
  /** namespace/name of the last object served */
  start: string;
  /** the snapshot the pages come from, while it lives */
  snap?: number;
  index?: number;
}

function objectKey(o: KubeObject): string {
  return `${o.metadata.namespace ?? ''}/${o.metadata.name}`;
}

function compareKeys(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

function encode(token: ContinueToken): string {
  return Buffer.from(JSON.stringify(token)).toString('base64url');
}

function decode(token: string): ContinueToken {
  try {
    const decoded = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (typeof decoded.rv === 'string' && typeof decoded.start === 'string') return decoded;
  } catch {
    // reported below
  }
  throw badRequest(
    `continue token "${token}" is not valid: pass the metadata.continue value of the previous page unchanged`,
  );
}

/**
 * Serves `limit`/`continue` pages in namespace/name order. The first page takes a snapshot
 * (references to immutable objects, so cheap), later pages read it, as an apiserver reads one
 * etcd revision: paging through 100,000 pods sorts once, not once per page. When a snapshot has
 * expired, paging resumes after the last name served, over the current objects.
 */
export class ListPager {
  private readonly snapshots = new Map<number, Snapshot>();
  private nextId = 1;

  constructor(private readonly ttlMs = 60_000, private readonly maxSnapshots = 8) {}

  /**
   * @param query identifies the list (resource, namespace, selectors): a token only continues its own query
   * @param current the matching objects now, and the resourceVersion they are at
   */
  page(
    query: string,
    limit: number,
    token: string | null,
    current: () => { items: KubeObject[]; resourceVersion: string },
  ): Page {
    const now = Date.now();
    for (const [id, s] of this.snapshots) if (s.expires < now) this.snapshots.delete(id);

    let snapshotId: number | undefined;
    let snapshot: Snapshot | undefined;
    let start = 0;
    if (token) {
      const position = decode(token);
      const kept = position.snap !== undefined ? this.snapshots.get(position.snap) : undefined;
      if (kept && kept.query === query && position.index !== undefined) {
        snapshotId = position.snap;
        snapshot = kept;
        start = position.index;
      } else {
        snapshot = this.sorted(query, current().items, position.rv);
        start = this.firstAfter(snapshot.keys, position.start);
      }
    } else {
      const { items, resourceVersion } = current();
      if (!(limit > 0)) return { items, resourceVersion };
      snapshot = this.sorted(query, items, resourceVersion);
    }

    const end = limit > 0 ? Math.min(snapshot.keys.length, start + limit) : snapshot.keys.length;
    const page: Page = {
      items: snapshot.items.slice(start, end),
      resourceVersion: snapshot.resourceVersion,
    };
    if (end < snapshot.keys.length) {
      if (snapshotId === undefined) {
        snapshotId = this.nextId++;
        this.snapshots.set(snapshotId, snapshot);
        if (this.snapshots.size > this.maxSnapshots) this.snapshots.delete(this.snapshots.keys().next().value!);
      }
      snapshot.expires = now + this.ttlMs;
      page.continue = encode({
        rv: snapshot.resourceVersion,
        start: snapshot.keys[end - 1],
        snap: snapshotId,
        index: end,
      });
      page.remainingItemCount = snapshot.keys.length - end;
    } else if (snapshotId !== undefined) {
      this.snapshots.delete(snapshotId);
    }
    return page;
  }

  private sorted(query: string, items: KubeObject[], resourceVersion: string): Snapshot {
    const keyed = items.map(o => [objectKey(o), o] as const).sort((a, b) => compareKeys(a[0], b[0]));
    return {
      query,
      resourceVersion,
      keys: keyed.map(k => k[0]),
      items: keyed.map(k => k[1]),
      expires: 0,
    };
  }

  private firstAfter(keys: string[], key: string): number {
    let lo = 0;
    let hi = keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (keys[mid] <= key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
