import { InputError } from '@backstage/errors';
import { labels, type WorkloadEntityType } from '@ai-platform/backstage-plugin-ai-platform-common';
import type { WorkloadContext, WorkloadKindAdapter, WorkloadObject, WorkloadOutcome } from '../WorkloadKindAdapter';
import { pinToFlavors, PodSlot, toPodSet } from './podSets';

type Json = Record<string, unknown>;

/** How a kind is held back from running. */
export interface Suspension {
  isSuspended(obj: WorkloadObject): boolean;
  suspend(obj: WorkloadObject): void;
  resume(obj: WorkloadObject): void;
}

/** Everything kind-specific; the rest of an adapter is shared. */
export interface KindDefinition {
  apiVersion: string;
  kind: string;
  plural: string;
  entityType: WorkloadEntityType;
  /** Only objects carrying the queue label are managed (Deployments, StatefulSets). */
  requiresQueueLabel?: boolean;
  /**
   * Pod sets, referencing the object's own parts so that admission can write
   * into them; `forWrite` is true only on a copy being admitted.
   */
  slots(obj: WorkloadObject, forWrite?: boolean): PodSlot[];
  suspension: Suspension;
  outcome(obj: WorkloadObject): WorkloadOutcome;
  podsReady(obj: WorkloadObject): boolean;
}

/** Reads a nested field; undefined when any step is missing. */
export function at<T>(obj: unknown, ...path: string[]): T | undefined {
  let cur: unknown = obj;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Json)[key];
  }
  return cur as T | undefined;
}

/** Writes a nested field, creating objects on the way. */
export function setAt(obj: unknown, path: string[], value: unknown) {
  let cur = obj as Json;
  for (const key of path.slice(0, -1)) {
    if (cur[key] === null || typeof cur[key] !== 'object') cur[key] = {};
    cur = cur[key] as Json;
  }
  cur[path[path.length - 1]] = value;
}

export function conditionTrue(obj: WorkloadObject, type: string): boolean {
  const conditions = at<Array<{ type?: string; status?: string }>>(obj, 'status', 'conditions') ?? [];
  return conditions.some(c => c.type === type && c.status === 'True');
}

/** Succeeded or Failed from the first of the two conditions that is True. */
export function conditionOutcome(obj: WorkloadObject, succeeded: string, failed = 'Failed'): WorkloadOutcome {
  if (conditionTrue(obj, succeeded)) return 'Succeeded';
  return conditionTrue(obj, failed) ? 'Failed' : undefined;
}

/** A boolean field such as spec.suspend. */
export function fieldSuspension(...path: string[]): Suspension {
  return {
    isSuspended: obj => at<boolean>(obj, ...path) === true,
    suspend: obj => setAt(obj, path, true),
    resume: obj => setAt(obj, path, false),
  };
}

/** Annotation keeping replica counts of a kind suspended by scaling to zero. */
export const savedReplicasAnnotation = 'ai-platform.io/suspended-replicas';

/**
 * Serving kinds (Deployment, StatefulSet, LeaderWorkerSet, InferenceService)
 * have no suspend field: they are suspended by scaling each field to 0, and
 * the original counts are kept in the `ai-platform.io/suspended-replicas`
 * annotation until admission restores them.
 */
export function scaleSuspension(fields: Array<{ path: string[]; default: number }>): Suspension {
  const key = (path: string[]) => path.join('.');
  return {
    isSuspended: obj => obj.metadata.annotations?.[savedReplicasAnnotation] !== undefined,
    suspend(obj) {
      if (obj.metadata.annotations?.[savedReplicasAnnotation] !== undefined) return;
      const saved: Record<string, number> = {};
      for (const f of fields) {
        saved[key(f.path)] = at<number>(obj, ...f.path) ?? f.default;
        setAt(obj, f.path, 0);
      }
      obj.metadata.annotations = { ...obj.metadata.annotations, [savedReplicasAnnotation]: JSON.stringify(saved) };
    },
    resume(obj) {
      const raw = obj.metadata.annotations?.[savedReplicasAnnotation];
      if (raw === undefined) return;
      const saved = JSON.parse(raw) as Record<string, number>;
      for (const f of fields) setAt(obj, f.path, saved[key(f.path)] ?? f.default);
      const { [savedReplicasAnnotation]: _dropped, ...rest } = obj.metadata.annotations ?? {};
      obj.metadata.annotations = rest;
    },
  };
}

/**
 * The replica count the workload runs with: for scaled-down objects, the
 * count saved in the annotation.
 */
export function replicas(obj: WorkloadObject, path: string[], fallback: number): number {
  const raw = obj.metadata.annotations?.[savedReplicasAnnotation];
  if (raw !== undefined) {
    const saved = (JSON.parse(raw) as Record<string, number>)[path.join('.')];
    if (saved !== undefined) return saved;
  }
  return at<number>(obj, ...path) ?? fallback;
}

