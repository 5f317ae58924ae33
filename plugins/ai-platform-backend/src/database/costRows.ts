/**
 * How the cost ledger's rows map to the domain: interval rows to GpuIntervals,
 * their grouping columns, and the columns that price them.
 */

import type { GpuInterval } from '../costs/intervals';
import type { PricedDevices } from '../costs/rollup';
import type { CostAggregation } from '@ai-platform/backstage-plugin-ai-platform-common';

/** The columns that price a stored interval (pods' and nodes' tables share them); bigints may come back as strings. */
export interface PricedRow {
  flavor: string | null;
  gpu_product: string | null;
  count: number | string;
  share_num: number | string;
  share_den: number | string;
  start_ms: number | string;
  end_ms: number | string | null;
}

export interface CapacityRow extends PricedRow {
  cluster: string;
  node: string;
  node_uid: string;
  resource: string;
  last_seen_ms: number | string;
}

/** The priced part of a stored interval row. */
export function pricedDevicesOf(r: PricedRow): PricedDevices {
  return {
    flavor: r.flavor ?? undefined,
    gpuProduct: r.gpu_product ?? undefined,
    count: Number(r.count),
    shareNum: Number(r.share_num),
    shareDen: Number(r.share_den),
    start: Number(r.start_ms),
    end: r.end_ms === null ? undefined : Number(r.end_ms),
  };
}

export const dimColumns = (i: GpuInterval) => ({
  cluster: i.cluster,
  namespace: i.namespace,
  workload: i.workload,
  team: i.team ?? null,
  queue: i.queue ?? null,
  flavor: i.flavor ?? null,
  gpu_product: i.gpuProduct ?? null,
});

export function fromRow(r: Record<string, any>): GpuInterval {
  return {
    podUid: r.pod_uid,
    resource: r.resource,
    cluster: r.cluster,
    namespace: r.namespace,
    pod: r.pod,
    node: r.node ?? undefined,
    workload: r.workload,
    team: r.team ?? undefined,
    queue: r.queue ?? undefined,
    ...pricedDevicesOf(r as PricedRow),
  };
}

export const filterOf = (q: { filter?: Partial<Record<CostAggregation, string>> }): Record<string, string> =>
  Object.fromEntries(Object.entries(q.filter ?? {}).filter((e): e is [string, string] => e[1] !== undefined));
