import type { RunTimeFacts } from '../runtime/RunTimeModel';
import type { Workload } from '../engine/types';
import { gpusOf } from '../engine/budgets';

/** How the simulator measures ETA accuracy. */
export interface EtaSettings {
  /** Monte Carlo samples per prediction. */
  samples: number;
  /** Seconds between the predictions made after submission. */
  everySeconds: number;
  /** Only workloads that waited at least this long count in the relative errors (seconds). */
  minWaitSeconds: number;
  /** Predictions made before this many workloads finished (the model still learning) are left out of the figures. */
  warmUpRuns: number;
}

export const defaultEtaSettings: EtaSettings = { samples: 16, everySeconds: 60, minWaitSeconds: 60, warmUpRuns: 50 };

/** What the simulator knows of a workload before it runs: never its true duration. */
export interface EtaWorkload {
  key: string;
  arrival: number;
  facts: RunTimeFacts;
}

/** What the ETA may know of a scenario workload (a ScenarioWorkload is one): its declaration, never its `duration`. */
export interface DeclaredWorkload {
  workload: Workload;
  arrival: number;
  declaredDuration?: number;
  maxExecTime?: number;
  team?: string;
  kind?: string;
}

/**
 * Kinds that serve until deleted rather than run to an end (the backend's
 * inference-service adapters): a simulated workload of one of these kinds is
 * known to be a service, as the backend knows it from its adapter.
 */
export const servingKinds: readonly string[] = ['Deployment', 'StatefulSet', 'LeaderWorkerSet', 'InferenceService'];

/** The ETA's view of a declared workload. */
export function etaWorkloadOf(w: DeclaredWorkload): EtaWorkload {
  return {
    key: w.workload.key,
    arrival: w.arrival,
    facts: {
      team: w.team ?? w.workload.namespace,
      kind: w.kind,
      queue: w.workload.queue,
      gpus: gpusOf(w.workload),
      declaredSeconds: w.declaredDuration === undefined ? undefined : w.declaredDuration / 1000,
      maxExecSeconds: w.maxExecTime === undefined ? undefined : w.maxExecTime / 1000,
      serves: w.kind !== undefined && servingKinds.includes(w.kind),
    },
  };
}