function copy(obj: WorkloadObject): WorkloadObject {
  return structuredClone(obj);
}

/**
 * Pod sets' nodeSelector and tolerations from before admission pinned them
 * to flavors; suspending puts them back, so a requeued workload may get any
 * flavor again (Kueue restores the template the same way).
 */
export const originalPodSetsAnnotation = 'ai-platform.io/original-pod-sets';

type Placement = Pick<PodSlot['spec'], 'nodeSelector' | 'tolerations'>;

function saveOriginals(obj: WorkloadObject, slots: PodSlot[]) {
  if (obj.metadata.annotations?.[originalPodSetsAnnotation]) return;
  const saved: Record<string, Placement> = {};
  for (const slot of slots) {
    const target = slot.target ?? slot.spec;
    saved[slot.name] = { nodeSelector: target.nodeSelector, tolerations: target.tolerations };
  }
  obj.metadata.annotations = { ...obj.metadata.annotations, [originalPodSetsAnnotation]: JSON.stringify(saved) };
}

function restoreOriginals(obj: WorkloadObject, slots: PodSlot[]) {
  const raw = obj.metadata.annotations?.[originalPodSetsAnnotation];
  if (!raw) return;
  const saved = JSON.parse(raw) as Record<string, Placement>;
  for (const slot of slots) {
    const target = slot.target ?? slot.spec;
    const original = saved[slot.name];
    if (!original) continue;
    if (original.nodeSelector) target.nodeSelector = original.nodeSelector;
    else delete target.nodeSelector;
    if (original.tolerations) target.tolerations = original.tolerations;
    else delete target.tolerations;
  }
  const { [originalPodSetsAnnotation]: _dropped, ...rest } = obj.metadata.annotations ?? {};
  obj.metadata.annotations = rest;
}

/**
 * The object's pod sets. A manifest the kind cannot read (a missing pod
 * template, a quantity that does not parse) is the submitter's to fix, so
 * it is an InputError (400) naming the object and the field.
 */
function podSetsOf(def: KindDefinition, obj: WorkloadObject, context: WorkloadContext) {
  const { namespace } = obj.metadata;
  const claimTemplate = (name: string) => context.resourceClaimTemplate?.(namespace, name);
  try {
    return def.slots(obj).map(slot => toPodSet(slot, claimTemplate));
  } catch (error) {
    throw new InputError(
      `manifest: ${def.kind} ${obj.metadata.namespace}/${obj.metadata.name}: ${(error as Error).message}`,
    );
  }
}

/** Builds an adapter from a kind's definition. */
export function defineAdapter(def: KindDefinition): WorkloadKindAdapter {
  return {
    apiVersion: def.apiVersion,
    kind: def.kind,
    plural: def.plural,
    entityType: def.entityType,
    handles: obj => !def.requiresQueueLabel || obj.metadata.labels?.[labels.queueName] !== undefined,
    toWorkload(obj, context) {
      const { namespace, name } = obj.metadata;
      const priorityClass = obj.metadata.labels?.[labels.priorityClass];
      return {
        key: `${namespace}/${def.kind}/${name}`,
        namespace,
        name,
        queue: obj.metadata.labels?.[labels.queueName] ?? '',
        priority: (priorityClass && context.priorityClasses.get(priorityClass)) || 0,
        creationTime: Date.parse(obj.metadata.creationTimestamp ? String(obj.metadata.creationTimestamp) : '') || 0,
        podSets: podSetsOf(def, obj, context),
      };
    },
    isSuspended: obj => def.suspension.isSuspended(obj),
    suspendPatch(obj) {
      const next = copy(obj);
      def.suspension.suspend(next);
      restoreOriginals(next, def.slots(next, true));
      return next;
    },
    admitPatch(obj, admission, flavors) {
      const next = copy(obj);
      def.suspension.resume(next);
      const slots = def.slots(next, true);
      saveOriginals(next, slots);
      for (const slot of slots) {
        const assigned = admission.podSets.find(p => p.name === slot.name);
        if (!assigned)
          throw new Error(
            `admission of ${def.kind} ${obj.metadata.namespace}/${obj.metadata.name} has no pod set ${slot.name}`,
          );
        pinToFlavors(slot, Object.values(assigned.flavors), flavors);
        if (assigned.count < slot.count) {
          if (!slot.resize)
            throw new Error(`${def.kind} cannot run pod set ${slot.name} with ${assigned.count} of ${slot.count} pods`);
          slot.resize(assigned.count);
        }
      }
      return next;
    },
    outcome: obj => def.outcome(obj),
    podsReady: obj => def.podsReady(obj),
  };
}
