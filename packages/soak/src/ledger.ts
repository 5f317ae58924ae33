import type { DeviceHolding } from '@ai-platform/kube-sim';
import { flavorOfNode, gpuShare, type QueueModel } from './invariants';
import type { BackendApi, ClusterSnapshot } from './observe';

/** Within this share, the ledger's GPU-hours of a team or flavor match kube-sim's (the 0.5 %). */
const tolerance = 0.005;
/** Groups smaller than this (GPU-hours) are compared absolutely: 0.5 % of nothing is noise. */
const floorGpuHours = 0.05;

/** GPU-hours per team and per flavor from kube-sim's record of device holdings, clipped to [from, to). */
export function groundTruth(
  holdings: Map<string, DeviceHolding[]>,
  snapshots: ClusterSnapshot[],
  models: Map<string, QueueModel>,
  from: number,
  to: number,
) {
  const team = new Map<string, number>();
  const flavor = new Map<string, number>();
  for (const snapshot of snapshots) {
    const nodes = new Map(snapshot.nodes.map(n => [n.name, n]));
    const model = models.get(snapshot.cluster)!;
    for (const h of holdings.get(snapshot.cluster) ?? []) {
      const span = Math.min(to, h.to ?? to) - Math.max(from, h.from);
      if (span <= 0) continue;
      const node = nodes.get(h.node);
      const gpuHours = (h.count * gpuShare(h.resource, node) * span) / 3_600_000;
      const t = snapshot.namespaces.get(h.pod.split('/')[0]) ?? '(none)';
      const f = flavorOfNode(node, model) ?? '(none)';
      team.set(t, (team.get(t) ?? 0) + gpuHours);
      flavor.set(f, (flavor.get(f) ?? 0) + gpuHours);
    }
  }
  return { team, flavor };
}

async function ledgerBy(api: BackendApi, aggregate: 'team' | 'flavor', from: number, to: number) {
  const window = `${new Date(from).toISOString()},${new Date(to).toISOString()}`;
  const res = await api.get<{ data: Array<Record<string, { gpuHours: number }>> }>(
    `/api/ai-platform/costs/allocation?window=${encodeURIComponent(window)}&aggregate=${aggregate}`,
  );
  const out = new Map<string, number>();
  for (const [key, entry] of Object.entries(res.data[0] ?? {})) {
    if (key !== '__idle__') out.set(key, (out.get(key) ?? 0) + entry.gpuHours);
  }
  return out;
}

/** The ledger's GPU-hours per team and per flavor against kube-sim's ground truth. */
export async function compareLedger(options: {
  api: BackendApi;
  models: Map<string, QueueModel>;
  holdings: Map<string, DeviceHolding[]>;
  snapshots: ClusterSnapshot[];
  from: number;
  to: number;
}) {
  const truth = groundTruth(options.holdings, options.snapshots, options.models, options.from, options.to);
  const mismatches: string[] = [];
  const summary: Record<string, Record<string, { ledger: number; pods: number }>> = {};
  for (const aggregate of ['team', 'flavor'] as const) {
    const ledger = await ledgerBy(options.api, aggregate, options.from, options.to);
    const pods = truth[aggregate];
    summary[aggregate] = {};
    for (const key of new Set([...ledger.keys(), ...pods.keys()])) {
      const l = ledger.get(key) ?? 0;
      const p = pods.get(key) ?? 0;
      summary[aggregate][key] = { ledger: l, pods: p };
      const off = Math.abs(l - p);
      if (p >= floorGpuHours ? off > tolerance * p : off > tolerance * floorGpuHours)
        mismatches.push(`${aggregate} ${key}: ledger ${l.toFixed(3)} GPU-h, kube-sim's pods ${p.toFixed(3)} GPU-h`);
    }
  }
  return { mismatches, summary };
}
