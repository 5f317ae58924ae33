import { metrics, type Meter } from '@opentelemetry/api';
import type {
  QueueListResponse,
  QueueResourceUsage,
  WorkloadSummary,
} from '@ai-platform/backstage-plugin-ai-platform-common';
import type { WorkloadService } from '../services/WorkloadService';

/**
 * OpenTelemetry metrics of the platform (meter `ai-platform`), fed by polling
 * the WorkloadService: gauges read the last poll; counters and the
 * time-to-admission histogram count what happened since the plugin started.
 */
export class WorkloadMetrics {
  private queues: QueueListResponse = { clusterQueues: [], cohorts: [] };
  private readonly counted = new Set<string>();
  private readonly admissions;
  private readonly preemptions;
  private readonly timeToAdmission;

  constructor(
    private readonly workloads: WorkloadService,
    meter: Meter = metrics.getMeter('ai-platform'),
    private readonly startedAt: number = Date.now(),
  ) {
    this.admissions = meter.createCounter('ai_platform.admissions', {
      description: 'Workloads admitted since the backend started',
    });
    this.preemptions = meter.createCounter('ai_platform.preemptions', {
      description: 'Workloads preempted since the backend started',
    });
    this.timeToAdmission = meter.createHistogram('ai_platform.time_to_admission', {
      description: 'Seconds from creation to admission',
      unit: 's',
    });
    meter
      .createObservableGauge('ai_platform.queue.pending', {
        description: 'Pending workloads per ClusterQueue',
      })
      .addCallback(result => {
        for (const cq of this.queues.clusterQueues) {
          result.observe(cq.pending, { cluster: cq.cluster, cluster_queue: cq.name });
        }
      });
    const quotaGauges = [
      ['ai_platform.quota.used', 'Quota in use', (r: QueueResourceUsage) => r.used],
      ['ai_platform.quota.nominal', 'Nominal quota', (r: QueueResourceUsage) => r.nominal],
    ] as const;
    for (const [name, what, value] of quotaGauges) {
      meter
        .createObservableGauge(name, {
          description: `${what} per ClusterQueue, flavor and resource (units of the resource)`,
        })
        .addCallback(result => {
          for (const cq of this.queues.clusterQueues) {
            for (const r of cq.resources) {
              result.observe(value(r), {
                cluster: cq.cluster,
                cluster_queue: cq.name,
                flavor: r.flavor,
                resource: r.resource,
              });
            }
          }
        });
    }
  }

  /** Reads queues and workloads once; counts admissions and preemptions not counted before. */
  async poll(): Promise<void> {
    const [queues, workloads] = await Promise.all([this.workloads.listQueues(), this.workloads.listWorkloads()]);
    this.queues = queues;
    const current = new Set<string>();
    for (const w of workloads) {
      this.countAdmission(w, current);
      this.countPreemption(w, current);
    }
    // Only keys of workloads still listed can come round again.
    for (const key of this.counted) if (!current.has(key)) this.counted.delete(key);
  }

  private countAdmission(w: WorkloadSummary, current: Set<string>) {
    if (!w.admittedAt) return;
    const admittedAt = Date.parse(w.admittedAt);
    if (!(admittedAt >= this.startedAt)) return;
    const key = `admitted/${w.uid}/${w.admittedAt}`;
    current.add(key);
    if (this.counted.has(key)) return;
    this.counted.add(key);
    const attributes = { cluster: w.cluster, cluster_queue: w.clusterQueue ?? w.assignment?.clusterQueue ?? 'unknown' };
    this.admissions.add(1, attributes);
    this.timeToAdmission.record(Math.max(0, (admittedAt - Date.parse(w.createdAt)) / 1000), attributes);
  }

  private countPreemption(w: WorkloadSummary, current: Set<string>) {
    const preempted = w.conditions.find(c => c.type === 'Preempted' && c.status);
    if (!preempted || !(Date.parse(preempted.time) >= this.startedAt)) return;
    const key = `preempted/${w.uid}/${preempted.time}`;
    current.add(key);
    if (this.counted.has(key)) return;
    this.counted.add(key);
    this.preemptions.add(1, {
      cluster: w.cluster,
      cluster_queue: w.clusterQueue ?? 'unknown',
      reason: preempted.reason ?? 'unknown',
    });
  }
}
