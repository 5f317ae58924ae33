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
      if (JSON.stringify(serializable(next)) === JSON.stringify(serializable(this.current))) return false;
      this.current = next;
      return true;
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

function serializable(config: QueueConfig) {
  return Object.fromEntries(Object.entries(config).map(([k, v]) => [k, [...(v as Map<string, unknown>).entries()]]));
}
