import { KubeObject } from '../../store/types';
import { ControllerContext } from './controller';
import { deleteActive, isActive } from './pods';

/** One pod of a gang. `decides`: the workload's outcome follows this pod (a master, a driver). */
export interface GangMember {
  name: string;
  decides: boolean;
  build: () => KubeObject;
}

/** Where a gang of pods stands. */
export type GangPhase = 'Suspended' | 'Pending' | 'Running' | 'Succeeded' | 'Failed';

/**
 * The common life of operator-managed gangs whose operator makes the pods
 * itself (PyTorchJob, SparkApplication): create the named pods, delete them when suspended, and
 * end the workload when a deciding pod ends or any pod fails.
 */
export function reconcileGang(
  ctx: ControllerContext,
  owner: KubeObject,
  members: GangMember[],
  opts: { suspended: boolean; finished: boolean },
): { phase: GangPhase; pods: KubeObject[]; failedPod?: KubeObject } {
  const pods = ctx.children.of(owner.metadata.uid, 'Pod');
  if (opts.suspended && !opts.finished) {
    deleteActive(ctx.store, pods);
    return { phase: 'Suspended', pods: [] };
  }
  const byName = new Map(pods.map(p => [p.metadata.name!, p]));
  const failedPod = pods.find(p => p.status?.phase === 'Failed');
  const deciders = members.filter(m => m.decides);
  const decided = deciders.length > 0 && deciders.every(m => byName.get(m.name)?.status?.phase === 'Succeeded');
  if (opts.finished || failedPod || decided) {
    deleteActive(ctx.store, pods);
    return { phase: failedPod ? 'Failed' : 'Succeeded', pods, failedPod };
  }
  const podType = ctx.store.typeFor('v1', 'Pod');
  for (const m of members) {
    if (!byName.has(m.name)) {
      const pod = ctx.store.create(podType, m.build());
      byName.set(m.name, pod);
    }
  }
  const current = members.map(m => byName.get(m.name)!).filter(Boolean);
  const running = current.every(p => p.status?.phase === 'Running' || !isActive(p));
  return { phase: running ? 'Running' : 'Pending', pods: current };
}
