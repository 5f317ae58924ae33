import type { Knex } from 'knex';
import type { FinishedRun } from '@ai-platform/scheduler';

const TABLE = 'ai_platform_runtime_history';

/** A finished run as stored: which workload, and when it finished. */
export interface RecordedRun extends FinishedRun {
  cluster: string;
  uid: string;
  finishedAt: number;
}

interface RunRow {
  cluster: string;
  uid: string;
  team: string | null;
  kind: string | null;
  queue: string;
  gpus: number;
  declared_seconds: number | null;
  max_exec_seconds: number | null;
  actual_ms: number | string;
  finished_ms: number | string;
}

/** Finished workloads' run times in the plugin's database, the memory of the run-time model. */
export class RunTimeHistory {
  constructor(private readonly knex: Knex) {}

  /** Stores a run once per workload (cluster and uid); a second record of the same workload is ignored. */
  async record(run: RecordedRun): Promise<void> {
    await this.knex<RunRow>(TABLE)
      .insert({
        cluster: run.cluster,
        uid: run.uid,
        team: run.team ?? null,
        kind: run.kind ?? null,
        queue: run.queue,
        gpus: run.gpus,
        declared_seconds: run.declaredSeconds ?? null,
        max_exec_seconds: run.maxExecSeconds ?? null,
        actual_ms: Math.round(run.actualSeconds * 1000),
        finished_ms: run.finishedAt,
      })
      .onConflict(['cluster', 'uid'])
      .ignore();
  }

  /** The most recent `limit` runs, oldest first (the order the model learns them in). */
  async recent(limit: number): Promise<RecordedRun[]> {
    const rows: RunRow[] = await this.knex<RunRow>(TABLE)
      .select('*')
      .orderBy([
        { column: 'finished_ms', order: 'desc' },
        { column: 'uid', order: 'desc' },
      ])
      .limit(limit);
    return rows.reverse().map(r => ({
      cluster: r.cluster,
      uid: r.uid,
      team: r.team ?? undefined,
      kind: r.kind ?? undefined,
      queue: r.queue,
      gpus: Number(r.gpus),
      declaredSeconds: r.declared_seconds === null ? undefined : Number(r.declared_seconds),
      maxExecSeconds: r.max_exec_seconds === null ? undefined : Number(r.max_exec_seconds),
      actualSeconds: Number(r.actual_ms) / 1000,
      finishedAt: Number(r.finished_ms),
    }));
  }
}
