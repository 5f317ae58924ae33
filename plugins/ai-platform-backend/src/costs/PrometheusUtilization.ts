import { forPods, podKey, PrometheusClient, promWindow, withPodLabels } from './PrometheusClient';

const engineActive = 'DCGM_FI_PROF_GR_ENGINE_ACTIVE';
const gpuUtil = 'DCGM_FI_DEV_GPU_UTIL';

/**
 * GPU utilization per pod from a real Prometheus scraping dcgm-exporter:
 * DCGM_FI_PROF_GR_ENGINE_ACTIVE (0..1) where present, else
 * DCGM_FI_DEV_GPU_UTIL (percent). dcgm-exporter's pod labels may arrive as
 * exported_pod/exported_namespace when Prometheus relabels them; both are
 * read. When Prometheus cannot answer, utilization is unknown (undefined),
 * never zero.
 */
export class PrometheusUtilization {
  private readonly prometheus: PrometheusClient;

  constructor(baseUrl: string, fetchImpl: typeof fetch = fetch) {
    this.prometheus = new PrometheusClient(baseUrl, fetchImpl);
  }

  private static perPod(metric: string, scale: number, windowMs: number) {
    return `avg by (namespace, pod) (${withPodLabels(`avg_over_time(${metric}[${promWindow(windowMs)}])`)}) / ${scale}`;
  }

  private async query(promql: string, at: number): Promise<Map<string, number>> {
    const result = await this.prometheus.instant(promql, at);
    return new Map(
      result
        .filter(r => r.metric.pod)
        .map(r => [podKey(r.metric.namespace, r.metric.pod), Math.min(1, Math.max(0, Number(r.value[1])))]),
    );
  }

  /** Average utilization (0..1) per "namespace/pod" over [from, to]; undefined when Prometheus is unavailable. */
  async byPod(from: number, to: number): Promise<Map<string, number> | undefined> {
    try {
      const engine = await this.query(PrometheusUtilization.perPod(engineActive, 1, to - from), to);
      const util = await this.query(PrometheusUtilization.perPod(gpuUtil, 100, to - from), to);
      for (const [pod, value] of engine) util.set(pod, value);
      return util;
    } catch {
      return undefined;
    }
  }

  /**
   * Mean utilization (0..1) of the given pods' GPUs over [from, to], about
   * 120 points; undefined when Prometheus is unavailable.
   */
  async series(
    where: { cluster: string; namespace: string; pods: string[] },
    from: number,
    to: number,
  ): Promise<Array<{ time: string; value: number }> | undefined> {
    if (where.pods.length === 0 || to <= from) return [];
    const step = Math.max(1, Math.ceil((to - from) / 1000 / 120));
    const mean = (metric: string) => `avg(${forPods(where, metric, s => s)})`;
    try {
      // Engine activity where the GPUs report it, else the coarser utilization percent.
      const [engine] = await this.prometheus.range(mean(engineActive), from, to, step);
      const [util] = engine ? [undefined] : await this.prometheus.range(`${mean(gpuUtil)} / 100`, from, to, step);
      return (
        (engine ?? util)?.values.map(([t, v]) => ({
          time: new Date(t * 1000).toISOString(),
          value: Math.min(1, Math.max(0, Number(v))),
        })) ?? []
      );
    } catch {
      return undefined;
    }
  }
}
