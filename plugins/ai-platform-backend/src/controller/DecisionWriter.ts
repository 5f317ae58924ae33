import type { LoggerService } from '@backstage/backend-plugin-api';
import type { WorkloadObject, WorkloadOutcome } from '@ai-platform/backstage-plugin-ai-platform-node';
import { appendTo, type Admission, type Decision, type Engine } from '@ai-platform/scheduler';
import pLimit from 'p-limit';
import type { ClusterClient } from '../clusters/ClusterClient';
import type { DecisionRecord, DecisionStore } from '../database/DecisionStore';
import { readAdmission, withAdmission, type RecordedAdmission } from '../workloads/admissionAnnotation';
import { withElasticGate } from '../workloads/adapters/batch';
import { elasticIn } from './elastic';
import { writeEvent } from './events';
import type { TrackedWorkload } from './trackedWorkload';

/** Writes in flight at once; each touches its own object, and an API server takes them in parallel. */
const writeConcurrency = 16;

/** Runs each group's decisions in order, `writeConcurrency` groups at a time; false once one fails (the rest are not started). */
async function inParallel(groups: Decision[][], one: (d: Decision) => Promise<boolean>): Promise<boolean> {
  let ok = true;
  const limit = pLimit(writeConcurrency);
  const runGroup = async (group: Decision[]) => {
    for (const decision of group) {
      if (!ok) return;
      // Set only on failure: a write that succeeds while another failed must not undo the false.
      if (!(await one(decision))) ok = false;
    }
  };
  await Promise.all(groups.map(group => limit(() => runGroup(group))));
  return ok;
}

/**
 * What the cluster must see of one schedule() call. Its cycles run at the
 * same instant, so one workload may be admitted and preempted (even several
 * times) within it; only the last word counts. A workload admitted and taken
 * back in the same call never reached the cluster and is left alone; one that
 * was admitted before and is admitted again gets its eviction written first.
 */
export function netEffect(
  decisions: Decision[],
  workloads: Map<string, TrackedWorkload>,
): { evictions: Decision[]; admissions: Decision[][] } {
  const byWorkload = new Map<string, Decision[]>();
  for (const d of decisions) appendTo(byWorkload, d.workload, d);
  const evictions: Decision[] = [];
  const admissions: Decision[][] = [];
  for (const [key, list] of byWorkload) {
    const obj = workloads.get(key)?.obj;
    const admittedOnCluster = obj !== undefined && readAdmission(obj) !== undefined;
    const last = list[list.length - 1];
    const eviction = list.find(d => d.type !== 'Admitted');
    if (last.type === 'Admitted') admissions.push(admittedOnCluster && eviction ? [eviction, last] : [last]);
    else if (admittedOnCluster) evictions.push(last);
  }
  return { evictions, admissions };
}

/** A DecisionStore record about a workload object. */
export function decisionAbout(
  cluster: string,
  obj: WorkloadObject,
  fields: Partial<DecisionRecord> & { decision: string },
): DecisionRecord {
  return {
    cluster,
    namespace: obj.metadata.namespace,
    kind: obj.kind,
    name: obj.metadata.name,
    uid: obj.metadata.uid ?? '',
    actor: 'controller',
    time: new Date(),
    ...fields,
  };
}

function refOf(obj: WorkloadObject) {
  return { apiVersion: obj.apiVersion, kind: obj.kind, namespace: obj.metadata.namespace, name: obj.metadata.name };
}

function describeAdmission(admission: Admission): string {
  const sets = admission.podSets.map(ps => {
    const flavors = Object.entries(ps.flavors)
      .map(([resource, flavor]) => `${resource}=${flavor}`)
      .join(', ');
    return `${ps.name} (${ps.count} pods: ${flavors || 'no quota resources'})`;
  });
  return `Admitted by ClusterQueue ${admission.clusterQueue}: ${sets.join('; ')}`;
}

/**
 * Carries decisions to the cluster: one write per decision (with 409
 * retries), one core/v1 Event on the object, one DecisionStore record.
 */
export class DecisionWriter {
  constructor(
    private readonly cluster: string,
    private readonly client: ClusterClient,
    private readonly store: DecisionStore,
    private readonly logger: LoggerService,
    private readonly remember: (tracked: TrackedWorkload | undefined, obj: WorkloadObject) => void,
  ) {}

  /**
   * Applies the decisions of one schedule() call: evictions first, then the
   * admissions, several at a time (each touches its own object, and the
   * engine already reserved their quota). False when one could not be
   * written and the engine must be rebuilt from the objects.
   */
  async apply(
    decisions: Decision[],
    workloads: Map<string, TrackedWorkload>,
    engine: Engine,
    stillLeader: () => boolean,
  ): Promise<boolean> {
    const one = async (decision: Decision): Promise<boolean> => {
      if (!stillLeader()) {
        this.logger.warn(`lost the lease with decisions in hand; the new leader decides again`);
        return false;
      }
      const tracked = workloads.get(decision.workload);
      if (!tracked) return false;
      try {
        if (decision.type === 'Admitted' && decision.replaced)
          await this.resized(tracked, decision.admission, decision.replaced);
        else if (decision.type === 'Admitted') await this.admit(tracked, decision.admission, engine);
        else await this.evict(tracked, decision);
        return true;
      } catch (e) {
        this.logger.error(`${decision.type} of ${decision.workload} could not be written: ${(e as Error).message}`);
        return false;
      }
    };
    const { evictions, admissions } = netEffect(decisions, workloads);
    // Evictions first, so the admitted pods find the room their quota promises.
    return (
      (await inParallel(
        evictions.map(d => [d]),
        one,
      )) && inParallel(admissions, one)
    );
  }

