/** One series of an instant query. */
export interface PromSample {
  metric: Record<string, string>;
  value: [number, string];
}

/** One series of a range query. */
export interface PromSeries {
  metric: Record<string, string>;
  values: Array<[number, string]>;
}

/**
 * The Prometheus HTTP API (instant and range queries) for the cost views.
 * Throws when Prometheus does not answer or rejects the query; callers turn
 * that into "unknown", never into zeros.
 */
export class PrometheusClient {
  private readonly baseUrl: string;

  constructor(baseUrl: string, private readonly fetchImpl: typeof fetch = fetch) {
    this.baseUrl = baseUrl.replace(/\/$/, '');
  }

  private async get<T>(path: string, params: Record<string, string>): Promise<T> {
    const url = `${this.baseUrl}${path}?${new URLSearchParams(params)}`;
    const response = await this.fetchImpl(url, { signal: AbortSignal.timeout(10_000) });
    if (!response.ok) {
      throw new Error(
        `Prometheus at ${this.baseUrl} answered ${response.status} for ${params.query}: ${(await response.text()).slice(
          0,
          300,
        )}`,
      );
    }
    const body = (await response.json()) as { status?: string; error?: string; data?: { result?: T } };
    if (body.status === 'error' || !body.data?.result) {
      throw new Error(`Prometheus at ${this.baseUrl} could not evaluate ${params.query}: ${body.error ?? 'no result'}`);
    }
    return body.data.result;
  }

  /** Instant query at `at` (epoch ms). */
  instant(promql: string, at: number): Promise<PromSample[]> {
    return this.get('/api/v1/query', { query: promql, time: String(at / 1000) });
  }

  /** Range query over [from, to] (epoch ms) every `stepSeconds`. */
  range(promql: string, from: number, to: number, stepSeconds: number): Promise<PromSeries[]> {
    return this.get('/api/v1/query_range', {
      query: promql,
      start: String(from / 1000),
      end: String(to / 1000),
      step: String(stepSeconds),
    });
  }
}

/**
 * An expression whose series carry the workload's `pod`/`namespace` even when
 * the exporter's own labels won (dcgm-exporter and some ServiceMonitors
 * scraped with honor_labels: false produce exported_pod/exported_namespace).
 */
export function withPodLabels(expr: string): string {
  return `label_replace(label_replace(${expr}, "pod", "$1", "exported_pod", "(.+)"), "namespace", "$1", "exported_namespace", "(.+)")`;
}

/** A range-vector window of at least a minute, in whole seconds. */
export function promWindow(ms: number): string {
  return `${Math.max(60, Math.round(ms / 1000))}s`;
}

/** "namespace/pod", the key the ledger and Prometheus share. */
export const podKey = (namespace: string, pod: string) => `${namespace}/${pod}`;

/**
 * `expr` applied to the given pods of one namespace under either label
 * scheme: `expr` receives a plain selector (so it may take a range of it).
 * Series labelled with another `cluster` are left out; series without a
 * cluster label (one Prometheus per cluster) are kept.
 */
export function forPods(
  where: { cluster: string; namespace: string; pods: string[] },
  metric: string,
  expr: (selector: string) => string,
): string {
  const quote = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
  const escapeRegex = (v: string) => v.replace(/[.+*?^$()[\]{}|\\]/g, m => `\\${m}`);
  const names = quote(where.pods.map(escapeRegex).join('|'));
  const ns = quote(where.namespace);
  const cluster = `cluster=~"${quote(escapeRegex(where.cluster))}|"`;
  return `(${expr(`${metric}{${cluster},namespace="${ns}",pod=~"${names}"}`)} or ${expr(
    `${metric}{${cluster},exported_namespace="${ns}",exported_pod=~"${names}"}`,
  )})`;
}
