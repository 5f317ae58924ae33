import type { LoggerService } from '@backstage/backend-plugin-api';
import type { SignalsService } from '@backstage/plugin-signals-node';
import type { WorkloadChange, WorkloadService } from '../services/WorkloadService';
import { workloadResourceId } from '../permissions';

/** The signals channel the frontend listens on. */
export const workloadSignalsChannel = 'ai-platform:workloads';

/** A signal on {@link workloadSignalsChannel}. */
export interface WorkloadSignal {
  [key: string]: string;
  type: WorkloadChange['type'];
  /** `cluster/namespace/kind/name`, URI-encoded parts. */
  ref: string;
  state: string;
}

/**
 * Publishes workload changes as signals, at most once per `intervalMs` per
 * workload: the first change goes out at once, later ones within the
 * interval are folded into one signal with the latest state at its end.
 * Returns a function that stops publishing.
 */
export function publishWorkloadSignals(options: {
  workloads: WorkloadService;
  signals: SignalsService;
  logger: LoggerService;
  intervalMs?: number;
}): () => void {
  const { signals, logger, intervalMs = 1000 } = options;
  const lastSent = new Map<string, number>();
  const pending = new Map<string, { signal: WorkloadSignal; timer: NodeJS.Timeout }>();

  const send = (signal: WorkloadSignal) => {
    lastSent.set(signal.ref, Date.now());
    signals
      .publish<WorkloadSignal>({ recipients: { type: 'broadcast' }, channel: workloadSignalsChannel, message: signal })
      .catch(error => logger.warn(`Could not publish the workload signal for ${signal.ref}: ${error}`));
  };

  const unsubscribe = options.workloads.subscribe(change => {
    const signal: WorkloadSignal = {
      type: change.type,
      ref: workloadResourceId(change.workload),
      state: change.workload.state,
    };
    const queued = pending.get(signal.ref);
    if (queued) {
      queued.signal = signal;
      return;
    }
    const wait = (lastSent.get(signal.ref) ?? -Infinity) + intervalMs - Date.now();
    if (wait <= 0) {
      send(signal);
      return;
    }
    const entry = {
      signal,
      timer: setTimeout(() => {
        pending.delete(signal.ref);
        send(entry.signal);
      }, wait),
    };
    pending.set(signal.ref, entry);
  });

  // Forget workloads that have been quiet for a while, so the map stays small.
  const sweeper = setInterval(() => {
    const cutoff = Date.now() - intervalMs;
    for (const [ref, time] of lastSent) if (time < cutoff && !pending.has(ref)) lastSent.delete(ref);
  }, Math.max(intervalMs * 60, 1000));
  sweeper.unref();

  return () => {
    unsubscribe();
    clearInterval(sweeper);
    for (const { timer } of pending.values()) clearTimeout(timer);
    pending.clear();
  };
}