  private async admit(tracked: TrackedWorkload, admission: Admission, engine: Engine) {
    const recorded: RecordedAdmission = { ...admission, admittedAt: Date.now() };
    // An elastic Job is admitted with Kueue's scheduling gate on its pod template: pods beyond its admission wait.
    const gated = (obj: WorkloadObject) => (elasticIn(engine, obj) ? withElasticGate(obj) : obj);
    const written = await this.client.update(
      refOf(tracked.obj),
      current =>
        readAdmission(current)
          ? undefined
          : withAdmission(gated(tracked.adapter.admitPatch(current, admission, engine.queueConfig.flavors)), recorded),
      { known: tracked.obj },
    );
    if (!written) {
      engine.remove(tracked.key, 'deleted');
      return;
    }
    this.remember(tracked, written);
    if (readAdmission(written)?.admittedAt !== recorded.admittedAt) {
      this.logger.warn(`${tracked.key} was already admitted; keeping the admission on the object`);
      throw new Error('admission annotation already present');
    }
    const message = describeAdmission(admission);
    await this.report(written, 'Normal', 'Admitted', message, {
      decision: 'Admitted',
      clusterQueue: admission.clusterQueue,
      assignment: admission,
    });
  }

  /**
   * An elastic workload's admission changed size while it runs: a workload
   * slice replaced it (grown) or it shrank. The object's admission says so,
   * still from the time it was first admitted; its pods keep running.
   */
  async resized(tracked: TrackedWorkload, admission: Admission, replaced: Admission) {
    const written = await this.client.update(
      refOf(tracked.obj),
      current => {
        const recorded = readAdmission(current);
        return recorded && withAdmission(current, { ...admission, admittedAt: recorded.admittedAt });
      },
      { known: tracked.obj },
    );
    if (!written || !readAdmission(written)) throw new Error('the workload is no longer admitted');
    this.remember(tracked, written);
    const pods = (a: Admission) => a.podSets.reduce((n, ps) => n + ps.count, 0);
    const how = pods(admission) > pods(replaced) ? 'grows' : 'shrinks';
    const message = `Resized by ClusterQueue ${admission.clusterQueue}: ${how} from ${pods(replaced)} to ${pods(
      admission,
    )} pods, without restarting the running ones (${describeAdmission(admission)})`;
    await this.report(written, 'Normal', 'Resized', message, {
      decision: 'Resized',
      clusterQueue: admission.clusterQueue,
      assignment: admission,
    });
  }

  private async evict(tracked: TrackedWorkload, decision: Exclude<Decision, { type: 'Admitted' }>) {
    const written = await this.client.update(
      refOf(tracked.obj),
      current =>
        readAdmission(current) || !tracked.adapter.isSuspended(current)
          ? withAdmission(tracked.adapter.suspendPatch(current), undefined)
          : undefined,
      { known: tracked.obj },
    );
    if (!written) return;
    this.remember(tracked, written);
    await this.report(written, 'Warning', decision.type, decision.message, {
      decision: decision.type,
      clusterQueue: decision.clusterQueue,
      reason: decision.reason,
    });
  }

  /** Suspends a workload that runs without our admission. */
  async suspendOnSight(tracked: TrackedWorkload, why: string) {
    const written = await this.client.update(
      refOf(tracked.obj),
      current =>
        tracked.adapter.isSuspended(current) && !readAdmission(current)
          ? undefined
          : withAdmission(tracked.adapter.suspendPatch(current), undefined),
      { known: tracked.obj },
    );
    if (!written) return;
    this.remember(tracked, written);
    await this.report(written, 'Normal', 'Suspended', `Suspended by the AI platform: ${why}`, {
      decision: 'Suspended',
    });
  }

  async finished(tracked: TrackedWorkload, outcome: WorkloadOutcome) {
    await this.record(tracked.obj, {
      decision: 'Finished',
      reason: outcome,
      message: `${tracked.obj.kind} ${outcome?.toLowerCase()}; its quota is released`,
    });
  }

  private async report(
    obj: WorkloadObject,
    type: 'Normal' | 'Warning',
    reason: string,
    message: string,
    record: Partial<DecisionRecord> & { decision: string },
  ) {
    await this.record(obj, { message, ...record });
    try {
      await writeEvent(this.client, obj, type, reason, message);
    } catch (e) {
      this.logger.warn(
        `could not write the ${reason} event of ${obj.kind} ${obj.metadata.namespace}/${obj.metadata.name}: ${
          (e as Error).message
        }`,
      );
    }
  }

  private async record(obj: WorkloadObject, record: Partial<DecisionRecord> & { decision: string }) {
    try {
      await this.store.record(decisionAbout(this.cluster, obj, record));
    } catch (e) {
      this.logger.error(
        `could not record the ${record.decision} decision of ${obj.metadata.namespace}/${obj.metadata.name}: ${
          (e as Error).message
        }`,
      );
    }
  }
}
