import type { Knex } from 'knex';
import { deviceShare, isGpuResource, type GpuInterval, type NodeInfo } from './intervals';
import { pricedDevicesOf, usageWithin, type PricedRow } from './CostLedger';
import type { PriceBook } from './pricing';

/** The parts of a Node that capacity accounting reads. */
export interface NodeLike {
  metadata?: {
    name?: string;
    uid?: string;
    creationTimestamp?: string | Date;
    deletionTimestamp?: string | Date;
  };
  status?: { allocatable?: Record<string, string> };
}

/** One GPU resource a node offers: `count` devices, each shareNum/shareDen of a whole GPU. */
export interface NodeDevices {
  resource: string;
  count: number;
  shareNum: number;
  shareDen: number;
}

/** A node as one full list of a cluster's nodes showed it. */
export interface NodeSnapshot {
  node: string;
  nodeUid: string;
  flavor?: string;
  gpuProduct?: string;
  created: number;
  deleted?: number;
  /** Empty for a node without GPUs (its open capacity, if any, closes). */
  devices: NodeDevices[];
}

const ms = (t: string | Date | undefined) => (t === undefined ? undefined : new Date(t).getTime());

/** A node's GPU capacity (`status.allocatable`: nvidia.com/gpu, gpu.shared, mig-*); undefined without a uid. */
export function nodeSnapshot(node: NodeLike, info: NodeInfo | undefined): NodeSnapshot | undefined {
  const { name, uid } = node.metadata ?? {};
  if (!name || !uid) return undefined;
  const devices = Object.entries(node.status?.allocatable ?? {})
    .filter(([resource, value]) => isGpuResource(resource) && Number(value) > 0)
    .map(([resource, value]) => {
      const share = deviceShare(resource, info);
      return { resource, count: Math.floor(Number(value)), shareNum: share.num, shareDen: share.den };
    });
  return {
    node: name,
    nodeUid: uid,
    flavor: info?.flavor,
    gpuProduct: info?.gpuProduct,
    created: ms(node.metadata?.creationTimestamp) ?? 0,
    deleted: ms(node.metadata?.deletionTimestamp),
    devices,
  };
}

/** Fleet idle over a window: capacity not allocated to any pod. */
export interface FleetIdle {
  /** Whole-GPU milliseconds of capacity nobody held. */
  gpuMs: number;
  costMicros: number;
  capacityGpuMs: number;
  capacityCostMicros: number;
}

interface CapacityRow extends PricedRow {
  cluster: string;
  node: string;
  node_uid: string;
  resource: string;
  last_seen_ms: number | string;
}

/**
 * Node GPU capacity intervals, written like the pod ledger: from full lists
 * of a cluster's nodes, idempotently (a relist of the same nodes changes
 * only `last_seen_ms`). An interval opens when a node is created (or when
 * recording began for nodes that already existed), closes at its deletion,
 * when a list no longer shows it (at the last time one did), or when its
 * capacity changes (a new interval opens then).
 */
export class NodeCapacityLedger {
  constructor(private readonly db: Knex, private readonly prices: PriceBook) {}

  /** When capacity recording began for a cluster: the first call of `record` for it. */
  private async since(tx: Knex, cluster: string, seenAt: number): Promise<number> {
    await tx('ai_platform_capacity_clusters').insert({ cluster, since_ms: seenAt }).onConflict('cluster').ignore();
    const row = await tx('ai_platform_capacity_clusters').where({ cluster }).first();
    return Number(row.since_ms);
  }

