import { forPods, PrometheusClient, promWindow, withPodLabels } from './PrometheusClient';

/** Token counters of vLLM and SGLang servers (both expose the same pair). */
const generationCounters = ['vllm:generation_tokens_total', 'sglang:generation_tokens_total'];
const promptCounters = ['vllm:prompt_tokens_total', 'sglang:prompt_tokens_total'];
const ttftHistograms = ['vllm:time_to_first_token_seconds_bucket', 'sglang:time_to_first_token_seconds_bucket'];

/** Tokens one inference pod processed in a window. */
export interface PodTokens {
  generation: number;
  prompt: number;
}

/** Token counts per pod, found by the ledger's cluster, namespace and pod. */
export class TokenCounts {
  /** Keyed "cluster/namespace/pod"; cluster is empty for series without a cluster label. */
  constructor(private readonly byPod: Map<string, PodTokens>) {}

  /** The pod's counters: those labelled with its cluster, else unlabelled ones (one Prometheus per cluster). */
  get(cluster: string, namespace: string, pod: string): PodTokens | undefined {
    return this.byPod.get(`${cluster}/${namespace}/${pod}`) ?? this.byPod.get(`/${namespace}/${pod}`);
  }
}

/**
 * Inference throughput from a real Prometheus scraping vLLM or SGLang
 * servers: token counters per pod and time-to-first-token quantiles, by
 * the pod's namespace and name like the ledger's intervals (exported_pod and
 * exported_namespace are read too) and its cluster where series carry one. When Prometheus is not there or fails,
 * the answer is undefined (unknown), never zero.
 */
export class PrometheusInference {
  private readonly prometheus: PrometheusClient;

  constructor(baseUrl: string, fetchImpl: typeof fetch = fetch) {
    this.prometheus = new PrometheusClient(baseUrl, fetchImpl);
  }

  private async increaseByPod(counters: string[], from: number, to: number): Promise<Map<string, number>> {
    const window = promWindow(to - from);
    const out = new Map<string, number>();
    for (const counter of counters) {
      const promql = `sum by (cluster, namespace, pod) (${withPodLabels(`increase(${counter}[${window}])`)})`;
      for (const r of await this.prometheus.instant(promql, to)) {
        if (!r.metric.pod) continue;
        const key = `${r.metric.cluster ?? ''}/${r.metric.namespace}/${r.metric.pod}`;
        out.set(key, (out.get(key) ?? 0) + Math.max(0, Number(r.value[1])));
      }
    }
    return out;
  }

  /** Generated and prompt tokens per pod over [from, to]; undefined when Prometheus cannot answer. */
  async tokensByPod(from: number, to: number): Promise<TokenCounts | undefined> {
    try {
      const generation = await this.increaseByPod(generationCounters, from, to);
      const prompt = await this.increaseByPod(promptCounters, from, to);
      const out = new Map<string, PodTokens>();
      for (const key of new Set([...generation.keys(), ...prompt.keys()])) {
        out.set(key, { generation: Math.round(generation.get(key) ?? 0), prompt: Math.round(prompt.get(key) ?? 0) });
      }
      return new TokenCounts(out);
    } catch {
      return undefined;
    }
  }

  /**
   * p95 time to first token over all the given pods of one namespace (their
   * histograms summed, so it is the service's quantile, not an average of
   * quantiles). null when they answered no requests; undefined when
   * Prometheus cannot answer.
   */
  async ttftP95(
    where: { cluster: string; namespace: string; pods: string[] },
    from: number,
    to: number,
  ): Promise<number | null | undefined> {
    if (where.pods.length === 0) return null;
    const window = promWindow(to - from);
    try {
      for (const histogram of ttftHistograms) {
        const rates = forPods(where, histogram, s => `rate(${s}[${window}])`);
        const [r] = await this.prometheus.instant(`histogram_quantile(0.95, sum by (le) (${rates}))`, to);
        const value = r ? Number(r.value[1]) : NaN;
        if (Number.isFinite(value)) return value;
      }
      return null;
    } catch {
      return undefined;
    }
  }
}
