import type { WorkloadObject } from '@ai-platform/backstage-plugin-ai-platform-node';
import type { Admission } from '@ai-platform/scheduler';

/**
 * Set on a workload object in the same write that unsuspends it, and
 * removed in the same write that suspends it again, so the object itself
 * says whether (and how) it is admitted: a restarted backend restores
 * admissions from it and never admits a workload twice.
 */
export const admissionAnnotation = 'ai-platform.io/admission';

/** A user suspended the workload: it does not queue until released. */
export const holdAnnotation = 'ai-platform.io/hold';

export interface RecordedAdmission extends Admission {
  /** ms since epoch */
  admittedAt: number;
}

export function readAdmission(obj: WorkloadObject): RecordedAdmission | undefined {
  const raw = obj.metadata.annotations?.[admissionAnnotation];
  if (!raw) return undefined;
  try {
    const parsed = JSON.parse(raw) as RecordedAdmission;
    return typeof parsed.clusterQueue === 'string' && Array.isArray(parsed.podSets) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

export function withAdmission(obj: WorkloadObject, admission: RecordedAdmission | undefined): WorkloadObject {
  const { [admissionAnnotation]: _old, ...rest } = obj.metadata.annotations ?? {};
  obj.metadata.annotations = admission ? { ...rest, [admissionAnnotation]: JSON.stringify(admission) } : rest;
  return obj;
}

export function isHeld(obj: WorkloadObject): boolean {
  return obj.metadata.annotations?.[holdAnnotation] === 'true';
}
