import type { LoggerService } from '@backstage/backend-plugin-api';
import {
  annotations,
  labels,
  type WorkloadEntityType,
  type WorkloadSummary,
} from '@ai-platform/backstage-plugin-ai-platform-common';
import type { WorkloadObject } from '@ai-platform/backstage-plugin-ai-platform-node';
import {
  RunTimeModel,
  WaitCalibration,
  type Quantiles,
  type RunTimeFacts,
  type RunTimePrediction,
} from '@ai-platform/scheduler';
import type { RunTimeHistory } from './RunTimeHistory';

/** Kueue's label that stops a workload after this many seconds of running. */
export const maxExecTimeLabel = 'kueue.x-k8s.io/max-exec-time-seconds';

/** Runs loaded into the model on start: enough for every team's window. */
const historyLoaded = 20_000;

const positive = (raw: string | undefined) => {
  const value = Number(raw);
  return raw !== undefined && Number.isFinite(value) && value > 0 ? value : undefined;
};

/** Entity types of kinds that serve until deleted rather than run to an end. */
const servingTypes: readonly WorkloadEntityType[] = ['inference-service', 'ai-agent'];

/** What the model may know of a workload object before it runs: its declarations, queue, team, size and whether its kind serves. */
export function runTimeFactsOf(
  obj: WorkloadObject,
  team: string | undefined,
  gpus: number,
  entityType?: WorkloadEntityType,
): RunTimeFacts {
  return {
    team,
    kind: obj.kind,
    queue: obj.metadata.labels?.[labels.queueName] ?? '',
    gpus,
    declaredSeconds: positive(obj.metadata.annotations?.[annotations.expectedDuration]),
    maxExecSeconds: positive(obj.metadata.labels?.[maxExecTimeLabel] ?? obj.metadata.annotations?.[maxExecTimeLabel]),
    serves: entityType !== undefined && servingTypes.includes(entityType),
  };
}

/**
 * The backend's run-time model: the scheduler's RunTimeModel, fed at start
 * from the database's history and then by every workload that succeeds (its
 * run time from admission to finish), each stored so a restart keeps it.
 * Without a history store it learns in memory only.
 */
export class LearnedRunTimes {
  readonly model = new RunTimeModel();
  /** Actual ÷ predicted waits of admitted workloads, to calibrate ETAs (in memory: it relearns within 30 admissions). */
  readonly waits = new WaitCalibration();
  private readonly firstEtas = new Map<string, { since: number; p50: number; groups: readonly string[] }>();
  private readonly seen = new Set<string>();
  private writes: Promise<void> = Promise.resolve();

  constructor(private readonly history?: RunTimeHistory, private readonly logger?: LoggerService) {}

  /** Loads the stored history into the model. */
  async load(): Promise<void> {
    if (!this.history) return;
    for (const run of await this.history.recent(historyLoaded)) {
      this.seen.add(`${run.cluster}/${run.uid}`);
      this.model.record(run);
    }
  }

  predict(facts: RunTimeFacts): RunTimePrediction {
    return this.model.predict(facts);
  }

  /** Learns from a workload that succeeded; each workload once. Failed runs are not learned: they end early. */
  observe(summary: WorkloadSummary, maxExecSeconds?: number) {
    if (summary.state !== 'Succeeded' || !summary.admittedAt || !summary.finishedAt || !summary.uid) return;
    const id = `${summary.cluster}/${summary.uid}`;
    if (this.seen.has(id)) return;
    this.seen.add(id);
    const finishedAt = Date.parse(summary.finishedAt);
    const actualSeconds = (finishedAt - Date.parse(summary.admittedAt)) / 1000;
    if (!(actualSeconds > 0)) return;
    const run = {
      team: summary.team,
      kind: summary.kind,
      queue: summary.queue ?? '',
      gpus: summary.gpus,
      declaredSeconds: summary.expectedDurationSeconds,
      maxExecSeconds,
      actualSeconds,
    };
    this.model.record(run);
    if (!this.history) return;
    const history = this.history;
    this.writes = this.writes
      .then(() => history.record({ ...run, cluster: summary.cluster, uid: summary.uid, finishedAt }))
      .catch(e => this.logger?.warn(`could not store the run time of ${id}: ${(e as Error).message}`));
  }

  /**
   * Remembers the first median admission time predicted for a waiting
   * workload, created at `since` (ms), with its wait-calibration groups
   * (`waitGroupsOf`), as the simulator measures.
   */
  predicted(id: string, since: number, p50: number, groups: readonly string[] = []) {
    if (!this.firstEtas.has(id)) this.firstEtas.set(id, { since, p50, groups });
  }

  /** The ETA range of a workload (ms) predicted at `now`: its p50, and a p10..p90 as wide as earlier predictions of its groups strayed. */
  eta(now: number, range: Partial<Quantiles>, groups: readonly string[] = []): Partial<Quantiles> {
    return this.waits.adjust(now, range, groups);
  }

  /** A workload was admitted at `at`: its first prediction teaches the wait calibration. */
  admitted(id: string, at: number) {
    const first = this.firstEtas.get(id);
    if (!first) return;
    this.firstEtas.delete(id);
    this.waits.record(first.p50 - first.since, at - first.since, first.groups);
  }

  /** A workload went away before it was admitted. */
  forget(id: string) {
    this.firstEtas.delete(id);
  }

  /** Resolves when every run observed so far is stored. */
  flush(): Promise<void> {
    return this.writes;
  }
}
