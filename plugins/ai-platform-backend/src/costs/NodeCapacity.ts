import { deviceShare, isGpuResource, type NodeInfo } from './intervals';

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

/** Where the cost ingestor records each full node list (CostDatabase.recordNodes). */
export interface NodeCapacityLedger {
  record(cluster: string, nodes: NodeSnapshot[], seenAt: number): Promise<void>;
}
