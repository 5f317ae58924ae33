import type { SchedulerService, ServiceFactory } from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';

/**
 * A scheduler whose tasks the test triggers by hand. `mockServices.scheduler()` returns a
 * MockSchedulerService that has `factory()` (wiring that same instance into a test backend),
 * but its declared type is plain SchedulerService; this names what it really is.
 */
export type ManualScheduler = SchedulerService & {
  factory(options?: { skipTaskRunOnStartup?: boolean }): ServiceFactory<SchedulerService, 'plugin', 'singleton'>;
};

export function manualScheduler(): ManualScheduler {
  return mockServices.scheduler() as ManualScheduler;
}
