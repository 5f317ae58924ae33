import type { Knex } from 'knex';
import type { NodeDevices, NodeSnapshot } from '../costs/NodeCapacity';
import type { NodeCapacityInterval } from '../costs/rollup';
import { pricedDevicesOf, type CapacityRow } from './costRows';

/* Nodes' GPU capacity in the cost ledger: the ai_platform_node_capacity intervals and since when each cluster's are recorded. */

/** When capacity recording began for a cluster: the first call of `recordNodes` for it. */
async function capacitySince(tx: Knex, cluster: string, seenAt: number): Promise<number> {
  await tx('ai_platform_capacity_clusters').insert({ cluster, since_ms: seenAt }).onConflict('cluster').ignore();
  const row = await tx('ai_platform_capacity_clusters').where({ cluster }).first();
  return Number(row.since_ms);
}

/**
 * Records a full list of a cluster's nodes as seen at `seenAt`, written
 * like the pod ledger: idempotently (a relist of the same nodes changes
 * only `last_seen_ms`). An interval opens when a node is created (or when
 * recording began for nodes that already existed), closes at its deletion,
 * when a list no longer shows it (at the last time one did), or when its
 * capacity changes (a new interval opens then).
 */
export async function recordNodes(db: Knex, cluster: string, nodes: NodeSnapshot[], seenAt: number): Promise<void> {
  await db.transaction(async tx => {
    const since = await capacitySince(tx, cluster, seenAt);
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

/** Node GPU capacity overlapping [from, min(to, now)), and since when each cluster's capacity is recorded. */
export async function capacityWithin(
  db: Knex,
  q: {
    from: number;
    to: number;
    now: number;
  },
): Promise<{ capacity: NodeCapacityInterval[]; since: Map<string, number> }> {
  const end = Math.min(q.to, q.now);
  const rows: CapacityRow[] = await db('ai_platform_node_capacity')
    .where('start_ms', '<', end)
    .andWhere(b => b.whereNull('end_ms').orWhere('end_ms', '>', q.from));
  const since = new Map(
    (await db('ai_platform_capacity_clusters').select('cluster', 'since_ms')).map(r => [
      r.cluster as string,
      Number(r.since_ms),
    ]),
  );
  return { capacity: rows.map(r => ({ cluster: r.cluster, node: r.node, ...pricedDevicesOf(r) })), since };
}
