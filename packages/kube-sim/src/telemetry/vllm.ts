import { KubeObject } from '../store/types';
import { simAnnotations } from '../sim/kubelet';
import { hashUnit } from '../sim/random';
import { activityProfile, trafficLoad } from './activity';
import { MetricFamily } from './exposition';

/** Bucket bounds of vLLM's time-to-first-token histogram. */
export const ttftBuckets = [0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

interface ServerState {
  lastT: number;
  prompt: number;
  generation: number;
  running: number;
  waiting: number;
  ttftBuckets: number[]; // fractional accumulations; floored when rendered
  ttftCount: number;
  ttftSum: number;
}

/** Log-normal CDF, for the share of requests answered within a bucket. */
function lognormalCdf(x: number, median: number, sigma: number): number {
  const z = (Math.log(x) - Math.log(median)) / (sigma * Math.SQRT2);
  // Abramowitz–Stegun erf approximation
  const t = 1 / (1 + 0.3275911 * Math.abs(z));
  const y =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-z * z);
  return 0.5 * (1 + (z >= 0 ? y : -y));
}

/**
 * vLLM's metrics for every running inference pod, integrated over simulated
 * time so counters only grow. Idle services get (almost) no traffic.
 */
export class VllmTelemetry {
  private readonly servers = new Map<string, ServerState>();

  /** Brings every server's counters up to simulated time `now` and renders them. */
  families(pods: KubeObject[], now: number): MetricFamily[] {
    const live = new Set<string>();
    const rows: Array<{ labels: Record<string, string>; s: ServerState }> = [];
    for (const pod of pods) {
      const model = pod.metadata.annotations?.[simAnnotations.model];
      if (!model || pod.status?.phase !== 'Running') continue;
      const uid = pod.metadata.uid!;
      live.add(uid);
      let s = this.servers.get(uid);
      if (!s) {
        s = {
          lastT: now,
          prompt: 0,
          generation: 0,
          running: 0,
          waiting: 0,
          ttftBuckets: ttftBuckets.map(() => 0),
          ttftCount: 0,
          ttftSum: 0,
        };
        this.servers.set(uid, s);
      }
      this.advance(pod, s, now);
      rows.push({ labels: { model_name: model, namespace: pod.metadata.namespace!, pod: pod.metadata.name! }, s });
    }
    for (const uid of this.servers.keys()) if (!live.has(uid)) this.servers.delete(uid);

    const counter = (name: string, help: string, value: (s: ServerState) => number): MetricFamily => ({
      name,
      help,
      type: 'counter',
      samples: rows.map(r => ({ labels: r.labels, value: value(r.s) })),
    });
    const gauge = (name: string, help: string, value: (s: ServerState) => number): MetricFamily => ({
      ...counter(name, help, value),
      type: 'gauge',
    });
    return [
      counter('vllm:prompt_tokens_total', 'Number of prefill tokens processed.', s => Math.floor(s.prompt)),
      counter('vllm:generation_tokens_total', 'Number of generation tokens processed.', s => Math.floor(s.generation)),
      gauge('vllm:num_requests_running', 'Number of requests currently running on GPU.', s => s.running),
      gauge('vllm:num_requests_waiting', 'Number of requests waiting to be processed.', s => s.waiting),
      {
        name: 'vllm:time_to_first_token_seconds',
        help: 'Histogram of time to first token in seconds.',
        type: 'histogram',
        samples: rows.flatMap(({ labels, s }) => [
          ...ttftBuckets.map((le, i) => ({
            labels: { ...labels, le: String(le) },
            value: Math.floor(s.ttftBuckets[i]),
            suffix: '_bucket',
          })),
          { labels: { ...labels, le: '+Inf' }, value: Math.floor(s.ttftCount), suffix: '_bucket' },
          { labels, value: Number(s.ttftSum.toFixed(6)), suffix: '_sum' },
          { labels, value: Math.floor(s.ttftCount), suffix: '_count' },
        ]),
      },
    ];
  }

  private advance(pod: KubeObject, s: ServerState, now: number): void {
    const seed = pod.metadata.uid!;
    const idle = activityProfile(pod) === 'idle';
    const peakRps = idle ? 0.002 : 2 + 6 * hashUnit(`${seed}/rps`);
    const capacity = 64;
    // Integrate in steps of at most 10 simulated seconds so a long gap follows the daily curve.
    let t = s.lastT;
    while (t < now) {
      const dt = Math.min(10_000, now - t);
      const mid = t + dt / 2;
      const load = trafficLoad(seed, mid);
      const requests = peakRps * load * (dt / 1000);
      s.prompt += requests * (600 + 600 * hashUnit(`${seed}/prompt`));
      s.generation += requests * (150 + 250 * hashUnit(`${seed}/gen`));
      const median = 0.05 + 0.6 * load ** 4;
      ttftBuckets.forEach((le, i) => (s.ttftBuckets[i] += requests * lognormalCdf(le, median, 0.6)));
      s.ttftCount += requests;
      s.ttftSum += requests * median * Math.exp(0.18);
      t += dt;
    }
    s.lastT = Math.max(s.lastT, now);
    const inFlight = Math.round(peakRps * trafficLoad(seed, now) * 8);
    s.running = Math.min(capacity, inFlight);
    s.waiting = Math.max(0, inFlight - capacity);
  }
}