  /** Records a full list of a cluster's nodes as seen at `seenAt`. */
  async record(cluster: string, nodes: NodeSnapshot[], seenAt: number): Promise<void> {
    await this.db.transaction(async tx => {
      const since = await this.since(tx, cluster, seenAt);
      // Open intervals, and the history of the listed nodes only: closed intervals of long-gone nodes stay unread.
      const rows: CapacityRow[] = await tx('ai_platform_node_capacity').where({ cluster }).whereNull('end_ms');
      const uids = [...new Set(nodes.map(n => n.nodeUid))];
      for (let i = 0; i < uids.length; i += 500) {
        rows.push(
          ...(await tx('ai_platform_node_capacity')
            .where({ cluster })
            .whereNotNull('end_ms')
            .whereIn('node_uid', uids.slice(i, i + 500))),
        );
      }
      const open = new Map(rows.filter(r => r.end_ms === null).map(r => [`${r.node_uid}|${r.resource}`, r]));
      const known = new Set(rows.map(r => `${r.node_uid}|${r.resource}`));
      const close = (r: CapacityRow, end: number) =>
        tx('ai_platform_node_capacity')
          .where({ cluster, node_uid: r.node_uid, resource: r.resource, start_ms: r.start_ms })
          .update({ end_ms: Math.max(Number(r.start_ms), end) });
      const knownNodes = new Set(rows.map(r => r.node_uid));
      const insert = (n: NodeSnapshot, d: NodeDevices, start: number, end?: number) =>
        tx('ai_platform_node_capacity')
          .insert({
            cluster,
            node: n.node,
            node_uid: n.nodeUid,
            resource: d.resource,
            flavor: n.flavor ?? null,
            gpu_product: n.gpuProduct ?? null,
            count: d.count,
            share_num: d.shareNum,
            share_den: d.shareDen,
            start_ms: start,
            end_ms: end === undefined ? null : Math.max(start, end),
            last_seen_ms: seenAt,
          })
          .onConflict(['cluster', 'node_uid', 'resource', 'start_ms'])
          .ignore();
      const present = new Set<string>();
      for (const n of nodes) {
        for (const d of n.devices) {
          const key = `${n.nodeUid}|${d.resource}`;
          present.add(key);
          const current = open.get(key);
          const same =
            current &&
            Number(current.count) === d.count &&
            Number(current.share_num) === d.shareNum &&
            Number(current.share_den) === d.shareDen &&
            (current.flavor ?? undefined) === n.flavor &&
            (current.gpu_product ?? undefined) === n.gpuProduct;
          if (n.deleted !== undefined) {
            // A deleted node's capacity ends at its deletion and stays closed.
            if (current) await close(current, n.deleted);
            else if (!known.has(key)) await insert(n, d, Math.max(n.created, since), n.deleted);
            continue;
          }
          if (same) continue;
          if (current) await close(current, seenAt);
          // A node seen before changed its capacity now; a new one has had it since its creation.
          await insert(n, d, knownNodes.has(n.nodeUid) ? seenAt : Math.max(n.created, since));
        }
      }
      const listed = new Set(uids);
      for (let i = 0; i < uids.length; i += 500) {
        await tx('ai_platform_node_capacity')
          .where({ cluster })
          .whereNull('end_ms')
          .whereIn('node_uid', uids.slice(i, i + 500))
          .update({ last_seen_ms: seenAt });
      }
      for (const [key, r] of open) {
        if (present.has(key)) continue;
        // Gone from the list: it ended when a list last showed it. Still listed without this resource: it ends now.
        await close(r, listed.has(r.node_uid) ? seenAt : Number(r.last_seen_ms));
      }
    });
  }

  /**
   * Idle GPU time and cost within [from, min(to, now)): per node, its
   * capacity less what its pods held, never below zero (a pod on a node
   * without recorded capacity counts nowhere). Each cluster counts only from
   * when its capacity recording began.
   */
  async idle(q: { from: number; to: number; now: number }, pods: GpuInterval[]): Promise<FleetIdle> {
    const end = Math.min(q.to, q.now);
    const rows: CapacityRow[] = await this.db('ai_platform_node_capacity')
      .where('start_ms', '<', end)
      .andWhere(b => b.whereNull('end_ms').orWhere('end_ms', '>', q.from));
    const since = new Map(
      (await this.db('ai_platform_capacity_clusters').select('cluster', 'since_ms')).map(r => [
        r.cluster as string,
        Number(r.since_ms),
      ]),
    );
    const nodes = new Map<string, { gpuMs: number; costMicros: number; usedMs: number; usedMicros: number }>();
    const nodeOf = (cluster: string, node: string) => {
      const key = `${cluster}|${node}`;
      const n = nodes.get(key) ?? { gpuMs: 0, costMicros: 0, usedMs: 0, usedMicros: 0 };
      nodes.set(key, n);
      return n;
    };
    for (const r of rows) {
      const u = usageWithin(pricedDevicesOf(r), q.from, q.to, q.now, this.prices);
      const n = nodeOf(r.cluster, r.node);
      n.gpuMs += u.gpuMs;
      n.costMicros += u.costMicros;
    }
    for (const p of pods) {
      const from = since.get(p.cluster);
      const n = p.node !== undefined && from !== undefined ? nodes.get(`${p.cluster}|${p.node}`) : undefined;
      if (!n) continue;
      const u = usageWithin(p, Math.max(q.from, from!), q.to, q.now, this.prices);
      n.usedMs += u.gpuMs;
      n.usedMicros += u.costMicros;
    }
    const out: FleetIdle = { gpuMs: 0, costMicros: 0, capacityGpuMs: 0, capacityCostMicros: 0 };
    for (const n of nodes.values()) {
      out.capacityGpuMs += n.gpuMs;
      out.capacityCostMicros += n.costMicros;
      out.gpuMs += Math.max(0, n.gpuMs - n.usedMs);
      out.costMicros += Math.max(0, n.costMicros - n.usedMicros);
    }
    return out;
  }
}
