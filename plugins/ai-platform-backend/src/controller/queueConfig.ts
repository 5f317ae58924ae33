import type { LoggerService } from '@backstage/backend-plugin-api';
import { ConfigError, emptyQueueConfig, parseQueueObjects, type QueueConfig } from '@ai-platform/scheduler';
/**
 * Builds the queue configuration from the cluster's objects plus those of
 * `aiPlatform.queues`; an invalid set is logged with every problem (object
 * and field) and the last good configuration stays in force.
 */
export class QueueConfigSource {
  private current: QueueConfig = emptyQueueConfig();
  private lastProblems = '';

  constructor(
    private readonly cluster: string,
    private readonly fromAppConfig: unknown[],
    private readonly logger: LoggerService,
  ) {}

  get config(): QueueConfig {
    return this.current;
  }

  /** Returns true when the configuration changed. */
  update(clusterObjects: unknown[]): boolean {
    try {
      const next = parseQueueObjects([...this.fromAppConfig, ...clusterObjects]);
      this.lastProblems = '';
      const changed = shape(next) !== shape(this.current);
      // A LocalQueue's persisted fair sharing usage (written every sampling interval) only seeds a new engine:
      // kept for one, without reconfiguring the running engine.
      this.current = next;
      return changed;
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      if (e.message !== this.lastProblems) {
        this.lastProblems = e.message;
        this.logger.error(
          `cluster ${this.cluster}: invalid queue configuration, keeping the last good one. Fix:\n${e.message}`,
        );
      }
      return false;
    }
  }
}

/** The configuration as text, without the LocalQueues' persisted usage. */
function shape(config: QueueConfig): string {
  const localQueues = new Map(
    [...config.localQueues].map(([key, { admissionFairSharingStatus: _usage, ...lq }]) => [key, lq]),
  );
  const entries = Object.entries({ ...config, localQueues });
  return JSON.stringify(Object.fromEntries(entries.map(([k, v]) => [k, [...(v as Map<string, unknown>).entries()]])));
}
