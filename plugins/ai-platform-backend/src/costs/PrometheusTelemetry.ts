import type { PodSelection, TelemetrySource } from '@ai-platform/backstage-plugin-ai-platform-node';
import { PrometheusInference } from './PrometheusInference';
import { PrometheusUtilization } from './PrometheusUtilization';

/** GPU telemetry from a Prometheus that scrapes dcgm-exporter and vLLM or SGLang servers (aiPlatform.prometheus.url). */
export class PrometheusTelemetry implements TelemetrySource {
  private readonly utilization: PrometheusUtilization;
  private readonly inference: PrometheusInference;

  constructor(baseUrl: string, fetchImpl: typeof fetch = fetch) {
    this.utilization = new PrometheusUtilization(baseUrl, fetchImpl);
    this.inference = new PrometheusInference(baseUrl, fetchImpl);
  }

  utilizationByPod(from: number, to: number) {
    return this.utilization.byPod(from, to);
  }

  utilizationSeries(pods: PodSelection, from: number, to: number) {
    return this.utilization.series(pods, from, to);
  }

  tokensByPod(from: number, to: number) {
    return this.inference.tokensByPod(from, to);
  }

  timeToFirstTokenP95(pods: PodSelection, from: number, to: number) {
    return this.inference.ttftP95(pods, from, to);
  }
}
