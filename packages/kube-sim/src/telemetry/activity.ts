import { KubeObject } from '../store/types';
import { simAnnotations } from '../sim/kubelet';
import { hashUnit } from '../sim/random';

/** How a pod uses its GPUs over time. */
export type ActivityProfile = 'training' | 'inference' | 'agent' | 'notebook' | 'batch' | 'idle';

/** Annotation the generator (or a user) sets to pick a pod's activity profile. */
export const profileAnnotation = 'kube-sim.io/profile';

const profiles: ActivityProfile[] = ['training', 'inference', 'agent', 'notebook', 'batch', 'idle'];

/** The activity profile of a pod, from its annotations and owners. */
export function activityProfile(pod: KubeObject): ActivityProfile {
  const annotations = pod.metadata.annotations ?? {};
  if (annotations[simAnnotations.idle] === 'true') return 'idle';
  const explicit = annotations[profileAnnotation] as ActivityProfile | undefined;
  if (explicit && profiles.includes(explicit)) return explicit;
  if (annotations[simAnnotations.model]) return 'inference';
  // A LeaderWorkerSet's pods also belong to StatefulSets, but they serve a model.
  if (pod.metadata.labels?.['leaderworkerset.sigs.k8s.io/name']) return 'inference';
  if (pod.metadata.ownerReferences?.some(o => o.kind === 'StatefulSet')) return 'notebook';
  return 'training';
}

/**
 * Load of inference traffic between 0 and 1 at simulated time `t`: a daily
 * cycle peaking in the afternoon, shifted per service.
 */
export function trafficLoad(seed: string, t: number): number {
  const day = 86_400_000;
  const phase = hashUnit(`${seed}/phase`) * 0.25;
  const daily = 0.5 + 0.4 * Math.sin(2 * Math.PI * (t / day - 0.375 + phase));
  const wobble = 0.08 * Math.sin(t / 420_000 + hashUnit(seed) * 10);
  return Math.min(1, Math.max(0.02, daily + wobble));
}

/** Noise in [-1, 1] that changes every 15 simulated seconds. */
function jitter(seed: string, t: number): number {
  return hashUnit(`${seed}/${Math.floor(t / 15_000)}`) * 2 - 1;
}

/** Fraction (0..1) of the time the GPU's graphics engine is busy for this pod at simulated time `t`. */
export function engineActivity(profile: ActivityProfile, seed: string, t: number, runningSinceMs: number): number {
  const n = jitter(seed, t);
  let a: number;
  switch (profile) {
    case 'idle':
      a = 0.003 + 0.003 * Math.abs(n);
      break;
    case 'training': {
      // Loading data and compiling first, then steady steps with checkpoint dips.
      const warm = Math.min(1, runningSinceMs / 120_000);
      const checkpoint = Math.floor(t / 60_000) % 30 === 0 ? 0.5 : 1;
      a = (0.1 + 0.8 * warm) * checkpoint + 0.05 * n;
      break;
    }
    case 'inference':
      a = 0.08 + 0.8 * trafficLoad(seed, t) + 0.04 * n;
      break;
    case 'agent':
      a = 0.03 + 0.35 * trafficLoad(seed, t) + 0.05 * n;
      break;
    case 'notebook':
      // Someone runs a cell now and then.
      a = hashUnit(`${seed}/${Math.floor(t / 600_000)}`) < 0.3 ? 0.55 + 0.2 * n : 0.01 + 0.01 * Math.abs(n);
      break;
    default:
      a = 0.6 + 0.15 * n;
  }
  return Math.min(1, Math.max(0, a));
}

/** Share of framebuffer in use: weights and caches stay resident even when the engine is quiet. */
export function memoryShare(profile: ActivityProfile, seed: string): number {
  const base = { idle: 0.02, training: 0.85, inference: 0.9, agent: 0.6, notebook: 0.35, batch: 0.5 }[profile];
  return Math.min(0.98, base + 0.05 * hashUnit(`${seed}/fb`));
}
